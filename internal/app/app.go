// Package app runs one notification: inputs → event summary → GitHub
// insight → message → (notify-when, dedupe) → post → outputs and job
// summary. It is the only package that knows all the others; main only
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

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// Deps is everything Run takes from the outside world.
type Deps struct {
	Args       []string            // command-line arguments without the program name
	Getenv     func(string) string // environment lookups
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
func Run(ctx context.Context, d Deps) error {
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	out := ghaction.New(d.Stdout, d.Stderr, d.Getenv, d.Random)
	// Mask every place a secret can come from before anything is printed.
	for _, v := range config.Secrets(d.Args, d.Getenv) {
		out.Mask(v)
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
		for _, e := range splitJoined(err) {
			out.Error(e.Error())
		}
		return err
	}
	out.Mask(cfg.Token)
	out.Mask(cfg.GitHubToken)

	r := &run{cfg: cfg, deps: d, out: out}
	if err := r.prepare(); err != nil {
		out.Error(err.Error())
		return err
	}
	return r.finish(r.execute(ctx))
}

// run is one notification in progress.
type run struct {
	cfg  *config.Config
	deps Deps
	out  *ghaction.Runner

	githubRun bool // the summary is a GitHub Actions run's (the API can add to it)
	sum       *event.Summary
	tmpl      *render.Template
	keyTmpl   *render.Template // nil: compare whole bodies
	texts     map[event.Class]*render.Template

	toAll  bool             // the message addresses [toall]
	people []mention.Person // and these accounts
}

// prepare reads the event and checks every template by rendering it once,
// so that no bad input is found after a request was made.
func (r *run) prepare() error {
	sum, notes, src, err := cienv.Load(cienv.Options{
		CI: r.cfg.CI, Getenv: r.deps.Getenv, EventName: r.cfg.EventName, EventPath: r.cfg.EventPath, Status: r.cfg.Status,
	})
	if err != nil {
		return err
	}
	if src.System == cienv.None && sum.Event == "" && r.cfg.Template == "" {
		return errors.New("nothing to report: no CI system was detected and no event was given; " +
			"pass the message with --template 'text' (or --template-file), or a GitHub event with --event-name and --event-path, " +
			"or name the CI system with --ci (" + strings.Join(cienv.Names, ", ") + ")")
	}
	r.githubRun = src.GitHubRun
	for _, n := range notes {
		if n.Notice {
			r.out.Notice(n.Text)
		} else {
			r.out.Warning(n.Text)
		}
	}
	sum.Language = r.cfg.Language
	sum.Values = r.cfg.Values
	// Everything the event, the environment and the inputs said is
	// redacted before anything cuts it (the fitter, truncate, excerpts).
	r.sum = render.Redact(sum, r.out.Redact)
	sum = r.sum
	r.address(nil)
	if err := r.parseTexts(); err != nil {
		return err
	}

	if r.cfg.Template != "" {
		r.tmpl, err = render.Parse(r.cfg.TemplateName, r.cfg.Template)
	} else {
		r.tmpl, err = render.Builtin(sum)
	}
	if err != nil {
		return err
	}
	if r.cfg.DedupeKey != "" && !r.cfg.Dedupe {
		r.out.Warning("dedupe-key is set but dedupe is false, so no duplicate check is made; set dedupe: true")
	}
	if r.cfg.Dedupe && r.cfg.DedupeKey != "" {
		if r.keyTmpl, err = render.Parse("dedupe-key", r.cfg.DedupeKey); err != nil {
			return err
		}
	}
	if err := r.cfg.TaskLimit.Check(r.deps.Clock.Now()); err != nil {
		return err
	}
	if _, err = r.render(); err != nil {
		return err
	}
	// Job details arrive after the first request; a template of the
	// user's that fails only with them must fail now: render once more
	// with sample details. (The built-in ones are tested with them.)
	if r.cfg.Template == "" && r.keyTmpl == nil && len(r.texts) == 0 {
		return nil
	}
	_, err = r.renderWith(withSampleDetails(sum))
	return err
}

// withSampleDetails returns a copy of sum with the fields the GitHub API
// fills, set to a plausible failed run.
func withSampleDetails(sum *event.Summary) *event.Summary {
	probe := *sum
	failed := event.Job{ID: 1, Name: "build", Status: "completed", Conclusion: "failure", URL: sum.RunURL + "/job/1",
		Duration: "1m2s", FailedSteps: []event.Step{{Name: "Run tests", Number: 4}},
		Annotations: []event.Annotation{{Level: "failure", Path: "main.go", Line: 1, Message: "build failed"}}, MoreAnnotations: 1,
		Log: "FAIL"}
	probe.Jobs = []event.Job{failed, {Name: "notify", Status: "in_progress", Conclusion: sum.Status, Current: true}}
	probe.FailedJobs = probe.Jobs[:1]
	probe.Duration = "3m12s"
	probe.Tests = event.Tests{Reports: 1, Total: 2, Failed: 1, Failures: []event.TestFailure{{Suite: "pkg", Name: "TestX", Message: "want 1"}}}
	probe.Report, _ = event.ReportRun(probe.Jobs)
	return &probe
}

// inputError marks a problem with the inputs (a template that fails, a
// dedupe-key that does not fit): it always fails the step.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// render produces the message from the summary as it stands. Its errors
// are input errors.
func (r *run) render() (deliver.Message, error) {
	return r.renderWith(r.sum)
}

// renderWith renders the message from sum. Every secret is redacted from
// the body as a last guard: a template can print any environment-derived
// text.
func (r *run) renderWith(sum *event.Summary) (deliver.Message, error) {
	msg, err := r.renderMessage(sum)
	if err != nil {
		return deliver.Message{}, inputError{err}
	}
	msg.Body, msg.Key = r.out.Redact(msg.Body), r.out.Redact(msg.Key)
	return msg, nil
}

func (r *run) renderMessage(sum *event.Summary) (deliver.Message, error) {
	limit := render.MaxBodyBytes
	if r.cfg.Mode == deliver.Reply {
		limit -= deliver.ReplyReserve
	}
	// A template of the user's that does not place .Mentions still
	// addresses the people of to and mentions: the line goes first.
	prefix := ""
	if r.cfg.Template != "" && sum.Mentions != "" && !r.tmpl.Reads("Mentions") {
		prefix = string(sum.Mentions) + "\n"
		limit -= len(prefix)
	}
	if err := r.setText(sum); err != nil {
		return deliver.Message{}, err
	}
	body, err := r.tmpl.Fit(sum, limit)
	if err != nil {
		return deliver.Message{}, err
	}
	if strings.TrimSpace(body) == "" {
		return deliver.Message{}, fmt.Errorf("template %s rendered an empty message; Chatwork needs some text", r.cfg.TemplateName)
	}
	body = prefix + body
	msg := deliver.Message{Body: body}
	if r.keyTmpl == nil {
		msg.Key = r.detailFreeKey(sum, prefix, body, limit)
		return msg, nil
	}
	key, err := r.keyTmpl.Execute(sum)
	if err != nil {
		return deliver.Message{}, err
	}
	msg.Key = chatwork.NormaliseBody(key)
	if msg.Key == "" {
		return deliver.Message{}, errors.New("input dedupe-key: rendered to empty text, which every message contains; make it render something specific to this notification, e.g. {{.Repo}}#{{.RunID}}")
	}
	if !strings.Contains(chatwork.NormaliseBody(body), msg.Key) {
		return deliver.Message{}, fmt.Errorf("input dedupe-key: the message does not contain the rendered key %q, so no later run could ever find it; put the same text in the template", msg.Key)
	}
	return msg, nil
}

// detailFreeKey is the dedupe key of a message with details: the message
// without them, which the message contains when its template puts the
// details last (the built-in ones do). A re-run whose details differ (a
// test that failed differently, a longer log) is then still the same
// message. "" (whole bodies compared) when there are no details, no
// dedupe, or the template places them elsewhere.
func (r *run) detailFreeKey(sum *event.Summary, prefix, body string, limit int) string {
	if !r.cfg.Dedupe || !sum.HasDetails() {
		return ""
	}
	base, err := r.tmpl.Fit(sum.WithoutDetails(), limit)
	key := chatwork.NormaliseBody(prefix + base)
	if err != nil || key == "" || !strings.Contains(chatwork.NormaliseBody(body), key) {
		return ""
	}
	return key
}

// runResult is what happened, for outputs, log and summary.
type runResult struct {
	Body   string // the message (for a reply, as posted to the first room)
	DryRun bool
	Reason string           // why nothing was posted anywhere (notify-when, missing token)
	Rooms  []deliver.Result // one per room, in input order
	Err    error            // an input error found late (a template that fails)
}

// execute decides whether to post, gathers what the message needs and
// delivers it to every room. Input errors were all caught by prepare.
func (r *run) execute(ctx context.Context) runResult {
	if r.cfg.SkipNoToken {
		r.out.Notice("token is empty and on-missing-token is skip, so nothing was posted (pull requests from forks and Dependabot runs get no secrets)")
		return r.skip("the token is empty and on-missing-token is skip")
	}
	if reason := r.notifyWhenFailure(); reason != "" && r.cfg.Report != config.ReportRun {
		return r.skip(reason) // known before any request
	}
	// The room reads and the GitHub reads are independent: run them side
	// by side. A dry run makes no Chatwork request, but still reads GitHub
	// so that its body is what a real run would post.
	var delivery *deliver.Delivery
	if !r.cfg.DryRun {
		client := chatwork.New(r.cfg.APIURL, r.cfg.Token, chatwork.Options{
			HTTPClient:     r.deps.HTTPClient,
			UserAgent:      userAgent(r.deps.Version),
			Clock:          r.deps.Clock,
			Budget:         r.deps.Budget,
			AttemptTimeout: r.deps.AttemptTimeout,
			Logf:           func(f string, a ...any) { r.out.Info(fmt.Sprintf(f, a...)) },
			Redact:         r.out.Redact,
		})
		plan := deliver.Plan{
			Mode: r.cfg.Mode, Rooms: r.cfg.Rooms, Targets: r.cfg.MessageIDs,
			Dedupe: r.cfg.Dedupe, SelfUnread: r.cfg.SelfUnread,
			TaskTo: r.cfg.TaskTo, TaskDeadline: r.cfg.TaskLimit.Deadline,
			// Members only when someone is addressed (report: run may
			// make the outcome a failure later, and address people then).
			Members: len(r.people) > 0 || r.cfg.Report == config.ReportRun && len(r.cfg.Mentions) > 0,
		}
		if r.cfg.CloseTasks {
			marker, err := r.taskMarker()
			if err != nil {
				return runResult{Err: inputError{err}}
			}
			plan.CloseTasks = marker
		}
		delivery = deliver.Start(ctx, client, plan, deliver.Options{Clock: r.deps.Clock, Redact: r.out.Redact})
	}
	// GitHub is asked within one time limit, the reports on disk are read
	// meanwhile.
	ictx, cancel := context.WithTimeout(ctx, insightTimeout)
	tests := make(chan struct{})
	go func() { defer close(tests); r.readTests(ictx) }()
	ins := r.gatherInsight(ictx)
	r.reportOnRun(ins.jobs)
	if reason := r.notifyWhenFailure(); reason != "" {
		cancel()
		<-tests
		return r.skip(reason) // report: run decided the outcome just now
	}
	attachment := r.addDetails(ictx, ins.api, ins.jobs)
	<-tests
	cancel()
	// What GitHub said is redacted before anything cuts it.
	ins.jobs = render.Redact(ins.jobs, r.out.Redact)
	ins.apply(r.sum)
	if dropped := r.address(nil); dropped > 0 { // the outcome is final now
		r.out.Notice(fmt.Sprintf("the message addresses the first %d accounts; %d more that mentions and to name are left out (at most %d a message)",
			mention.MaxAddressed, dropped, mention.MaxAddressed))
	}
	r.nameThePeople(delivery)

	if reason := r.notifyWhenChange(ins); reason != "" {
		return r.skip(reason)
	}
	r.closeTasks(ctx, delivery)
	msg, err := r.render()
	if err != nil || r.cfg.DryRun {
		return runResult{Body: msg.Body, DryRun: r.cfg.DryRun, Err: err}
	}
	if msg.Task, err = r.taskBody(); err != nil {
		return runResult{Body: msg.Body, Err: err}
	}
	msg.Attachment = attachment
	res := runResult{Body: msg.Body, Rooms: delivery.Deliver(ctx, msg)}
	if len(res.Rooms) > 0 && res.Rooms[0].Body != "" {
		res.Body = res.Rooms[0].Body
	}
	return res
}

// skip is the outcome of deciding not to post at all.
func (r *run) skip(reason string) runResult {
	msg, err := r.render()
	return runResult{Reason: reason, Body: msg.Body, Err: err}
}

// notifyWhenFailure returns why notify-when: failure does not post.
func (r *run) notifyWhenFailure() string {
	if r.cfg.NotifyWhen != config.NotifyFailure {
		return ""
	}
	switch r.sum.Outcome {
	case event.ClassFailed, event.ClassCancelled:
		return ""
	}
	return fmt.Sprintf("notify-when is failure and the outcome is %s, so nothing was posted", cmp.Or(r.sum.Status, "none (an announcement)"))
}

// notifyWhenChange returns why notify-when: change does not post.
func (r *run) notifyWhenChange(ins insight) string {
	if r.cfg.NotifyWhen != config.NotifyChange {
		return ""
	}
	switch {
	case r.sum.Outcome != event.ClassSucceeded && r.sum.Outcome != event.ClassFailed:
		return "" // cancelled, waiting, announcements…: always worth a message
	case !ins.prevKnown:
		r.out.Info("notify-when is change, but the previous run's result is unknown; posting")
		return ""
	case ins.prevFound && event.ClassOf(ins.prevStatus) == r.sum.Outcome:
		return fmt.Sprintf("notify-when is change and the previous run of this workflow on this branch was also %s, so nothing was posted", ins.prevStatus)
	}
	return ""
}

func userAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "chatwork-notify/" + version + " (+https://github.com/chatwork-notify/chatwork-notify)"
}

// splitJoined returns the errors inside an errors.Join, or err alone.
func splitJoined(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		return j.Unwrap()
	}
	return []error{err}
}
