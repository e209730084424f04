// Package ghapi reads what the GitHub REST API knows about a workflow run
// (its jobs and failed steps, its duration, the previous run's result)
// through go-github, and returns it in the event package's neutral types.
// Calls are bounded in count (pagination is capped); the caller bounds
// them in time with its context.
package ghapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/google/go-github/v60/github"
)

// MaxJobPages caps job-list pagination (100 jobs per page).
const MaxJobPages = 10

// MaxResponseBytes caps every answer read from the GitHub API (a page of
// 100 jobs with their steps is a few hundred KB).
const MaxResponseBytes = 16 << 20

// Client reads one repository's Actions data.
type Client struct {
	gh          *github.Client
	noRedirect  *http.Client // the API client, stopping at a redirect
	storage     *http.Client // for log storage links: no credentials
	owner, repo string
	now         func() time.Time
}

// New returns a client for repository ("owner/name") at apiURL (the
// runner's GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on
// GitHub Enterprise Server).
func New(hc *http.Client, apiURL, token, repository, userAgent string, now func() time.Time) (*Client, error) {
	owner, repo, ok := strings.Cut(repository, "/")
	if !ok || owner == "" || repo == "" {
		return nil, fmt.Errorf("GITHUB_REPOSITORY %q is not owner/name", repository)
	}
	base, err := url.Parse(strings.TrimRight(apiURL, "/") + "/")
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q is not a URL", apiURL)
	}
	api := guarded(hc, base.Host, token)
	gh := github.NewClient(api)
	gh.BaseURL = base
	if userAgent != "" {
		gh.UserAgent = userAgent
	}
	noRedirect := *api
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{gh: gh, noRedirect: &noRedirect, storage: storageClient(hc), owner: owner, repo: repo, now: now}, nil
}

// guarded returns a copy of hc that sends token only to apiHost and never
// across a redirect, refuses redirects to other hosts, and cuts answers at
// MaxResponseBytes. (go-github's WithAuthToken would add the token to
// every request, redirected ones to other hosts included.)
func guarded(hc *http.Client, apiHost, token string) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &authTransport{base: base, host: apiHost, token: token, limit: MaxResponseBytes, what: "the GitHub API answer"}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host {
			return fmt.Errorf("refusing GitHub's redirect to another host (%s): the token stays with %s", req.URL.Host, via[0].URL.Host)
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		return nil
	}
	return c
}

// storageClient is hc for links GitHub hands out (log downloads): it
// sends no credentials, follows at most 3 redirects, only to https (or
// the same scheme), and caps answers like the API client.
func storageClient(hc *http.Client) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	// No host, no token: it strips Authorization. The log is read as a
	// stream that keeps its tail, so a host that ignores Range may send
	// more than an API answer, up to maxStorageBytes.
	c.Transport = &authTransport{base: base, limit: maxStorageBytes, what: "the log storage host's answer (it ignored the Range request)"}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("stopped after 3 redirects")
		}
		if req.URL.Scheme != "https" && req.URL.Scheme != via[0].URL.Scheme {
			return fmt.Errorf("refusing a redirect to %s", req.URL.Scheme)
		}
		return nil
	}
	return c
}

type authTransport struct {
	base  http.RoundTripper
	host  string
	token string
	limit int64  // answer size cap
	what  string // the answer, for the error when it passes the cap
}

// maxStorageBytes caps a log download from the storage host.
const maxStorageBytes = 256 << 20

// RoundTrip adds the token to a first-hop request to the API host only
// (req.Response is set on requests that follow a redirect).
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	if req.Response == nil && req.URL.Host == t.host && t.token != "" {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: t.limit, limit: t.limit, what: t.what}
	return resp, nil
}

// cappedBody fails a read that goes past its limit instead of reading on.
type cappedBody struct {
	io.ReadCloser
	left, limit int64
	what        string
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		b.left = 0
		return 0, fmt.Errorf("%s is larger than %d MiB", b.what, b.limit>>20)
	}
	b.left -= int64(n)
	return n, err
}

// Run describes a workflow run.
type Run struct {
	ID         int64
	WorkflowID int64
	Branch     string
	RunNumber  int
	Status     string // queued, in_progress, completed
	Conclusion string
	Started    time.Time
	Updated    time.Time
}

// Duration is how long the run took, or has taken so far.
func (r Run) Duration(now time.Time) time.Duration {
	if r.Started.IsZero() {
		return 0
	}
	end := now
	if r.Status == "completed" && !r.Updated.IsZero() {
		end = r.Updated
	}
	return end.Sub(r.Started)
}

// Run reads one workflow run.
func (c *Client) Run(ctx context.Context, id int64) (Run, error) {
	r, _, err := c.gh.Actions.GetWorkflowRunByID(ctx, c.owner, c.repo, id)
	if err != nil {
		return Run{}, fmt.Errorf("reading workflow run %d: %w", id, err)
	}
	return toRun(r), nil
}

func toRun(r *github.WorkflowRun) Run {
	return Run{
		ID:         r.GetID(),
		WorkflowID: r.GetWorkflowID(),
		Branch:     r.GetHeadBranch(),
		RunNumber:  r.GetRunNumber(),
		Status:     r.GetStatus(),
		Conclusion: r.GetConclusion(),
		Started:    firstTime(r.RunStartedAt, r.CreatedAt),
		Updated:    r.GetUpdatedAt().Time,
	}
}

func firstTime(ts ...*github.Timestamp) time.Time {
	for _, t := range ts {
		if t != nil && !t.IsZero() {
			return t.Time
		}
	}
	return time.Time{}
}

// Current identifies the job this process runs in: the in-progress job
// whose runner_name is RUNNER_NAME (the API's job name is the display name,
// which differs from GITHUB_JOB for matrix and renamed jobs).
type Current struct {
	RunnerName string
	Status     string // the status input: the running job's result so far
}

// Jobs lists the jobs of the run's latest attempt, following pagination up
// to MaxJobPages pages. Each job is read on its own: an entry that is not
// a job (null, or a field of the wrong type) is left out and counted in
// skipped, and does not cost the others.
func (c *Client) Jobs(ctx context.Context, runID int64, cur Current) (jobs []event.Job, skipped int, err error) {
	u := fmt.Sprintf("repos/%s/%s/actions/runs/%d/jobs?filter=latest&per_page=100", c.owner, c.repo, runID)
	for page := 0; page < MaxJobPages && u != ""; page++ {
		var list struct {
			Jobs []json.RawMessage `json:"jobs"`
		}
		next, err := c.get(ctx, u, &list)
		if err != nil {
			return jobs, skipped, fmt.Errorf("listing the jobs of run %d: %w", runID, err)
		}
		for _, raw := range list.Jobs {
			var j *github.WorkflowJob
			if json.Unmarshal(raw, &j) != nil || j == nil {
				skipped++
				continue
			}
			jobs = append(jobs, c.toJob(j, cur))
		}
		u = next
	}
	return jobs, skipped, nil
}

// get reads one API page into out and returns the next page's URL ("" at
// the last one).
func (c *Client) get(ctx context.Context, u string, out any) (string, error) {
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.gh.Do(ctx, req, out)
	if err != nil {
		return "", err
	}
	if resp.NextPage == 0 {
		return "", nil
	}
	q := req.URL.Query()
	q.Set("page", strconv.Itoa(resp.NextPage))
	next := *req.URL
	next.RawQuery = q.Encode()
	return next.String(), nil
}

func (c *Client) toJob(j *github.WorkflowJob, cur Current) event.Job {
	job := event.Job{
		ID:         j.GetID(),
		Name:       j.GetName(),
		Status:     j.GetStatus(),
		Conclusion: j.GetConclusion(),
		URL:        j.GetHTMLURL(),
		Current:    j.GetStatus() == "in_progress" && cur.RunnerName != "" && j.GetRunnerName() == cur.RunnerName,
	}
	if job.Current && cur.Status != "" {
		job.Conclusion = cur.Status
	}
	if start := j.GetStartedAt().Time; !start.IsZero() {
		end := j.GetCompletedAt().Time
		if end.IsZero() {
			end = c.now()
		}
		job.Duration = event.FormatDuration(end.Sub(start))
	}
	for _, st := range j.Steps {
		if event.StepFailed(st.GetConclusion()) {
			job.FailedSteps = append(job.FailedSteps, event.Step{Name: st.GetName(), Number: st.GetNumber()})
		}
	}
	return job
}

// Previous returns the conclusion of the latest completed run of the same
// workflow on the same branch before run that ended in success or failure
// (cancelled and skipped runs say nothing about the code). found is false
// when there is none among the newest 30.
func (c *Client) Previous(ctx context.Context, run Run) (conclusion string, found bool, err error) {
	opts := &github.ListWorkflowRunsOptions{Branch: run.Branch, Status: "completed", ListOptions: github.ListOptions{PerPage: 30}}
	list, _, err := c.gh.Actions.ListWorkflowRunsByID(ctx, c.owner, c.repo, run.WorkflowID, opts)
	if err != nil {
		return "", false, fmt.Errorf("listing earlier runs of workflow %d: %w", run.WorkflowID, err)
	}
	if list == nil { // an answer of null
		return "", false, nil
	}
	for _, r := range list.WorkflowRuns {
		if r.GetID() == run.ID || r.GetRunNumber() >= run.RunNumber && run.RunNumber > 0 {
			continue
		}
		switch event.ClassOf(r.GetConclusion()) {
		case event.ClassSucceeded, event.ClassFailed:
			return r.GetConclusion(), true, nil
		}
	}
	return "", false, nil
}

// IsPermission reports whether err is GitHub refusing for lack of
// permission (403 "Resource not accessible by integration"), as opposed to
// a rate limit or an outage.
func IsPermission(err error) bool {
	var rl *github.RateLimitError
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &abuse) {
		return false
	}
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden
}

// IsNotFound reports whether err is GitHub (or a GitHub-like API) saying
// it has no such resource or endpoint (404).
func IsNotFound(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound
}
