// Package app runs one notification as a pipeline of values: load (inputs
// and the event, checked before any request) → gather (what GitHub and
// the workspace add, beside the room reads) → decide (outcome, skip,
// people) → compose (the message) → deliver → report (outputs, log, job
// summary). It is the only package that knows all the others; main only
// builds its dependencies.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
	"github.com/chatwork-notify/chatwork-notify/internal/httplog"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// Deps is everything Run takes from the outside world.
type Deps struct {
	Args       []string            // command-line arguments without the program name
	Getenv     func(string) string // environment lookups
	Environ    func() []string     // the whole environment (to find misspelt INPUT_ names); nil for none
	Stdout     io.Writer           // the step log; outside Actions only the message
	Stderr     io.Writer           // outside Actions, the log and usage; nil means Stdout
	HTTPClient *http.Client        // for Chatwork and GitHub
	Clock      clock.Clock
	Budget     time.Duration // total time for Chatwork calls; chatwork.DefaultBudget when 0
	// AttemptTimeout bounds one Chatwork request; 15 s when 0.
	AttemptTimeout time.Duration
	Random         io.Reader // delimiter randomness; crypto/rand when nil
	Version        string
}

// ErrHelp means -h was given: usage was printed and the exit status is 0.
var ErrHelp = config.ErrHelp

// ExitCode maps Run's error to the process exit status.
func ExitCode(err error) int {
	if err == nil || errors.Is(err, ErrHelp) {
		return 0
	}
	return 1
}

// Run performs one notification and reports errors itself (as error
// annotations); the returned error only decides the exit status.
func Run(ctx context.Context, d Deps) (err error) {
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	out := ghaction.New(d.Stdout, d.Stderr, d.Getenv, d.Random)
	defer func() { // a last guard: a bug ends in one clear error, not a stack trace
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error (%v); please report it at https://github.com/chatwork-notify/chatwork-notify/issues with this log", p)
			out.Error(err.Error())
		}
	}()
	// Mask every place a secret can come from before anything is printed.
	for _, v := range config.Secrets(d.Args, d.Getenv) {
		out.Mask(v)
	}
	if d.Environ != nil {
		for _, w := range config.UnknownInputs(d.Environ()) {
			out.Warning(w)
		}
	}
	cfg, err := config.Load(d.Args, d.Getenv, out.Writer())
	if err != nil {
		switch {
		case errors.Is(err, config.ErrHelp):
			return err
		case errors.Is(err, config.ErrVersion):
			fmt.Fprintln(d.Stdout, "chatwork-notify", cmp.Or(d.Version, "dev"))
			return nil
		}
		stopped(out, splitJoined(err), d.Getenv("INPUT_LANGUAGE"))
		return err
	}
	out.Mask(cfg.Chatwork.Token)
	out.Mask(cfg.Insight.GitHubToken)
	d.HTTPClient = debugClient(d, out)
	for _, w := range cfg.Warnings {
		out.Warning(w)
	}
	r := &run{cfg: cfg, deps: d, out: out}
	if err := r.prepare(); err != nil {
		stopped(out, []error{err}, cfg.Message.Language)
		return err
	}
	return r.finish(r.execute(ctx))
}

// stopped reports errors found before any request: one error annotation
// each and a job summary that says so (in language when it is one the
// action speaks), so the run's page shows why nothing was posted.
func stopped(out *ghaction.Runner, errs []error, language string) {
	for _, e := range errs {
		out.Error(e.Error())
	}
	if err := out.AddSummary(stoppedMarkdown(errs, strings.TrimSpace(language))); err != nil {
		out.Error("writing the job summary: " + err.Error())
	}
}

// debugClient is d's HTTP client, which on a run with debug logging
// (RUNNER_DEBUG=1) writes one ::debug:: line per request: method, host and
// path, status and time, never a header, a token or a body.
func debugClient(d Deps, out *ghaction.Runner) *http.Client {
	if d.Getenv("RUNNER_DEBUG") != "1" || d.HTTPClient == nil {
		return d.HTTPClient
	}
	c := *d.HTTPClient
	c.Transport = httplog.Transport(c.Transport, out.Debug, d.Clock.Now)
	return &c
}

// run is one notification in progress. What load found (facts, the
// parsed templates) does not change after prepare; everything later is
// passed along as values.
type run struct {
	cfg  *config.Config
	deps Deps
	out  *ghaction.Runner

	githubRun bool           // the facts are a GitHub Actions run's (the API can add to them)
	facts     *event.Summary // what the event, the CI system and the inputs said; redacted
	tmpl      templates
}

// templates are the parsed templates of one run.
type templates struct {
	message *render.Template
	key     *render.Template // nil: compare whole bodies
	texts   map[event.Class]*render.Template
}

// runResult is what happened, for outputs, log and summary.
type runResult struct {
	Body   string // the message (for a reply, as posted to the first room)
	DryRun bool
	Reason reason           // why nothing was posted anywhere (notify-when, missing token)
	Rooms  []deliver.Result // one per room, in input order
	Err    error            // an input error found late (a template that fails)
	Answer *answered        // how the question of mode: ask ended; nil when none was asked
	// AskTimeout is how long the question waited (mode: ask).
	AskTimeout time.Duration
}

// inputError marks a problem with the inputs (a template that fails, a
// dedupe-key that does not fit): it always fails the step.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

func userAgent(version string) string {
	return "chatwork-notify/" + cmp.Or(version, "dev") + " (+https://github.com/chatwork-notify/chatwork-notify)"
}

// splitJoined returns the errors inside an errors.Join, or err alone.
func splitJoined(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		return j.Unwrap()
	}
	return []error{err}
}
