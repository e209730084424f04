package event

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/sethvargo/go-githubactions"
)

// Options select the event and the job result.
type Options struct {
	Getenv    func(string) string // GITHUB_* lookups
	EventName string              // overrides GITHUB_EVENT_NAME when set
	EventPath string              // overrides GITHUB_EVENT_PATH when set
	Status    string              // the status input (an outcome word), or ""
	// Payload, when set, is the event JSON itself and EventPath is not
	// read (for tests and fuzzing).
	Payload []byte
}

// Note is something the log should say about the event.
type Note struct {
	Notice bool // a notice; else a warning
	Text   string
}

// Load reads the event file and the environment and builds the Summary.
// Notes are problems that do not stop the notification (an odd
// environment value, a payload that does not match its event type) and
// the notice that the event's own outcome overrode the status input.
//
// The outcome: an event that reports on something that ran (workflow_run,
// workflow_job, deployment_status, check_suite, check_run, status) carries
// its own outcome, which wins; otherwise the status input is the current
// job's outcome; with neither the message is an announcement (no status).
func Load(opts Options) (*Summary, []Note, error) {
	getenv := opts.Getenv
	name := cmp.Or(opts.EventName, getenv("GITHUB_EVENT_NAME"))
	path := cmp.Or(opts.EventPath, getenv("GITHUB_EVENT_PATH"))
	raw := opts.Payload
	if raw == nil {
		var err error
		if raw, err = readPayload(path); err != nil {
			return nil, nil, err
		}
	}
	// The event file is read here, once, so that numbers keep their digits;
	// go-githubactions supplies the GITHUB_* context without re-reading it.
	gha := githubactions.New(githubactions.WithGetenv(func(k string) string {
		if k == "GITHUB_EVENT_PATH" {
			return ""
		}
		return getenv(k)
	}))
	ctx, ctxErr := gha.Context()
	var notes []Note
	if ctxErr != nil {
		notes = append(notes, Note{Text: fmt.Sprintf("ignoring malformed GITHUB_* values: %v", ctxErr)})
	}
	s, warnings, err := build(name, raw, ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("event file %s: %w; check GITHUB_EVENT_PATH or --event-path", cmp.Or(path, "(payload)"), err)
	}
	for _, w := range warnings {
		notes = append(notes, Note{Text: w})
	}
	input, _ := NormaliseOutcome(opts.Status)
	switch {
	case s.reported != "":
		s.SetOutcome(s.reported)
		s.ownOutcome = true
		if input != "" && ClassOf(input) != ClassOf(s.reported) {
			notes = append(notes, Note{Notice: true, Text: fmt.Sprintf(
				"the %s event reports %s, so the message says %s; the status input (%s) is this notifying job's own result", name, s.reported, s.reported, input)})
		}
	default:
		s.SetOutcome(input)
	}
	return &s.Summary, notes, nil
}

// SetOutcome sets Status (an outcome word, or "" for an announcement),
// Outcome and StatusIcon.
func (s *Summary) SetOutcome(word string) {
	w, ok := NormaliseOutcome(word)
	if !ok {
		w = ""
	}
	s.Status, s.Outcome = w, ClassOf(w)
	s.StatusIcon = s.Outcome.Icon()
}

// readPayload returns the event JSON; a missing path gives "{}".
func readPayload(path string) ([]byte, error) {
	if path == "" {
		return []byte("{}"), nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("event file %q does not exist; check GITHUB_EVENT_PATH or --event-path", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading event file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("{}"), nil
	}
	return b, nil
}

// builder carries the summary being built and the outcome the event
// reports on its subject ("" when it reports none).
type builder struct {
	Summary
	reported string
}

func build(name string, raw []byte, ctx *githubactions.GitHubContext) (b builder, warnings []string, err error) {
	payload, err := decodeMap(raw)
	if err != nil {
		return b, nil, err
	}
	b.Event = name
	b.Payload = payload
	b.Action, _ = payload["action"].(string)
	b.fromContext(ctx)

	// ParseWebHook does not know schedule, dynamic and a few others: those
	// keep only the context and the raw payload.
	ev, perr := github.ParseWebHook(name, raw)
	if from := builders[name]; perr == nil && from != nil {
		from(&b, ev)
	}
	if sender, ok := payload["sender"].(map[string]any); ok && b.Actor == "" {
		b.Actor, _ = sender["login"].(string)
	}
	if cron, ok := payload["schedule"].(string); ok && name == "schedule" {
		b.Schedule = cron
	}
	b.finish()
	if perr != nil && name != "" && knownEvent(name) {
		warnings = append(warnings, fmt.Sprintf("event payload does not match %s (%v); only generic fields are filled", name, perr))
	} else if missing := missingObjects(name, payload); len(missing) > 0 {
		warnings = append(warnings, fmt.Sprintf("the %s payload has no %s object (a payload of another CI server or of another event?), so the message has only what the payload and the environment give", name, strings.Join(missing, " or ")))
	}
	return b, warnings, nil
}

// subjects names, per event, the objects of its payload that say what the
// event is about; without them a message can only say what the
// environment says.
var subjects = map[string][]string{
	"workflow_run": {"workflow_run"}, "workflow_job": {"workflow_job"},
	"check_suite": {"check_suite"}, "check_run": {"check_run"},
	"issues": {"issue"}, "issue_comment": {"issue", "comment"},
	"pull_request": {"pull_request"}, "pull_request_target": {"pull_request"},
	"pull_request_review":         {"pull_request", "review"},
	"pull_request_review_comment": {"pull_request", "comment"},
	"deployment_status":           {"deployment_status"}, "release": {"release"}, "merge_group": {"merge_group"},
}

// missingObjects returns the subject objects of the event that the
// payload lacks (absent, null or not an object).
func missingObjects(name string, payload map[string]any) []string {
	var missing []string
	for _, key := range subjects[name] {
		if _, ok := payload[key].(map[string]any); !ok {
			missing = append(missing, key)
		}
	}
	return missing
}

// knownEvent reports whether go-github claims to parse name, so that a parse
// failure is worth a warning (schedule, dynamic… are expected to fail).
func knownEvent(name string) bool {
	_, err := github.ParseWebHook(name, []byte("{}"))
	return err == nil
}

// decodeMap reads the payload, which must be one JSON object.
func decodeMap(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("is not JSON (%w)", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("holds %s, not a JSON object", jsonKind(v))
	}
	if dec.More() {
		return nil, errors.New("holds more than one JSON value")
	}
	return m, nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
}

func (b *builder) fromContext(c *githubactions.GitHubContext) {
	b.ServerURL = strings.TrimRight(c.ServerURL, "/")
	b.Repo = c.Repository
	if b.Repo == "" {
		if repo, ok := b.Payload["repository"].(map[string]any); ok {
			b.Repo, _ = repo["full_name"].(string)
		}
	}
	b.Workflow = c.Workflow
	b.Job = c.Job
	b.RunID, b.RunNumber, b.RunAttempt = c.RunID, c.RunNumber, c.RunAttempt
	b.Actor = c.Actor
	b.Ref, b.RefName = c.Ref, c.RefName
	b.SHA = c.SHA
	b.Branch = c.HeadRef // pull requests: the head branch
}

func (b *builder) actorFallback(u *github.User) {
	if b.Actor == "" {
		b.Actor = u.GetLogin()
	}
}

func (b *builder) repoURL() string {
	if b.Repo == "" {
		return ""
	}
	return b.ServerURL + "/" + b.Repo
}

// finish derives the fields that depend on others.
func (b *builder) finish() {
	b.RepoURL = b.repoURL()
	if b.RepoURL != "" && b.RunID > 0 {
		b.RunURL = b.RepoURL + "/actions/runs/" + strconv.FormatInt(b.RunID, 10)
	}
	b.Complete()
	if b.Commit.URL == "" && b.RepoURL != "" && b.SHA != "" {
		b.Commit.URL = b.RepoURL + "/commit/" + b.SHA
	}
	if b.Branch != "" && b.RepoURL != "" && !b.Push.Deleted {
		b.BranchURL = b.RepoURL + "/tree/" + b.Branch
	}
}

// Complete derives the fields every summary has from the ones its source
// gave, the same way for GitHub and the other CI systems: Ref from Tag or
// Branch (a tag wins), Branch or Tag from Ref, RefName, ShortSHA (7
// characters) and the commit title (the message's first line).
func (s *Summary) Complete() {
	switch {
	case s.Ref == "" && s.Tag != "":
		s.Ref = "refs/tags/" + s.Tag
	case s.Ref == "" && s.Branch != "":
		s.Ref = "refs/heads/" + s.Branch
	case strings.HasPrefix(s.Ref, "refs/heads/") && s.Branch == "":
		s.Branch = strings.TrimPrefix(s.Ref, "refs/heads/")
	case strings.HasPrefix(s.Ref, "refs/tags/"):
		s.Tag = strings.TrimPrefix(s.Ref, "refs/tags/")
	}
	if s.RefName == "" {
		s.RefName = shortRef(s.Ref)
	}
	s.ShortSHA = s.SHA
	if len(s.ShortSHA) > 7 {
		s.ShortSHA = s.ShortSHA[:7]
	}
	if s.Commit.Title == "" {
		s.Commit.Title = FirstLine(s.Commit.Message)
	}
	if s.PR.Name == "" && s.PR.Number > 0 {
		s.PR.Name = "PR #" + strconv.Itoa(s.PR.Number)
	}
}

// FirstLine returns s up to its first line break.
func FirstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// report records the outcome the event gives its subject: the first of
// words (a conclusion, then a status) that is an outcome word.
func (b *builder) report(words ...string) {
	for _, w := range words {
		if o, ok := NormaliseOutcome(w); ok {
			b.reported = o
			return
		}
	}
}

// FormatDuration writes d for people, to the second, without trailing
// zero units: "45s", "2m", "3m12s", "6h", "1h0m5s" (a zero between two
// others stays).
func FormatDuration(d time.Duration) string {
	s := int64(max(d, 0).Round(time.Second) / time.Second)
	h, m, sec := s/3600, s/60%60, s%60
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 || h > 0 && sec > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if sec > 0 || s == 0 {
		fmt.Fprintf(&b, "%ds", sec)
	}
	return b.String()
}
