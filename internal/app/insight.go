package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
)

// insightTimeout bounds all GitHub API reads of one run.
const insightTimeout = 10 * time.Second

// insight is what the GitHub API added; its zero value means "nothing".
type insight struct {
	api        *ghapi.Client // nil when GitHub is not asked
	jobs       []event.Job
	duration   string
	prevKnown  bool   // the previous run was looked up
	prevFound  bool   // and there was one
	prevStatus string // its status (success or failure)
}

func (in insight) apply(s *event.Summary) {
	s.Jobs, s.Duration = in.jobs, in.duration
	s.FailedJobs = nil
	for _, j := range in.jobs {
		// The notifier's own job is never a failed job of the report.
		if event.StepFailed(j.Conclusion) && !j.Current {
			s.FailedJobs = append(s.FailedJobs, j)
		}
	}
}

// gatherInsight reads the run this notification is about (for workflow_run
// events, the run in the payload): its jobs, its duration and, for
// notify-when: change, the previous run's result. It never fails the step:
// without a token or without permission it warns once and returns less.
// ctx bounds it (insightTimeout, with the details read after it).
func (r *run) gatherInsight(ctx context.Context) insight {
	runID := r.sum.RunID
	if r.sum.Event == "workflow_run" && r.sum.WorkflowRun.ID != 0 {
		runID = r.sum.WorkflowRun.ID
	}
	if runID == 0 || r.sum.Repo == "" || !r.githubRun {
		return insight{} // not inside a GitHub workflow run: nothing to ask about
	}
	if r.cfg.GitHubToken == "" {
		if r.out.InActions() {
			r.out.Warning("github-token is empty, so the message leaves out job details" + r.changeNote() +
				"; keep the default github-token (${{ github.token }}) and grant permissions: actions: read")
		}
		return insight{}
	}
	apiURL := r.deps.Getenv("GITHUB_API_URL")
	if apiURL == "" {
		apiURL = "https://api.github.com"
	}
	api, err := ghapi.New(r.deps.HTTPClient, apiURL, r.cfg.GitHubToken, r.sum.Repo, userAgent(r.deps.Version), r.deps.Clock.Now)
	if err != nil {
		r.out.Warning("cannot ask the GitHub API: " + err.Error())
		return insight{}
	}
	var (
		in      = insight{api: api}
		wg      sync.WaitGroup
		run     ghapi.Run
		runErr  error
		jobsErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		run, runErr = api.Run(ctx, runID)
	}()
	var skipped int
	go func() {
		defer wg.Done()
		in.jobs, skipped, jobsErr = api.Jobs(ctx, runID, ghapi.Current{RunnerName: r.deps.Getenv("RUNNER_NAME"), Status: r.sum.Status})
	}()
	wg.Wait()
	if skipped > 0 {
		r.out.Warning(fmt.Sprintf("GitHub's list of this run's jobs had %d entries that are not jobs; the message leaves them out", skipped))
	}
	errs := []error{runErr, jobsErr}
	if runErr == nil {
		in.duration = event.FormatDuration(run.Duration(r.deps.Clock.Now()))
		if r.cfg.NotifyWhen == config.NotifyChange {
			var err error
			in.prevStatus, in.prevFound, err = api.Previous(ctx, run)
			in.prevKnown = err == nil
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		r.warnInsight(err)
	}
	return in
}

func (r *run) changeNote() string {
	if r.cfg.NotifyWhen == config.NotifyChange {
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

func firstLine(err error) string {
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
