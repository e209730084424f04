package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Bounds of the details reads: jobs asked about, requests at once.
const (
	maxLogJobs      = 5
	detailsParallel = 4
)

// detailsWanted reports whether the message reports a failure and the
// inputs ask for reasons from GitHub.
func (r *run) detailsWanted(sum *event.Summary) bool {
	in := r.cfg.Insight
	return sum.Outcome == event.ClassFailed && (in.Details || in.LogLines > 0 || in.AttachLog)
}

// readDetails reads why the failed jobs failed: their annotations
// (details) and the failed steps' log (log-lines, attach-log), a few
// requests at a time. It returns the jobs with what it found, and the
// logs as an attachment (attach-log). Like all insight it never fails the
// step: each kind of refusal is one warning.
func (r *run) readDetails(ctx context.Context, api *ghapi.Client, jobs []event.Job, sum *event.Summary) ([]event.Job, *deliver.Attachment) {
	if api == nil || !r.detailsWanted(sum) {
		return jobs, nil
	}
	annotate, logs := r.detailJobs(jobs)
	found, raw := r.fetchDetails(ctx, api, jobs, annotate, logs)
	jobs, file := r.withDetails(jobs, found, raw)
	if file == "" {
		return jobs, nil
	}
	content := []byte(r.out.Redact(file))
	if len(content) > chatwork.MaxFileBytes {
		content = content[len(content)-chatwork.MaxFileBytes:] // the end says most
	}
	return jobs, &deliver.Attachment{
		Name:    fmt.Sprintf("failed-steps-%d.log", sum.RunID),
		Content: content,
		Note:    r.out.Redact(notation.Neutralise(attachmentNote(sum))),
	}
}

// detailJobs picks the failed jobs whose annotations (details) and logs
// (log-lines, attach-log) are read, as indexes into jobs.
func (r *run) detailJobs(jobs []event.Job) (annotate, logs []int) {
	in := r.cfg.Insight
	for i, j := range jobs {
		failed := event.StepFailed(j.Conclusion)
		if failed && in.Details && len(annotate) < event.MaxAnnotations {
			annotate = append(annotate, i) // the running job too: its steps may have said why
		}
		if failed && !j.Current && (in.LogLines > 0 || in.AttachLog) && len(logs) < maxLogJobs {
			logs = append(logs, i)
		}
		if failed && j.Current && (in.LogLines > 0 || in.AttachLog) {
			r.out.Info("this job's own log is not available until it ends, so only the other failed jobs' logs are used")
		}
	}
	return annotate, logs
}

// fetchDetails reads the annotations and the logs of the chosen jobs side
// by side, a few requests at a time each; each kind of failure is one
// warning.
func (r *run) fetchDetails(ctx context.Context, api *ghapi.Client, jobs []event.Job, annotate, logs []int) (map[int][]event.Annotation, map[int]string) {
	var (
		found          map[int][]event.Annotation
		raw            map[int]string
		annErr, logErr []error
		both           sync.WaitGroup
	)
	both.Add(2)
	go func() {
		defer both.Done()
		found, annErr = fetchEach(annotate, func(i int) ([]event.Annotation, error) { return api.Annotations(ctx, jobs[i].ID) })
	}()
	go func() {
		defer both.Done()
		raw, logErr = fetchEach(logs, func(i int) (string, error) {
			l, err := api.JobLog(ctx, jobs[i].ID)
			if errors.Is(err, ghapi.ErrLogGone) {
				err = nil // nothing to say: the job had no log (yet)
			}
			return l, err
		})
	}()
	both.Wait()
	r.warnDetails("the failed jobs' annotations", "checks: read", annErr)
	r.warnDetails("the failed steps' logs", "actions: read", logErr)
	return found, raw
}

// withDetails returns a copy of jobs with their annotations (at most
// MaxJobAnnotations a job and MaxAnnotations in all, in job order; the
// rest counted) and log excerpts, and the failed steps' logs as one file
// (attach-log; "" for none).
func (r *run) withDetails(jobs []event.Job, found map[int][]event.Annotation, raw map[int]string) ([]event.Job, string) {
	in := r.cfg.Insight
	jobs = slices.Clone(jobs)
	shown := 0
	var file strings.Builder
	for i := range jobs {
		if a := found[i]; len(a) > 0 {
			n := min(len(a), event.MaxJobAnnotations, event.MaxAnnotations-shown)
			jobs[i].Annotations, jobs[i].MoreAnnotations = a[:n], len(a)-n
			shown += n
		}
		if raw[i] == "" {
			continue
		}
		if in.LogLines > 0 {
			jobs[i].Log = strings.Join(ghapi.FailedStepLines(raw[i], in.LogLines), "\n")
		}
		if in.AttachLog {
			fmt.Fprintf(&file, "=== %s ===\n%s\n\n", jobs[i].Name, strings.Join(ghapi.FailedStepLines(raw[i], math.MaxInt), "\n"))
		}
	}
	return jobs, file.String()
}

// fetchEach calls get for every index, detailsParallel at a time, and
// returns the results by index with the errors.
func fetchEach[T any](idx []int, get func(int) (T, error)) (map[int]T, []error) {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		out   = map[int]T{}
		errs  []error
		slots = make(chan struct{}, detailsParallel)
	)
	for _, i := range idx {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			v, err := get(i)
			mu.Lock()
			defer mu.Unlock()
			out[i] = v
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return out, errs
}

// attachmentNote is the text Chatwork shows with the log file.
func attachmentNote(s *event.Summary) string {
	run, number := cmp.Or(s.WorkflowRun.Name, s.Workflow), s.RunNumber
	if s.WorkflowRun.RunNumber > 0 {
		number = int64(s.WorkflowRun.RunNumber)
	}
	if number > 0 {
		run += fmt.Sprintf(" #%d", number)
	}
	if s.Language == "ja" {
		return strings.TrimSpace(run + " の失敗したステップのログ")
	}
	return strings.TrimSpace("Logs of the failed steps of " + run)
}

// warnDetails turns the errors of one kind of details read into one
// warning that names the permission when GitHub refused.
func (r *run) warnDetails(what, permission string, errs []error) {
	if len(errs) == 0 {
		return
	}
	err := errors.Join(errs...)
	if r.partialAPI(err) {
		r.out.Notice(fmt.Sprintf("this server's API does not answer for %s (%s), so the message leaves them out", what, firstLine(err)))
		return
	}
	if ghapi.IsPermission(err) {
		r.out.Warning(fmt.Sprintf("GitHub refused to read %s (%s), so the message leaves them out; add permissions: %s to the job or workflow", what, firstLine(err), permission))
		return
	}
	r.out.Warning(fmt.Sprintf("could not read %s, so the message leaves them out: %s", what, firstLine(err)))
}
