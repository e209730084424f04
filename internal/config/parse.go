package config

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, inputErr(name, "%q is not a boolean; use true or false", v)
}

// accountIDHint says what an account ID is and where to find it, for a
// value that is not one (often the Chatwork ID of a profile, sato_taro).
func accountIDHint(v string) string {
	what := "the account ID is a number"
	if chatworkID.MatchString(v) {
		what = "that looks like a Chatwork ID (the name in a profile); the account ID is a number"
	}
	return what + ": in the room, press To and pick the person, and the message box shows [To:1234567], whose digits are the account ID"
}

// chatworkID is the form of a Chatwork ID: letters, digits, _ and -.
var chatworkID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

func checkToken(tok string, dryRun, actions bool) error {
	if tok == "" {
		switch {
		case dryRun:
			return nil
		case actions:
			return inputErr("token", "is empty; pass a Chatwork API token from a secret (token: ${{ secrets.CHATWORK_API_TOKEN }}). "+
				"Pull requests from forks and Dependabot runs get no secrets: for them, notify from a pull_request_target or workflow_run workflow (the action only reads the event), or set on-missing-token: skip")
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

// parseGlobs reads test-results: one glob a line, relative to the
// workspace and inside it.
func parseGlobs(name, in string) ([]string, error) {
	var globs []string
	for _, line := range strings.Split(in, "\n") {
		g := filepath.ToSlash(strings.TrimSpace(line))
		if g == "" {
			continue
		}
		if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil || !filepath.IsLocal(filepath.FromSlash(strings.ReplaceAll(g, "**", "x"))) {
			return nil, inputErr(name, "%q is not a glob inside the workspace; give paths relative to it, e.g. reports/*.xml or **/coverage/*.html", g)
		}
		globs = append(globs, g)
	}
	if len(globs) > maxTestGlobs {
		return nil, inputErr(name, "has %d globs; at most %d (one pattern can match many files: **/*.xml)", len(globs), maxTestGlobs)
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
func parseValues(_, in string) (map[string]string, error) {
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

// parseTexts reads the texts input: lines "class: template", each class
// once. The templates are parsed later, with the others.
func parseTexts(name, texts string) (map[event.Class]string, error) {
	out := map[event.Class]string{}
	for i, line := range strings.Split(texts, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		class, tmpl, _ := strings.Cut(line, ":")
		class = strings.ToLower(strings.TrimSpace(class))
		k := slices.IndexFunc(textClasses, func(c textClass) bool { return c.name == class })
		if k < 0 {
			names := make([]string, len(textClasses))
			for j, c := range textClasses {
				names[j] = c.name
			}
			return nil, inputErr(name, "line %d: %q is not an outcome class (%s)", i+1, cutForError(class), strings.Join(names, ", "))
		}
		if _, dup := out[textClasses[k].class]; dup {
			return nil, inputErr(name, "gives the %s text a second time; give each outcome class once (success-text and failure-text are the succeeded and failed lines of texts)", cmp.Or(class, "announcement"))
		}
		out[textClasses[k].class] = strings.TrimSpace(tmpl)
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
			return nil, inputErr(name, "%q is not a Chatwork account ID: %s", cutForError(f), accountIDHint(f))
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

var (
	loginPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[bot\])?$`) // GitHub, Gitea and Forgejo logins
	teamPattern  = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`)
	separators   = regexp.MustCompile(`[\s,]+`)
)

// parseMentions reads lines "github-login: chatwork-account-id" and
// "@org/team: id, id, …" (blank lines and # comments are ignored) into a
// map keyed by the lower-cased login or "org/team".
func parseMentions(_, in string) (map[string][]int64, error) {
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
func parseAPIURL(_, in string) (*url.URL, error) {
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
		// Not quoted: a query may hold a credential.
		return nil, inputErr("api-url", "must not have a query (?…) or fragment (#…); give the API base only, e.g. %s", DefaultAPIURL)
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
