// Package ghaction speaks the GitHub Actions runner protocol safely: masking,
// log lines that untrusted text cannot turn into workflow commands, and step
// outputs and job summaries written with a fresh random heredoc delimiter.
//
// Workflow commands go through github.com/sethvargo/go-githubactions, whose
// escaping is correct for annotation data; its Infof and SetOutput are not
// used because they write text as is and use one fixed delimiter.
package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/text"
	"github.com/sethvargo/go-githubactions"
)

// Runner writes log lines, outputs and the step summary for one step.
// Outside GitHub Actions (GITHUB_ACTIONS is not "true") it prints plain
// human-readable lines and emits no workflow command at all.
type Runner struct {
	w       io.Writer // the log, redacting
	stdout  io.Writer // where Message prints outside Actions
	red     *redactor
	gha     *githubactions.Action // writes through the redactor
	raw     *githubactions.Action // writes ::add-mask:: unredacted
	getenv  func(string) string
	random  io.Reader
	actions bool
}

// New returns a Runner that reads GITHUB_* through getenv and draws
// delimiters from random (crypto/rand.Reader when nil). Under Actions it
// logs to stdout, which the runner reads; elsewhere the log (notes,
// warnings, errors, usage) goes to stderr and only the message to stdout,
// so a shell can capture the message alone. A nil stderr means stdout.
// Everything it writes (log, message, outputs, summary) has the secrets
// given to Mask replaced by "***", inside Actions and out.
func New(stdout, stderr io.Writer, getenv func(string) string, random io.Reader) *Runner {
	if random == nil {
		random = rand.Reader
	}
	actions := getenv("GITHUB_ACTIONS") == "true"
	log := stdout
	if !actions && stderr != nil {
		log = stderr
	}
	red := newRedactor(log)
	return &Runner{
		w:       red,
		stdout:  stdout,
		red:     red,
		gha:     githubactions.New(githubactions.WithWriter(red), githubactions.WithGetenv(getenv)),
		raw:     githubactions.New(githubactions.WithWriter(log), githubactions.WithGetenv(getenv)),
		getenv:  getenv,
		random:  random,
		actions: actions,
	}
}

// Message shows the message: under Actions in a collapsible log group
// (as Info, so it cannot start a workflow command); elsewhere as plain
// text on stdout.
func (r *Runner) Message(text string) {
	if !r.actions {
		fmt.Fprintln(r.stdout, r.red.Redact(strings.TrimRight(text, "\n")))
		return
	}
	r.Group("Chatwork message")
	r.Info(text)
	r.EndGroup()
}

// InActions reports whether the process runs as a GitHub Actions step.
func (r *Runner) InActions() bool { return r.actions }

// Mask hides secret: it is registered with the runner (::add-mask::, only
// under Actions: elsewhere that line would itself show the secret) and
// replaced by "***" in everything this Runner writes.
func (r *Runner) Mask(secret string) {
	if strings.TrimSpace(secret) == "" {
		return
	}
	if r.red.Add(secret) && r.actions {
		r.raw.AddMask(secret)
	}
}

// Redact returns s with every secret given to Mask replaced by "***": the
// last guard for text that leaves the process by another way than the log
// (the posted message).
func (r *Runner) Redact(s string) string { return r.red.Redact(s) }

// maxAnnotation caps an annotation's text (after redaction): error texts
// quote servers, and a server can say a lot.
const maxAnnotation = 2000

// Writer returns the redacting log writer (for usage text and the like).
// Outside Actions it writes to stderr.
func (r *Runner) Writer() io.Writer { return r.w }

// Group opens a collapsible log group with a trusted title.
func (r *Runner) Group(title string) {
	if r.actions {
		r.gha.Group(title)
		return
	}
	fmt.Fprintf(r.w, "--- %s\n", oneLine(title))
}

// EndGroup closes the group opened by Group.
func (r *Runner) EndGroup() {
	if r.actions {
		r.gha.EndGroup()
	}
}

// Notice logs a notice annotation.
func (r *Runner) Notice(msg string) { r.annotate("notice", msg) }

// Warning logs a warning annotation.
func (r *Runner) Warning(msg string) { r.annotate("warning", msg) }

// Error logs an error annotation.
func (r *Runner) Error(msg string) { r.annotate("error", msg) }

// Debug logs msg as a debug line (::debug::), which the log shows only
// when debug logging is on (a re-run with it, or ACTIONS_STEP_DEBUG set
// as a secret or variable). It writes nothing unless RUNNER_DEBUG is "1",
// the runner's sign of that; the line is redacted, cut and kept to one
// line like an annotation. Outside Actions, with RUNNER_DEBUG=1, it prints
// "debug: msg" to the log.
func (r *Runner) Debug(msg string) {
	if r.getenv("RUNNER_DEBUG") != "1" {
		return
	}
	r.annotate("debug", msg)
}

func (r *Runner) annotate(kind, msg string) {
	// Redact before cutting, so a cut never leaves half a secret behind.
	msg = text.Cut(oneLine(r.red.Redact(msg)), maxAnnotation)
	if !r.actions {
		fmt.Fprintf(r.w, "%s: %s\n", kind, msg)
		return
	}
	// IssueCommand escapes %, CR and LF in the data, so msg stays on one line
	// after the command prefix whatever it contains.
	r.gha.IssueCommand(&githubactions.Command{Name: kind, Message: msg})
}

// Info prints text that may contain untrusted content. Under Actions, text
// that the runner could read as a workflow command (see couldBeCommand) is
// printed between ::stop-commands:: and the matching resume line, with a
// random token that occurs in the text in no case and no spelling.
func (r *Runner) Info(text string) {
	text = strings.TrimRight(text, "\n")
	if !r.actions {
		fmt.Fprintln(r.w, text)
		return
	}
	view := commandView(r.red.Redact(text))
	if !couldBeCommand(view) {
		fmt.Fprintln(r.w, text)
		return
	}
	tok := r.token("stop", view)
	fmt.Fprintf(r.w, "::stop-commands::%s\n%s\n::%s::\n", tok, text, tok)
}

var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// SetOutput appends name=value to the file named by GITHUB_OUTPUT in heredoc
// form with a fresh random delimiter that does not occur in value, so the
// value cannot close the heredoc and forge other outputs. Without
// GITHUB_OUTPUT (outside Actions) it does nothing.
func (r *Runner) SetOutput(name, value string) error {
	if !outputName.MatchString(name) {
		return fmt.Errorf("output name %q is not valid", name)
	}
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return nil
	}
	value = r.red.Redact(value)
	delim := r.token("ghadelimiter", name+value)
	return appendFile(path, fmt.Sprintf("%s<<%s\n%s\n%s\n", name, delim, value, delim))
}

// AddSummary appends markdown to the job summary (GITHUB_STEP_SUMMARY).
// Without GITHUB_STEP_SUMMARY it does nothing.
func (r *Runner) AddSummary(markdown string) error {
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	return appendFile(path, r.red.Redact(strings.TrimRight(markdown, "\n"))+"\n")
}

// token returns prefix_<32 hex digits> that does not occur in avoid.
func (r *Runner) token(prefix, avoid string) string {
	buf := make([]byte, 16)
	for {
		if _, err := io.ReadFull(r.random, buf); err != nil {
			// crypto/rand does not fail on supported platforms; a broken
			// injected reader must not yield a guessable delimiter.
			panic(fmt.Sprintf("ghaction: reading random bytes: %v", err))
		}
		tok := prefix + "_" + hex.EncodeToString(buf)
		if !strings.Contains(avoid, tok) {
			return tok
		}
	}
}

func appendFile(path, text string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644) //nolint:gosec // the runner's own output and summary files, which it reads
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err := io.WriteString(f, text); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// CodeFence returns a backtick fence longer than any run of backticks in
// text, so text placed between two such fences can never close the block.
func CodeFence(text string) string {
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
