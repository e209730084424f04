// Package config turns the action's inputs (INPUT_* variables under Actions,
// command-line flags elsewhere) into a validated Config. Every input is
// checked here, and every error names the input and says how to fix it, so
// nothing downstream re-parses strings and nothing is sent on bad input.
package config

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
	"github.com/sethvargo/go-githubactions"
)

// notify-when and mention-on values.
const (
	NotifyAlways  = "always"
	NotifyFailure = "failure"
	NotifyChange  = "change"
	ReportJob     = "job"
	ReportRun     = "run"
)

// Bounds of the details inputs.
const (
	MaxLogLines        = 500
	MaxTestResultBytes = 50 << 20 // all reports together
	maxTestGlobs       = 20
)

// Config is the validated form of all inputs.
type Config struct {
	Token        string
	Rooms        []int64 // in the order given, without duplicates; empty only in a dry run
	Status       string  // an outcome word (event.OutcomeWords), or "" for none
	Template     string  // template source; "" selects the built-in template
	TemplateName string  // "template" or the template file's path, for error messages
	Dedupe       bool
	DedupeKey    string // template source; "" compares whole bodies
	SelfUnread   bool
	DryRun       bool
	APIURL       *url.URL
	FailOnError  bool

	GitHubToken string             // "" disables GitHub API reads
	NotifyWhen  string             // NotifyAlways, NotifyFailure or NotifyChange
	Mentions    map[string][]int64 // lower-cased GitHub login or org/team → Chatwork account IDs
	MentionOn   string             // a mention.On* word
	ToAll       bool               // to: toall
	ToIDs       []int64            // to: account IDs, in order, without duplicates

	Mode        string           // deliver.Post, deliver.Update or deliver.Reply
	MessageIDs  map[int64]string // room → message to update or answer
	TaskTo      []int64          // accounts that get a task on failure
	TaskLimit   TaskLimit
	SkipNoToken bool // on-missing-token: skip and the token is empty

	Language string // en or ja: built-in messages and fixed phrases

	Values     map[string]string      // values: name → untrusted text
	Texts      map[event.Class]string // one-liner templates per outcome class (ClassNone: announcement)
	CloseTasks bool                   // close our open failure tasks on a success

	Details     bool     // add annotations and failed tests on a failure
	TestResults []string // globs of JUnit reports, relative to the workspace
	LogLines    int      // 0: no log excerpt
	AttachLog   bool
	Report      string // ReportJob or ReportRun
	Workspace   string // GITHUB_WORKSPACE, else the current directory

	CI        string // --ci: the CI system to read; "" detects it
	EventName string // GITHUB_EVENT_NAME or --event-name
	EventPath string // GITHUB_EVENT_PATH or --event-path
}

// ErrHelp is returned by Load when -h or --help was given; usage has been
// printed and the program should exit successfully.
var ErrHelp = flag.ErrHelp

// ErrVersion is returned by Load when --version was given: the program
// should print its version and exit successfully.
var ErrVersion = errors.New("version requested")

// InputError is a problem with one input.
type InputError struct {
	Input string
	Msg   string
}

// Error names the input and says what is wrong with it.
func (e *InputError) Error() string { return fmt.Sprintf("input %s: %s", e.Input, e.Msg) }

func inputErr(name, format string, args ...any) error {
	return &InputError{Input: name, Msg: fmt.Sprintf(format, args...)}
}

// Load reads every input. args are the command-line arguments without the
// program name; a flag wins over the INPUT_<NAME> variable, which wins over
// the default. getenv reads the environment; usage receives -h output and
// flag errors.
func Load(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("chatwork-notify", flag.ContinueOnError)
	fs.SetOutput(usage)
	flags := map[string]*string{}
	for _, in := range Inputs {
		v := new(string)
		flags[in.Name] = v
		if in.Bool {
			*v = in.CodeDefault()
			fs.Var((*boolFlag)(v), in.Name, PlainText(in.Doc()))
		} else {
			fs.StringVar(v, in.Name, in.CodeDefault(), PlainText(in.Doc()))
		}
	}
	eventName := fs.String("event-name", "", "event name (default $GITHUB_EVENT_NAME)")
	eventPath := fs.String("event-path", "", "path of the event JSON (default $GITHUB_EVENT_PATH)")
	ci := fs.String("ci", "", "CI system to read: "+strings.Join(cienv.Names, ", ")+" (default: detected)")
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() { printUsage(usage, fs) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *version {
		return nil, ErrVersion
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (inputs are given as --name value, switches as --name or --name=false; see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// go-githubactions reads INPUT_<NAME> exactly as the runner sets it
	// (upper case, spaces as underscores, hyphens kept) and trims it.
	gha := githubactions.New(githubactions.WithGetenv(getenv))
	value := func(in Input) string {
		if set[in.Name] {
			return strings.TrimSpace(*flags[in.Name])
		}
		if v := gha.GetInput(in.Name); v != "" {
			return v
		}
		if v := strings.TrimSpace(getenv(in.Env)); in.Env != "" && v != "" {
			return v
		}
		return in.CodeDefault()
	}
	raw := map[string]string{}
	for _, in := range Inputs {
		raw[in.Name] = value(in)
	}

	actions := getenv("GITHUB_ACTIONS") == "true"
	cfg := &Config{
		EventName: cmp.Or(*eventName, getenv("GITHUB_EVENT_NAME")),
		EventPath: cmp.Or(*eventPath, getenv("GITHUB_EVENT_PATH")),
		CI:        strings.ToLower(strings.TrimSpace(*ci)),
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{
		{"dedupe", &cfg.Dedupe}, {"self-unread", &cfg.SelfUnread},
		{"dry-run", &cfg.DryRun}, {"fail-on-error", &cfg.FailOnError},
		{"details", &cfg.Details}, {"attach-log", &cfg.AttachLog},
	} {
		v, err := parseBool(b.name, raw[b.name])
		add(err)
		*b.dst = v
	}

	onMissing, err := oneOf("on-missing-token", raw["on-missing-token"], "fail", "skip")
	add(err)
	cfg.Token = raw["token"]
	cfg.SkipNoToken = cfg.Token == "" && onMissing == "skip"
	add(checkToken(cfg.Token, cfg.DryRun || cfg.SkipNoToken, actions))
	if raw["room"] != "" || !cfg.DryRun {
		cfg.Rooms, err = parseRooms(raw["room"])
		add(err)
	}
	cfg.Mode, err = oneOf("mode", raw["mode"], deliver.Post, deliver.Update, deliver.Reply)
	add(err)
	cfg.Language, err = oneOf("language", raw["language"], render.Languages...)
	add(err)
	cfg.MessageIDs, err = parseMessageIDs(raw["message-id"], cfg.Rooms)
	add(err)
	add(checkMessageRooms(cfg.MessageIDs, cfg.Rooms))
	cfg.TaskTo, err = parseIDs("task-to", raw["task-to"])
	add(err)
	cfg.TaskLimit, err = parseTaskLimit(raw["task-limit"])
	add(err)
	cfg.TestResults, err = parseGlobs(raw["test-results"])
	add(err)
	cfg.LogLines, err = parseCount("log-lines", raw["log-lines"], MaxLogLines)
	add(err)
	cfg.Report, err = oneOf("report", raw["report"], ReportJob, ReportRun)
	add(err)
	cfg.Values, err = parseValues(raw["values"])
	add(err)
	cfg.Texts, err = parseTexts(raw["texts"], raw["success-text"], raw["failure-text"])
	add(err)
	switch strings.ToLower(raw["close-tasks"]) {
	case "":
		cfg.CloseTasks = len(cfg.TaskTo) > 0
	default:
		cfg.CloseTasks, err = parseBool("close-tasks", raw["close-tasks"])
		add(err)
	}
	cfg.Workspace = cmp.Or(getenv("GITHUB_WORKSPACE"), ".")
	cfg.Status, err = parseStatus(raw["status"], actions)
	add(err)
	cfg.APIURL, err = parseAPIURL(raw["api-url"])
	add(err)
	cfg.DedupeKey = raw["dedupe-key"]
	add(loadTemplate(cfg, raw["template"], raw["template-file"], getenv("GITHUB_WORKSPACE")))

	cfg.GitHubToken = raw["github-token"]
	if strings.HasPrefix(cfg.GitHubToken, "${{") {
		cfg.GitHubToken = "" // an unevaluated expression passed by hand
	}
	cfg.NotifyWhen, err = oneOf("notify-when", raw["notify-when"], NotifyAlways, NotifyFailure, NotifyChange)
	add(err)
	cfg.MentionOn, err = oneOf("mention-on", raw["mention-on"], mention.Words...)
	add(err)
	cfg.Mentions, err = parseMentions(raw["mentions"])
	add(err)
	cfg.ToAll, cfg.ToIDs, err = parseTo(raw["to"])
	add(err)

	if cfg.CI != "" && !slices.Contains(cienv.Names, cfg.CI) {
		add(fmt.Errorf("flag --ci: %q is not one of %s", cfg.CI, strings.Join(cienv.Names, ", ")))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cfg, nil
}

// Secrets returns every value a secret input has in args (--name v,
// --name=v, -name v, -name=v), in its INPUT_<NAME> variable and in its
// outside-Actions variable, so they can be masked before anything is
// printed, even when the inputs do not parse. A new input is masked
// because it is declared Secret.
func Secrets(args []string, getenv func(string) string) []string {
	return secrets(Inputs, args, getenv)
}

// secrets is Secrets over the given input table.
func secrets(inputs []Input, args []string, getenv func(string) string) []string {
	var vals []string
	add := func(v string) {
		// An unevaluated expression passed by hand is not a secret.
		if v = strings.TrimSpace(v); v != "" && !strings.HasPrefix(v, "${{") {
			vals = append(vals, v)
		}
	}
	for _, in := range inputs {
		if !in.Secret {
			continue
		}
		add(getenv(InputVar(in.Name)))
		if in.Env != "" {
			add(getenv(in.Env))
		}
		for i, a := range args {
			if a == "--" {
				break
			}
			name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !strings.HasPrefix(a, "-") || name != in.Name {
				continue
			}
			if !hasVal && i+1 < len(args) {
				val = args[i+1]
			}
			add(val)
		}
	}
	return vals
}

// InputVar is the variable the runner sets for an input: INPUT_ and the
// name in upper case with spaces as underscores (hyphens stay).
func InputVar(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, inputErr(name, "%q is not a boolean; use true or false", v)
}

func checkToken(tok string, dryRun, actions bool) error {
	if tok == "" {
		switch {
		case dryRun:
			return nil
		case actions:
			return inputErr("token", "is empty; pass a Chatwork API token from a secret (token: ${{ secrets.CHATWORK_API_TOKEN }})")
		}
		return inputErr("token", "is empty; set the CHATWORK_API_TOKEN variable to a Chatwork API token (a secret or masked variable of your CI), or use --dry-run to only print the message")
	}
	for _, r := range tok {
		if r <= ' ' || r == 0x7f {
			// The value is never echoed: it is a secret.
			return inputErr("token", "contains whitespace or control characters; copy the token again without spaces or line breaks")
		}
	}
	return nil
}

var roomPattern = regexp.MustCompile(`^(?:#?!?rid)?([0-9]+)(?:-[0-9]+)?$`)

// parseRoom accepts a room ID ("123456"), "rid123456", "#!rid123456" or a
// Chatwork room URL ("https://www.chatwork.com/#!rid123456", with an optional
// "-<message id>" suffix) and returns the room ID.
func parseRoom(in string) (int64, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return 0, inputErr("room", "is empty; give the room ID, e.g. 123456, or its URL https://www.chatwork.com/#!rid123456")
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		s = u.Fragment
	}
	m := roomPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, inputErr("room", "%q is not a room ID or room URL; give digits such as 123456 or a URL like https://www.chatwork.com/#!rid123456", in)
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || id <= 0 {
		return 0, inputErr("room", "%q is not a valid room ID (a positive number)", in)
	}
	return id, nil
}

func oneOf(name, v string, allowed ...string) (string, error) {
	lv := strings.ToLower(v)
	for _, a := range allowed {
		if lv == a {
			return a, nil
		}
	}
	return "", inputErr(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

// parseGlobs reads test-results: one glob a line, relative to the
// workspace and inside it.
func parseGlobs(in string) ([]string, error) {
	var globs []string
	for _, line := range strings.Split(in, "\n") {
		g := filepath.ToSlash(strings.TrimSpace(line))
		if g == "" {
			continue
		}
		if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil || !filepath.IsLocal(filepath.FromSlash(strings.ReplaceAll(g, "**", "x"))) {
			return nil, inputErr("test-results", "%q is not a glob inside the workspace; give paths relative to it, e.g. reports/*.xml or **/surefire-reports/*.xml", g)
		}
		globs = append(globs, g)
	}
	if len(globs) > maxTestGlobs {
		return nil, inputErr("test-results", "has %d globs; at most %d (one pattern can match many files: **/*.xml)", len(globs), maxTestGlobs)
	}
	return globs, nil
}

// Bounds of the values input.
const (
	maxValues     = 50
	maxValueBytes = 64 << 10 // all values together
)

var valueName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// parseValues reads lines "name: value" (blank lines are ignored; the
// value is the rest of the line, trimmed).
func parseValues(in string) (map[string]string, error) {
	values := map[string]string{}
	if len(in) > maxValueBytes {
		return nil, inputErr("values", "is %d bytes; at most %d KB in all", len(in), maxValueBytes>>10)
	}
	for i, line := range strings.Split(in, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		_, dup := values[name]
		switch {
		case !ok || !valueName.MatchString(name):
			return nil, inputErr("values", "line %d is not \"name: value\" with a name of letters, digits, _ and - (got %q); a value that spans lines does not fit here", i+1, cutForError(name))
		case dup:
			return nil, inputErr("values", "names %q twice", name)
		}
		values[name] = strings.TrimSpace(value)
	}
	if len(values) > maxValues {
		return nil, inputErr("values", "has %d values; at most %d", len(values), maxValues)
	}
	return values, nil
}

// cutForError keeps an error's quote of input short.
func cutForError(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// textClass is an outcome class as the texts input names it.
type textClass struct {
	name  string
	class event.Class
}

// textClasses names the outcome classes of the texts input, in its order.
var textClasses = []textClass{
	{"succeeded", event.ClassSucceeded}, {"failed", event.ClassFailed}, {"cancelled", event.ClassCancelled},
	{"attention", event.ClassAttention}, {"in_progress", event.ClassInProgress}, {"neutral", event.ClassNeutral},
	{"announcement", event.ClassNone},
}

// parseTexts reads the texts input ("class: template" lines) with
// success-text and failure-text as its first two classes. The templates
// are parsed later, with the others.
func parseTexts(texts, success, failure string) (map[event.Class]string, error) {
	out := map[event.Class]string{}
	set := func(input string, class event.Class, tmpl string) error {
		if _, dup := out[class]; dup {
			return inputErr(input, "gives the %s text a second time; give each outcome class once (success-text and failure-text are the succeeded and failed lines of texts)", cmp.Or(string(class), "announcement"))
		}
		out[class] = tmpl
		return nil
	}
	if t := strings.TrimSpace(success); t != "" {
		out[event.ClassSucceeded] = t
	}
	if t := strings.TrimSpace(failure); t != "" {
		out[event.ClassFailed] = t
	}
	for i, line := range strings.Split(texts, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, tmpl, _ := strings.Cut(line, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		k := slices.IndexFunc(textClasses, func(c textClass) bool { return c.name == name })
		if k < 0 {
			names := make([]string, len(textClasses))
			for j, c := range textClasses {
				names[j] = c.name
			}
			return nil, inputErr("texts", "line %d: %q is not an outcome class (%s)", i+1, cutForError(name), strings.Join(names, ", "))
		}
		if err := set("texts", textClasses[k].class, strings.TrimSpace(tmpl)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseCount reads a whole number from 0 to limit.
func parseCount(name, in string, limit int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(in))
	if err != nil || n < 0 || n > limit {
		return 0, inputErr(name, "%q is not a whole number from 0 to %d", in, limit)
	}
	return n, nil
}

// MaxRooms caps the room input: each room costs requests against the
// account's 300 per 5 minutes.
const MaxRooms = 20

// MaxAccounts caps to and task-to: each [To:…] is a line of the message
// and each assignee a task.
const MaxAccounts = 100

// parseRooms reads one or more rooms (IDs or URLs, separated by commas,
// spaces or newlines, at most MaxRooms) and drops repeats.
func parseRooms(in string) ([]int64, error) {
	var rooms []int64
	for _, f := range separators.Split(strings.TrimSpace(in), -1) {
		if f == "" {
			continue
		}
		id, err := parseRoom(f)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(rooms, id) {
			rooms = append(rooms, id)
		}
	}
	if len(rooms) == 0 {
		_, err := parseRoom("")
		return nil, err
	}
	if len(rooms) > MaxRooms {
		return nil, inputErr("room", "lists %d rooms; at most %d are allowed (each room costs requests against Chatwork's rate limit)", len(rooms), MaxRooms)
	}
	return rooms, nil
}

var messageURL = regexp.MustCompile(`#!rid([0-9]+)-([0-9]+)$`)

// parseMessageIDs reads the message-id input for the given rooms: a message
// ID (one room only), a message URL (…/#!rid<room>-<message>), or the JSON
// object the message-ids output holds ({"<room>": "<message>", …}).
func parseMessageIDs(in string, rooms []int64) (map[int64]string, error) {
	ids := map[int64]string{}
	s := strings.TrimSpace(in)
	switch {
	case s == "":
		return ids, nil
	case strings.HasPrefix(s, "{"):
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return nil, inputErr("message-id", "is not a valid JSON object of room → message ID (%v)", err)
		}
		for _, k := range slices.Sorted(maps.Keys(m)) { // the same error every time
			v := m[k]
			room, err := parseRoom(k)
			if err != nil {
				return nil, inputErr("message-id", "key %q is not a room ID", k)
			}
			id := strings.Trim(string(v), `"`)
			if !chatwork.IsMessageID(id) {
				return nil, inputErr("message-id", "the message ID for room %d, %s, is not a number", room, v)
			}
			ids[room] = id
		}
		return ids, nil
	case messageURL.MatchString(s):
		m := messageURL.FindStringSubmatch(s)
		room, _ := strconv.ParseInt(m[1], 10, 64)
		ids[room] = m[2]
		return ids, nil
	case chatwork.IsMessageID(s):
		if len(rooms) > 1 {
			return nil, inputErr("message-id", "one message ID was given for %d rooms; pass the message-ids output (a JSON object of room → message ID)", len(rooms))
		}
		for _, r := range rooms {
			ids[r] = s
		}
		return ids, nil
	}
	return nil, inputErr("message-id", "%q is not a message ID, a message URL (https://www.chatwork.com/#!rid123-456) or a JSON object of room → message ID", in)
}

// checkMessageRooms refuses a message id for a room that room does not
// list: it would be silently ignored.
func checkMessageRooms(ids map[int64]string, rooms []int64) error {
	var stray []string
	for room := range ids {
		if !slices.Contains(rooms, room) {
			stray = append(stray, strconv.FormatInt(room, 10))
		}
	}
	if len(stray) == 0 || len(rooms) == 0 {
		return nil
	}
	slices.Sort(stray)
	return inputErr("message-id", "names room %s, which the room input does not list; add the room or give the message of a listed room", strings.Join(stray, ", "))
}

// parseIDs reads Chatwork account IDs separated by commas, spaces or
// newlines, dropping repeats.
func parseIDs(name, in string) ([]int64, error) {
	var ids []int64
	for _, f := range separators.Split(strings.TrimSpace(in), -1) {
		if f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n <= 0 {
			return nil, inputErr(name, "%q is not a Chatwork account ID (digits)", f)
		}
		if !slices.Contains(ids, n) {
			ids = append(ids, n)
		}
	}
	if len(ids) > MaxAccounts {
		return nil, inputErr(name, "lists %d accounts; at most %d are allowed", len(ids), MaxAccounts)
	}
	return ids, nil
}

// maxTaskDays is the furthest task deadline accepted (five years).
const maxTaskDays = 5 * 366

// TaskLimit is a task deadline: After from now, or At; zero means none.
type TaskLimit struct {
	After time.Duration
	At    time.Time
}

// Check refuses a fixed deadline that has passed at now, or lies more than
// maxTaskDays ahead.
func (l TaskLimit) Check(now time.Time) error {
	switch {
	case l.At.IsZero():
		return nil
	case !l.At.After(now):
		return inputErr("task-limit", "%s has already passed; give a later time or a duration such as 24h", l.At.Format(time.RFC3339))
	case l.At.Sub(now) > maxTaskDays*24*time.Hour:
		return inputErr("task-limit", "%s is more than %d days away", l.At.Format(time.RFC3339), maxTaskDays)
	}
	return nil
}

// Deadline returns the deadline for a task created at now (zero: none).
func (l TaskLimit) Deadline(now time.Time) time.Time {
	if l.After > 0 {
		return now.Add(l.After)
	}
	return l.At
}

// parseTaskLimit reads "24h", "90m", "2d" (days) or an RFC 3339 time.
func parseTaskLimit(in string) (TaskLimit, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return TaskLimit{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return TaskLimit{At: t}, nil
	}
	d, err := time.ParseDuration(s)
	if days, ok := strings.CutSuffix(s, "d"); ok && err != nil {
		var n int
		if n, err = strconv.Atoi(days); err == nil {
			if n > maxTaskDays {
				// Checked before multiplying, which would overflow.
				return TaskLimit{}, inputErr("task-limit", "%q is more than %d days away", in, maxTaskDays)
			}
			d = time.Duration(n) * 24 * time.Hour
		}
	}
	if err != nil || d <= 0 {
		return TaskLimit{}, inputErr("task-limit", "%q is neither a positive duration (24h, 90m, 2d) nor an RFC 3339 time (2026-12-01T18:00:00+09:00)", in)
	}
	if d > maxTaskDays*24*time.Hour {
		return TaskLimit{}, inputErr("task-limit", "%q is more than %d days away", in, maxTaskDays)
	}
	return TaskLimit{After: d}, nil
}

var (
	loginPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[bot\])?$`) // GitHub, Gitea and Forgejo logins
	teamPattern  = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`)
	separators   = regexp.MustCompile(`[\s,]+`)
)

// parseMentions reads lines "github-login: chatwork-account-id" and
// "@org/team: id, id, …" (blank lines and # comments are ignored) into a
// map keyed by the lower-cased login or "org/team".
func parseMentions(in string) (map[string][]int64, error) {
	m := map[string][]int64{}
	for i, line := range strings.Split(in, "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		who, list, ok := strings.Cut(line, ":")
		who = strings.TrimSpace(who)
		team := strings.HasPrefix(who, "@")
		var ids []int64
		var err error
		if ok {
			ids, err = parseIDs("mentions", list)
		}
		var ie *InputError
		switch {
		case errors.As(err, &ie) && strings.Contains(ie.Msg, "at most"):
			return nil, inputErr("mentions", "line %d (%s) %s", i+1, cutForError(who), ie.Msg)
		case !ok || err != nil || len(ids) == 0:
		case team && teamPattern.MatchString(who):
			m[strings.ToLower(strings.TrimPrefix(who, "@"))] = ids
			continue
		case !team && loginPattern.MatchString(who) && len(ids) == 1:
			m[strings.ToLower(who)] = ids
			continue
		}
		return nil, inputErr("mentions", "line %d %q is not \"github-login: chatwork-account-id\" (e.g. octocat: 1234567) or \"@org/team: id, id\" (e.g. @octo-org/reviewers: 1234567, 7654321)", i+1, cutForError(line))
	}
	return m, nil
}

// parseTo reads account IDs separated by commas, spaces or newlines; the
// word toall addresses the whole room.
func parseTo(in string) (toAll bool, ids []int64, err error) {
	var rest []string
	for _, f := range separators.Split(strings.TrimSpace(in), -1) {
		if strings.EqualFold(f, "toall") {
			toAll = true
		} else {
			rest = append(rest, f)
		}
	}
	ids, err = parseIDs("to", strings.Join(rest, " "))
	var ie *InputError
	if errors.As(err, &ie) && !strings.Contains(ie.Msg, "at most") {
		return false, nil, inputErr("to", "%s, or toall", ie.Msg)
	}
	if err != nil {
		return false, nil, err
	}
	return toAll, ids, nil
}

// parseStatus normalises the status input to an outcome word; "" means
// none (the event's own outcome, or an announcement).
func parseStatus(in string, actions bool) (string, error) {
	if strings.TrimSpace(in) == "" {
		return "", nil
	}
	if w, ok := cienv.Outcome(in); ok {
		return w, nil
	}
	hint := "pass the job's result (job.status, or a needs.<job>.result), or leave it empty"
	if !actions {
		hint = "pass the job's result as your CI prints it, or leave it empty"
	}
	return "", inputErr("status", "%q is not an outcome word (%s; or a CI system's own word: %s); %s", in,
		strings.Join(event.OutcomeWords(), ", "), strings.Join(cienv.NativeWords(), "; "), hint)
}

// parseAPIURL checks the API base: https, or http to a loopback host only.
func parseAPIURL(in string) (*url.URL, error) {
	if in == "" {
		in = DefaultAPIURL
	}
	u, err := url.Parse(in)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, inputErr("api-url", "%q is not an absolute URL; use e.g. %s", in, DefaultAPIURL)
	}
	if u.User != nil {
		return nil, inputErr("api-url", "must not contain credentials; the token is sent in a header")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, inputErr("api-url", "%q has port %s; a port is a number from 1 to 65535", in, p)
		}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, inputErr("api-url", "%q must not have a query or fragment", in)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, inputErr("api-url", "%q uses plain http; use https (http is allowed only for loopback test servers) so the token is not sent in clear", in)
		}
	default:
		return nil, inputErr("api-url", "%q must use https", in)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MaxTemplateFileBytes caps template-file: a message is at most 65,535
// bytes, so a larger template is a mistake or an attack.
const MaxTemplateFileBytes = 1 << 20

func loadTemplate(cfg *Config, inline, file, workspace string) error {
	switch {
	case inline != "" && file != "":
		return inputErr("template-file", "both template and template-file are set; use one of them")
	case inline != "":
		cfg.Template, cfg.TemplateName = inline, "template"
	case file != "":
		b, err := readWorkspaceFile(workspace, file)
		if err != nil {
			return inputErr("template-file", "%q: %v", file, err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return inputErr("template-file", "%q is empty", file)
		}
		cfg.Template, cfg.TemplateName = string(b), file
	}
	return nil
}

// readWorkspaceFile reads a regular file of at most MaxTemplateFileBytes
// inside workspace (the current directory when empty). The path may be
// relative to the workspace or absolute inside it; symbolic links are
// followed only while they stay inside (os.Root), so "../", absolute paths
// elsewhere and committed links to /proc, /dev or the runner's files are
// refused, and so are devices, FIFOs and directories.
func readWorkspaceFile(workspace, file string) ([]byte, error) {
	if workspace == "" {
		workspace = "."
	}
	ws, err := filepath.Abs(workspace)
	if err != nil {
		return nil, err
	}
	rel := filepath.Clean(file)
	if filepath.IsAbs(rel) {
		if rel, err = filepath.Rel(ws, rel); err != nil {
			return nil, err
		}
	}
	const hint = "give the path of a template file inside the workspace (check out the repository first)"
	if !filepath.IsLocal(rel) {
		return nil, fmt.Errorf("is outside the workspace %s; %s", ws, hint)
	}
	root, err := os.OpenRoot(ws)
	if err != nil {
		return nil, fmt.Errorf("cannot open the workspace: %v", unwrapPathError(err))
	}
	defer root.Close()
	// Stat before opening: opening a FIFO would block.
	st, err := root.Stat(rel)
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v); %s, and links that stay inside it", unwrapPathError(err), hint)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (%s); %s", st.Mode().Type(), hint)
	}
	if st.Size() > MaxTemplateFileBytes {
		return nil, fmt.Errorf("is %d bytes; a template file may have at most %d", st.Size(), MaxTemplateFileBytes)
	}
	f, err := root.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %v", unwrapPathError(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxTemplateFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %v", unwrapPathError(err))
	}
	if len(b) > MaxTemplateFileBytes {
		return nil, fmt.Errorf("is larger than %d bytes", MaxTemplateFileBytes)
	}
	return b, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// boolFlag lets a bool input be given as --dry-run or --dry-run=false while
// keeping its text for the same validation as INPUT_* values.
type boolFlag string

func (b *boolFlag) String() string     { return string(*b) }
func (b *boolFlag) Set(v string) error { *b = boolFlag(v); return nil }
func (b *boolFlag) IsBoolFlag() bool   { return true }

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage: chatwork-notify [flags]

Posts a CI summary to a Chatwork room. Under GitHub Actions the inputs come
from INPUT_* variables; elsewhere give them as flags (a flag wins over its
INPUT_* variable). The CI system is detected from its variables. The token
is read from --token, INPUT_TOKEN or CHATWORK_API_TOKEN (prefer the
variable: command lines are visible to other processes).

Outside GitHub Actions the message goes to stdout and everything else
(notes, warnings, errors) to stderr.

Examples:
  chatwork-notify --dry-run --event-name push --event-path event.json
  CHATWORK_API_TOKEN=… chatwork-notify --room 123456 --status failure

Exit status:
  0  posted, skipped (duplicate, notify-when, on-missing-token: skip),
     a dry run, -h, --version, or a Chatwork failure with
     --fail-on-error=false
  1  an input error (reported before any request), or a Chatwork or
     output failure

Flags:
`)
	fs.PrintDefaults()
}
