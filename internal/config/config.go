// Package config turns the action's inputs (INPUT_* variables under Actions,
// command-line flags elsewhere) into a validated Config. Every input is a
// row of the input table (inputs.go) that binds to its place in Config, so
// declaring an input is parsing it; one validate holds every rule between
// inputs. Every error names the input and says how to fix it, so nothing
// downstream re-parses strings and nothing is sent on bad input.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// NotifyWhen is when to post (the notify-when input).
type NotifyWhen string

// The notify-when values.
const (
	NotifyAlways  NotifyWhen = "always"
	NotifyFailure NotifyWhen = "failure"
	NotifyChange  NotifyWhen = "change"
)

// Report is what the message reports on (the report input).
type Report string

// The report values.
const (
	ReportJob     Report = "job"
	ReportRun     Report = "run"
	ReportReviews Report = "reviews" // the pull requests waiting for a review
)

// Bounds of the inputs.
const (
	MaxLogLines        = 500
	MaxTestResultBytes = 50 << 20 // all reports together
	// DefaultAskTimeout and MaxAskTimeout bound the wait of mode: ask
	// (a job may run 6 hours on GitHub's runners).
	DefaultAskTimeout = 30 * time.Minute
	MaxAskTimeout     = 6 * time.Hour
	minAskTimeout     = 10 * time.Second
	maxTestGlobs      = 20
)

// Config is the validated form of all inputs, grouped by the part of the
// program that reads it.
type Config struct {
	Chatwork Chatwork
	Delivery Delivery
	Message  Message
	People   mention.Settings
	Insight  Insight
	Run      Run
	// Warnings are inputs that work but contradict each other (dedupe-key
	// without dedupe): the log says so.
	Warnings []string
}

// Chatwork is how to reach Chatwork.
type Chatwork struct {
	Token  string
	APIURL *url.URL
	// SkipNoToken: on-missing-token is skip and the token is empty, so
	// nothing is posted and the step succeeds.
	SkipNoToken bool
	skip        bool // on-missing-token: skip
}

// Delivery is where and how the message goes (deliver.Plan's inputs).
type Delivery struct {
	Rooms      []int64 // in the order given, without duplicates; empty only in a dry run
	Mode       deliver.Mode
	MessageIDs map[int64]string // room → message to update or answer
	Dedupe     bool
	SelfUnread bool
	TaskTo     []int64 // accounts that get a task on failure
	TaskLimit  TaskLimit
	CloseTasks bool // close our open failure tasks on a success
	Ask        Ask  // mode: ask
	// Attach are globs of workspace files to upload after the message.
	Attach []string

	messageID  string // the message-id input, resolved against Rooms by validate
	closeTasks string // the close-tasks input; "" follows task-to
}

// Ask is the approval gate of mode: ask.
type Ask struct {
	Approvers []int64       // the accounts whose answer counts (also addressed by the question)
	Timeout   time.Duration // how long to wait for an answer
}

// Message is what the message says and how it is rendered.
type Message struct {
	Template     string // template source; "" selects the built-in template
	TemplateName string // "input template" or "input template-file PATH", for error messages
	DedupeKey    string // template source; "" compares whole bodies
	Language     string // en or ja: built-in messages and fixed phrases
	Values       map[string]string
	Texts        map[event.Class]string // one-liner templates per outcome class (ClassNone: announcement)

	templateFile string // the template-file input, read by validate
	successText  string // success-text and failure-text, merged into Texts by validate
	failureText  string
}

// Insight is what the GitHub API and the workspace may add.
type Insight struct {
	GitHubToken string // "" disables GitHub API reads
	NotifyWhen  NotifyWhen
	Details     bool     // add annotations and failed tests on a failure
	TestResults []string // globs of JUnit reports, relative to the workspace
	LogLines    int      // 0: no log excerpt
	AttachLog   bool
	Report      Report
}

// Run is how this run behaves.
type Run struct {
	Status      string // an outcome word (event.OutcomeWords), or "" for none
	DryRun      bool
	FailOnError bool
	CI          string // --ci: the CI system to read; "" detects it
	EventName   string // GITHUB_EVENT_NAME or --event-name
	EventPath   string // GITHUB_EVENT_PATH or --event-path
	Workspace   string // GITHUB_WORKSPACE, else the current directory
	Actions     bool   // running as a GitHub Actions step
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

// cutForError keeps an error's quote of input short.
func cutForError(s string) string { return text.Cut(s, 40+len(text.Ellipsis)) }
