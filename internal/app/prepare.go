package app

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// prepare reads the event (the facts) and checks every template by
// rendering it once, so that no bad input is found after a request was
// made.
func (r *run) prepare() error {
	c := r.cfg
	sum, notes, src, err := cienv.Load(cienv.Options{
		CI: c.Run.CI, Getenv: r.deps.Getenv, EventName: c.Run.EventName, EventPath: c.Run.EventPath, Status: c.Run.Status,
	})
	if err != nil {
		return err
	}
	if src.System == cienv.None && sum.Event == "" && c.Message.Template == "" {
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
	sum.Language = c.Message.Language
	sum.Values = c.Message.Values
	// Everything the event, the environment and the inputs said is
	// redacted before anything cuts it (the fitter, truncate, excerpts).
	r.scrub(sum)
	r.facts = sum
	r.out.Debug(fmt.Sprintf("read: %s from %s (event %q, action %q); status input %q, so the outcome is %q; language %s",
		cmp.Or(src.System, "no CI system"), cmp.Or(c.Run.EventPath, "no event file"), sum.Event, sum.Action, c.Run.Status, sum.Outcome, sum.Language))
	if r.tmpl, err = r.parseTemplates(); err != nil {
		return err
	}
	if err := c.Delivery.TaskLimit.Check(r.deps.Clock.Now()); err != nil {
		return err
	}
	check := r.addressed(r.facts, nil).sum
	check.Ask = event.Ask{Timeout: c.Delivery.Ask.Timeout}
	if _, err := r.compose(check); err != nil {
		return err
	}
	// Job details arrive after the first request; a template of the
	// user's that fails only with them must fail now: render once more
	// with sample details. (The built-in ones are tested with them.)
	if c.Message.Template == "" && r.tmpl.key == nil && len(r.tmpl.texts) == 0 {
		return nil
	}
	_, err = r.compose(withSampleDetails(check))
	return err
}

// scrub redacts every secret from the strings inside v (a pointer, map or
// slice), in place, on text cleaned first: neutralising drops controls
// later, and a secret with one inside would become whole again after
// redaction, then be cut.
func (r *run) scrub(v any) {
	render.Redact(v, func(s string) string { return r.out.Redact(notation.Clean(s)) })
}

// parseTemplates parses the message template (the user's or the built-in
// one for the event), the dedupe key and every one-liner. Each one-liner
// runs once, with and without job details, whatever the outcome at hand:
// a typo in failure-text is an input error of the green run, not a lost
// message on the first red one.
func (r *run) parseTemplates() (templates, error) {
	var t templates
	var err error
	switch m := r.cfg.Message; {
	case m.Template != "":
		t.message, err = render.Parse(m.TemplateName, m.Template)
	case r.cfg.Delivery.Mode == deliver.Ask:
		t.message, err = render.BuiltinQuestion(m.Language)
	case r.cfg.Insight.Report == config.ReportReviews:
		t.message, err = render.BuiltinReviews(m.Language)
	default:
		t.message, err = render.Builtin(r.facts)
	}
	if err != nil {
		return t, err
	}
	if r.cfg.Delivery.Dedupe && r.cfg.Message.DedupeKey != "" {
		if t.key, err = render.Parse("input dedupe-key", r.cfg.Message.DedupeKey); err != nil {
			return t, err
		}
	}
	t.texts = map[event.Class]*render.Template{}
	for class, src := range r.cfg.Message.Texts {
		name := map[event.Class]string{event.ClassSucceeded: "input success-text", event.ClassFailed: "input failure-text"}[class]
		if name == "" {
			name = "input texts (" + string(class) + ")"
		}
		tt, err := render.Parse(name, src)
		if err != nil {
			return t, err
		}
		for _, sum := range []*event.Summary{r.facts, withSampleDetails(r.facts)} {
			if _, err := tt.Execute(sum); err != nil {
				return t, err
			}
		}
		t.texts[class] = tt
	}
	return t, nil
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
	probe.Reviews = event.NewReviews([]event.ReviewGroup{{Reviewer: "octocat", Pulls: []event.ReviewPull{
		{Number: 2, Title: "Fix the login form", URL: sum.RepoURL + "/pull/2", Author: "mona", Waited: 50 * time.Hour}}}})
	return &probe
}
