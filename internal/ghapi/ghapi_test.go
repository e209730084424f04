package ghapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func ts(d time.Duration) *github.Timestamp { return &github.Timestamp{Time: t0.Add(d)} }

func job(name, status, conclusion, runner string, start, end time.Duration, steps ...*github.TaskStep) *github.WorkflowJob {
	j := &github.WorkflowJob{
		Name: github.String(name), Status: github.String(status), RunnerName: github.String(runner),
		HTMLURL: github.String("https://github.com/o/r/actions/runs/1/job/" + name), StartedAt: ts(start), Steps: steps,
	}
	if conclusion != "" {
		j.Conclusion = github.String(conclusion)
	}
	if end > 0 {
		j.CompletedAt = ts(end)
	}
	return j
}

func step(n int64, name, conclusion string) *github.TaskStep {
	return &github.TaskStep{Number: github.Int64(n), Name: github.String(name), Conclusion: github.String(conclusion)}
}

func client(t *testing.T, srv *ghapitest.Server, token string) *ghapi.Client {
	t.Helper()
	c, err := ghapi.New(srv.Client(), srv.APIURL(), token, "o/r", "chatwork-notify/test", func() time.Time { return t0.Add(10 * time.Minute) })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestJobsPaginateAndFindTheCurrentJob(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			srv := ghapitest.New(t, "ghs_test", prefix)
			var jobs []*github.WorkflowJob
			for i := 0; i < 230; i++ {
				jobs = append(jobs, job(fmt.Sprintf("build (node %d)", i), "completed", "success", fmt.Sprintf("runner-%d", i), 0, time.Minute))
			}
			jobs[7] = job("test (ubuntu, 20)", "completed", "failure", "runner-7", 0, 3*time.Minute+12*time.Second, step(1, "checkout", "success"), step(4, "npm test", "failure"))
			jobs[229] = job("notify", "in_progress", "", "GitHub Actions 12", 5*time.Minute, 0, step(1, "deploy", "failure"))
			srv.SetJobs(1, jobs...)

			got, _, err := client(t, srv, "ghs_test").Jobs(context.Background(), 1, ghapi.Current{RunnerName: "GitHub Actions 12", Status: "failure"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 230 {
				t.Fatalf("%d jobs, want all 230 across 3 pages", len(got))
			}
			want7 := event.Job{Name: "test (ubuntu, 20)", Status: "completed", Conclusion: "failure", URL: "https://github.com/o/r/actions/runs/1/job/test (ubuntu, 20)", Duration: "3m12s", FailedSteps: []event.Step{{Name: "npm test", Number: 4}}}
			if diff := cmp.Diff(want7, got[7]); diff != "" {
				t.Errorf("failed job (-want +got):\n%s", diff)
			}
			cur := got[229]
			if !cur.Current || cur.Conclusion != "failure" || cur.Duration != "5m" {
				t.Errorf("current job %+v", cur)
			}
			reqs := srv.Requests()
			if len(reqs) != 3 || !strings.Contains(reqs[0], "filter=latest") || !strings.Contains(reqs[0], "per_page=100") {
				t.Errorf("requests %v", reqs)
			}
			if !strings.HasPrefix(reqs[0], prefix+"/repos/o/r/actions/runs/1/jobs") {
				t.Errorf("wrong API base: %v", reqs[0])
			}
		})
	}
}

func TestJobsPaginationIsCapped(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	var jobs []*github.WorkflowJob
	for i := 0; i < 100*ghapi.MaxJobPages+50; i++ {
		jobs = append(jobs, job("j", "completed", "success", "r", 0, time.Second))
	}
	srv.SetJobs(1, jobs...)
	got, _, err := client(t, srv, "tok").Jobs(context.Background(), 1, ghapi.Current{})
	if err != nil || len(got) != 100*ghapi.MaxJobPages || len(srv.Requests()) != ghapi.MaxJobPages {
		t.Errorf("%d jobs in %d requests, %v", len(got), len(srv.Requests()), err)
	}
}

func TestForbiddenIsAPermissionError(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	srv.Forbid()
	_, _, err := client(t, srv, "tok").Jobs(context.Background(), 1, ghapi.Current{})
	if !ghapi.IsPermission(err) || !strings.Contains(err.Error(), "Resource not accessible by integration") {
		t.Errorf("err = %v", err)
	}
	_, err = client(t, srv, "wrong").Run(context.Background(), 1)
	if err == nil || ghapi.IsPermission(err) {
		t.Errorf("a 401 is not a permission problem: %v", err)
	}
}

func TestRunAndPrevious(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	add := func(id int64, num int, branch, status, conclusion string) {
		r := &github.WorkflowRun{ID: github.Int64(id), WorkflowID: github.Int64(9), RunNumber: github.Int(num), HeadBranch: github.String(branch),
			Status: github.String(status), RunStartedAt: ts(0), UpdatedAt: ts(4 * time.Minute)}
		if conclusion != "" {
			r.Conclusion = github.String(conclusion)
		}
		srv.AddRun(r)
	}
	add(100, 10, "main", "completed", "failure")
	add(101, 11, "main", "completed", "cancelled")
	add(102, 12, "other", "completed", "success")
	add(103, 13, "main", "in_progress", "")
	c := client(t, srv, "tok")
	run, err := c.Run(context.Background(), 103)
	if err != nil || run.WorkflowID != 9 || run.Branch != "main" || run.RunNumber != 13 {
		t.Fatalf("%+v %v", run, err)
	}
	if d := run.Duration(t0.Add(10 * time.Minute)); d != 10*time.Minute {
		t.Errorf("running duration %v", d)
	}
	got, found, err := c.Previous(context.Background(), run)
	if err != nil || !found || got != "failure" {
		t.Errorf("previous = %q %v %v; want failure (cancelled run 101 and other branch skipped)", got, found, err)
	}
	first, _ := c.Run(context.Background(), 100)
	if d := first.Duration(t0.Add(time.Hour)); d != 4*time.Minute {
		t.Errorf("completed duration %v", d)
	}
	if _, found, _ := c.Previous(context.Background(), first); found {
		t.Error("the first run has no predecessor")
	}
}

// TestTokenNeverLeavesTheAPIHost: a redirect to another host is refused
// and that host never sees the token, in any header.
func TestTokenNeverLeavesTheAPIHost(t *testing.T) {
	t.Parallel()
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		w.Write([]byte(`{"id":1}`))
	}))
	defer other.Close()
	srv := ghapitest.New(t, "tok-secret", "")
	srv.RedirectTo(other.URL + "/elsewhere")
	_, err := client(t, srv, "tok-secret").Run(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("err = %v, want a refused redirect", err)
	}
	for _, a := range seen {
		if a != "" {
			t.Errorf("the other host saw Authorization %q", a)
		}
	}
}

// TestRedirectedRequestCarriesNoToken: even on the same host, a request
// that follows a redirect goes without the token.
func TestRedirectedRequestCarriesNoToken(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok-secret", "")
	srv.RedirectTo("/repos/o/r/actions/runs/1")
	_, err := client(t, srv, "tok-secret").Run(context.Background(), 1)
	if err == nil {
		t.Fatal("want an error: the redirected request has no token and loops")
	}
	auths := srv.Authorizations()
	if len(auths) < 2 || auths[0] != "Bearer tok-secret" {
		t.Fatalf("authorizations %q", auths)
	}
	for _, a := range auths[1:] {
		if a != "" {
			t.Errorf("a redirected request carried %q", a)
		}
	}
}

func TestAnswersAreCapped(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	srv.AddRun(&github.WorkflowRun{ID: github.Int64(1)})
	srv.Pad(ghapi.MaxResponseBytes + 10)
	_, err := client(t, srv, "tok").Run(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("err = %v", err)
	}
}

// TestOddJobEntries: a null entry or a job with a field of the wrong type
// is left out and counted; the other jobs are read.
func TestOddJobEntries(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	good, _ := json.Marshal(job("build", "completed", "failure", "r1", 0, time.Minute, step(1, "make", "failure")))
	srv.SetRawJobs(1, json.RawMessage("null"), json.RawMessage(`{"name":"bad","steps":"not a list"}`), good, json.RawMessage(`"x"`))
	got, skipped, err := client(t, srv, "tok").Jobs(context.Background(), 1, ghapi.Current{})
	if err != nil || skipped != 3 || len(got) != 1 || got[0].Name != "build" || len(got[0].FailedSteps) != 1 {
		t.Errorf("jobs %+v, %d skipped, %v", got, skipped, err)
	}
}

// TestStorageHostIgnoringRange: a storage host that sends the whole log,
// more than an API answer may be, still gives the log's tail.
func TestStorageHostIgnoringRange(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	srv.IgnoreRange()
	line := strings.Repeat("x", 99) + "\n"
	srv.SetLog(7, strings.Repeat(line, (20<<20)/len(line))+"the last line\n")
	log, err := client(t, srv, "tok").JobLog(context.Background(), 7)
	if err != nil || !strings.HasSuffix(log, "the last line\n") || len(log) > ghapi.MaxLogBytes {
		t.Errorf("%d bytes, ends %q, %v", len(log), log[max(len(log)-20, 0):], err)
	}
}
