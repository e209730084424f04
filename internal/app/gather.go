package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/junit"
)

// insightTimeout bounds all GitHub API reads of one run, and the reading
// of test reports beside them.
const insightTimeout = 10 * time.Second

// findings are what the GitHub API and the workspace said about the run;
// the zero value means "nothing".
type findings struct {
	api        *ghapi.Client // nil when GitHub is not asked
	jobs       []event.Job
	duration   string
	prev       previous
	tests      event.Tests
	attachment *deliver.Attachment
}

// previous is the result of the last comparable run (notify-when: change).
type previous struct {
	known  bool   // the previous run was looked up
	found  bool   // and there was one
	status string // its status (success or failure)
}

// gather reads what the run adds to the facts — its jobs, duration and
// previous run, the failed jobs' annotations and logs, the test reports —
// within insightTimeout, and returns the summary with them. reason is set
// when report: run makes notify-when: failure skip the message. It never
// fails the step: what it cannot read, it says.
func (r *run) gather(ctx context.Context) (sum *event.Summary, f findings, why reason) {
	ictx, cancel := context.WithTimeout(ctx, insightTimeout)
	defer cancel()
	tests := make(chan event.Tests, 1)
	go func() { tests <- r.readTests(ictx) }()
	f = r.readRun(ictx)
	sum = r.reportOn(r.facts, f.jobs)
	if why = notifyWhenFailure(r.cfg, sum); why.en != "" {
		<-tests
		return sum, f, why
	}
	f.jobs, f.attachment = r.readDetails(ictx, f.api, f.jobs, sum)
	f.tests = <-tests
	return withFindings(sum, f, r.scrub), f, reason{}
}

// withFindings returns a copy of sum with what the run's reads found,
// redacted before anything cuts it. The notifier's own job is a failed
// job of the report only through its steps that failed before the notify
// step (the notify step itself is still running).
func withFindings(sum *event.Summary, f findings, scrub func(any)) *event.Summary {
	c := *sum
	scrub(f.jobs)
	c.Jobs, c.Duration, c.Tests = f.jobs, f.duration, f.tests
	c.FailedJobs = nil
	for _, j := range c.Jobs {
		if j.Current && len(j.FailedSteps) > 0 || !j.Current && event.StepFailed(j.Conclusion) {
			c.FailedJobs = append(c.FailedJobs, j)
		}
	}
	return &c
}

// readRun reads the run this notification is about (for workflow_run
// events, the run in the payload): its jobs, its duration and, for
// notify-when: change, the previous run's result. Without a token or
// without permission it warns once and returns less.
func (r *run) readRun(ctx context.Context) findings {
	runID := r.facts.RunID
	if r.facts.Event == "workflow_run" && r.facts.WorkflowRun.ID != 0 {
		runID = r.facts.WorkflowRun.ID
	}
	if runID == 0 || r.facts.Repo == "" || !r.githubRun {
		return findings{} // not inside a GitHub workflow run: nothing to ask about
	}
	if r.cfg.Insight.GitHubToken == "" {
		if r.out.InActions() {
			r.out.Warning("github-token is empty, so the message leaves out job details" + r.changeNote() +
				"; keep the default github-token (${{ github.token }}) and grant permissions: actions: read")
		}
		return findings{}
	}
	api, err := r.githubClient()
	if err != nil {
		r.out.Warning("cannot ask the GitHub API: " + err.Error())
		return findings{}
	}
	f := findings{api: api}
	var (
		wg              sync.WaitGroup
		run             ghapi.Run
		runErr, jobsErr error
		skipped         int
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		run, runErr = api.Run(ctx, runID)
	}()
	go func() {
		defer wg.Done()
		f.jobs, skipped, jobsErr = api.Jobs(ctx, runID, ghapi.Current{RunnerName: r.deps.Getenv("RUNNER_NAME"), Status: r.facts.Status})
	}()
	wg.Wait()
	if skipped > 0 {
		r.out.Warning(fmt.Sprintf("GitHub's list of this run's jobs had %d entries that are not jobs; the message leaves them out", skipped))
	}
	errs := []error{runErr, jobsErr}
	if runErr == nil {
		f.duration = event.FormatDuration(run.Duration(r.deps.Clock.Now()))
		if r.cfg.Insight.NotifyWhen == config.NotifyChange {
			var err error
			f.prev.status, f.prev.found, err = api.Previous(ctx, run)
			f.prev.known = err == nil
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		r.warnInsight(err)
	}
	return f
}

// githubClient is a client of the GitHub API (GITHUB_API_URL, so GitHub
// Enterprise Server, Gitea and Forgejo too) for the repository, with the
// github-token.
func (r *run) githubClient() (*ghapi.Client, error) {
	return ghapi.New(r.deps.HTTPClient, cmp.Or(r.deps.Getenv("GITHUB_API_URL"), "https://api.github.com"),
		r.cfg.Insight.GitHubToken, r.facts.Repo, userAgent(r.deps.Version), r.deps.Clock.Now)
}

// changeNote says what notify-when: change loses without the API.
func (r *run) changeNote() string {
	if r.cfg.Insight.NotifyWhen == config.NotifyChange {
		return " and notify-when: change cannot compare with the previous run (it posts)"
	}
	return ""
}

// warnInsight turns GitHub API failures into one warning that says what to
// do about them.
func (r *run) warnInsight(err error) {
	if r.partialAPI(err) {
		r.out.Notice(fmt.Sprintf("this server's API does not answer for the workflow run (%s), so the message leaves out job details%s", firstLine(err), r.changeNote()))
		return
	}
	if ghapi.IsPermission(err) {
		r.out.Warning(fmt.Sprintf("GitHub refused to list the workflow's jobs (%s), so the message leaves out job details%s; add permissions: actions: read to the job or workflow",
			firstLine(err), r.changeNote()))
		return
	}
	r.out.Warning(fmt.Sprintf("could not read the run from the GitHub API, so the message leaves out what is missing%s: %s", r.changeNote(), firstLine(err)))
}

// partialAPI reports whether err is a GitHub-like API that lacks what was
// asked: Gitea and Forgejo answer some Actions endpoints with 404 (or not
// at all), which is how they are, not a problem to fix.
func (r *run) partialAPI(err error) bool {
	gitea := r.deps.Getenv("GITEA_ACTIONS") == "true" || r.deps.Getenv("FORGEJO_ACTIONS") == "true"
	return gitea && !ghapi.IsPermission(err)
}

// readTests reads the JUnit reports of test-results (details) until ctx
// ends. It never fails: what it skips, it says.
func (r *run) readTests(ctx context.Context) event.Tests {
	in := r.cfg.Insight
	if !in.Details || len(in.TestResults) == 0 {
		return event.Tests{}
	}
	tests, warnings := junit.Read(ctx, junit.Options{
		Workspace: r.cfg.Run.Workspace, Globs: in.TestResults, MaxBytes: config.MaxTestResultBytes, Redact: r.out.Redact,
	})
	for _, w := range warnings {
		r.out.Warning(w)
	}
	return tests
}

func firstLine(err error) string {
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
