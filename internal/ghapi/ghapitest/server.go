// Package ghapitest is a fake GitHub REST API for the endpoints
// chatwork-notify reads: a workflow run, its jobs (paginated with Link
// headers, filter=latest), a workflow's runs, a check run's annotations
// (paginated), a job's log, which like GitHub's answers 302 with a
// link to a separate storage host that refuses any Authorization header
// and serves byte ranges, and a repository's pull requests and their
// timelines (paginated, see pulls.go). Lists paginate like GitHub: per_page
// (30 by default, at most 100), page, and a Link header with rel="next",
// "last", "prev" and "first". Bodies are go-github's own types marshalled to
// JSON, so shapes match what the real client parses.
package ghapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// Server is a fake GitHub API. Prefix is "" for github.com-style paths or
// "/api/v3" for GitHub Enterprise Server.
type Server struct {
	*httptest.Server
	Prefix string
	Token  string

	// Storage is the log storage host the log endpoint redirects to.
	Storage *httptest.Server

	mu          sync.Mutex
	runs        map[int64]*github.WorkflowRun
	jobs        map[int64][]json.RawMessage
	annotations map[int64][]*github.CheckRunAnnotation
	logs        map[int64]string
	pulls       map[int]*github.PullRequest
	timelines   map[int][]*github.Timeline
	forbidden   []string // path parts answered 403; "" forbids everything
	missing     []string // path parts answered 404, as an API without the endpoint
	storageAuth []string // Authorization headers the storage host saw
	redirect    string
	ignoreRange bool
	pad         int
	requests    []string
	auths       []string
}

// TB is the part of testing.TB the server needs.
type TB interface {
	Helper()
	Cleanup(func())
}

// New starts a fake API that accepts token; prefix as for Server.Prefix.
func New(t TB, token, prefix string) *Server {
	t.Helper()
	s := &Server{Prefix: prefix, Token: token, runs: map[int64]*github.WorkflowRun{}, jobs: map[int64][]json.RawMessage{},
		annotations: map[int64][]*github.CheckRunAnnotation{}, logs: map[int64]string{},
		pulls: map[int]*github.PullRequest{}, timelines: map[int][]*github.Timeline{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	s.Storage = httptest.NewServer(http.HandlerFunc(s.serveLog))
	t.Cleanup(s.Close)
	t.Cleanup(s.Storage.Close)
	return s
}

// SetAnnotations stores the annotations of a check run (a job's id is its
// check run's id).
func (s *Server) SetAnnotations(checkRunID int64, a ...*github.CheckRunAnnotation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.annotations[checkRunID] = a
}

// SetLog stores a job's log, as GitHub keeps it: lines with timestamps.
func (s *Server) SetLog(jobID int64, log string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs[jobID] = log
}

// StorageAuthorizations returns the Authorization header of every request
// the storage host received ("" for none).
func (s *Server) StorageAuthorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.storageAuth...)
}

// serveLog is the storage host: it refuses a request that carries
// credentials (as a pre-signed blob URL does) and serves a byte range
// ("bytes=-N" for the tail) when asked.
func (s *Server) serveLog(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.storageAuth = append(s.storageAuth, r.Header.Get("Authorization"))
	log, ok := s.logs[jobFromStorage(r.URL.Path)]
	ignoreRange := s.ignoreRange
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "" {
		http.Error(w, "<Error><Code>InvalidAuthenticationInfo</Code></Error>", http.StatusForbidden)
		return
	}
	if !ok {
		http.Error(w, "<Error><Code>BlobNotFound</Code></Error>", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	if ignoreRange {
		io.WriteString(w, log)
		return
	}
	http.ServeContent(w, r, "log.txt", time.Time{}, strings.NewReader(log))
}

func jobFromStorage(p string) int64 {
	id, _ := strconv.ParseInt(strings.TrimPrefix(p, "/logs/"), 10, 64)
	return id
}

// APIURL is what the runner would put in GITHUB_API_URL.
func (s *Server) APIURL() string { return s.URL + s.Prefix }

// AddRun stores a workflow run.
func (s *Server) AddRun(r *github.WorkflowRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs[r.GetID()] = r
}

// SetJobs stores the jobs of a run.
func (s *Server) SetJobs(runID int64, jobs ...*github.WorkflowJob) {
	raw := make([]json.RawMessage, len(jobs))
	for i, j := range jobs {
		raw[i], _ = json.Marshal(j)
	}
	s.SetRawJobs(runID, raw...)
}

// SetRawJobs stores the jobs of a run as JSON text, for answers of odd
// shapes (a null entry, a field of another type).
func (s *Server) SetRawJobs(runID int64, jobs ...json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[runID] = jobs
}

// IgnoreRange makes the storage host send whole logs whatever Range asks
// for, as some object stores do.
func (s *Server) IgnoreRange() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreRange = true
}

// Lack makes requests whose path contains one of parts answer 404, as a
// GitHub-like API without those endpoints does (Gitea, Forgejo).
func (s *Server) Lack(parts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missing = append(s.missing, parts...)
}

// Forbid makes requests whose path contains one of parts (every request
// when none is given) answer 403, as GitHub does without the permission
// (actions: read for runs, jobs and logs; checks: read for annotations;
// pull-requests: read for pull requests and their timelines).
func (s *Server) Forbid(parts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(parts) == 0 {
		parts = []string{""}
	}
	s.forbidden = append(s.forbidden, parts...)
}

// RedirectTo makes every request answer 302 Found with this Location
// (GitHub sends log downloads to a storage host this way).
func (s *Server) RedirectTo(location string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirect = location
}

// Pad puts n bytes of white space before every JSON answer, to make one
// too large to read.
func (s *Server) Pad(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pad = n
}

// Authorizations returns the Authorization header of each request, in
// the order of Requests.
func (s *Server) Authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// Requests returns the request URIs received.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

var (
	annotationsPath = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs/(\d+)/annotations$`)
	jobLogPath      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/jobs/(\d+)/logs$`)
	runPath         = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)$`)
	jobsPath        = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)/jobs$`)
	workflowRuns    = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/workflows/(\d+)/runs$`)
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if p, ok := w.(padded); ok {
		w.Write(bytes.Repeat([]byte(" "), p.n))
	}
	json.NewEncoder(w).Encode(v)
}

// padded is the ResponseWriter of a server set to Pad.
type padded struct {
	http.ResponseWriter
	n int
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.URL.RequestURI())
	s.auths = append(s.auths, r.Header.Get("Authorization"))
	if s.redirect != "" {
		http.Redirect(w, r, s.redirect, http.StatusFound)
		return
	}
	if s.pad > 0 {
		w = padded{w, s.pad}
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	for _, part := range s.missing {
		if strings.Contains(r.URL.Path, part) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
	}
	for _, part := range s.forbidden {
		if strings.Contains(r.URL.Path, part) {
			writeJSON(w, http.StatusForbidden, map[string]string{
				"message":           "Resource not accessible by integration",
				"documentation_url": "https://docs.github.com/rest",
			})
			return
		}
	}
	path, ok := trimPrefix(r.URL.Path, s.Prefix)
	if !ok || r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	switch {
	case annotationsPath.MatchString(path):
		id, _ := strconv.ParseInt(annotationsPath.FindStringSubmatch(path)[3], 10, 64)
		page(w, r, s.URL, s.annotations[id])
	case jobLogPath.MatchString(path):
		id := jobLogPath.FindStringSubmatch(path)[3]
		w.Header().Set("Location", s.Storage.URL+"/logs/"+id)
		w.WriteHeader(http.StatusFound)
	case jobsPath.MatchString(path):
		id, _ := strconv.ParseInt(jobsPath.FindStringSubmatch(path)[3], 10, 64)
		s.listJobs(w, r, id)
	case runPath.MatchString(path):
		id, _ := strconv.ParseInt(runPath.FindStringSubmatch(path)[3], 10, 64)
		run, ok := s.runs[id]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
		writeJSON(w, http.StatusOK, run)
	case pullsPath.MatchString(path):
		s.listPulls(w, r)
	case timelinePath.MatchString(path):
		n, _ := strconv.Atoi(timelinePath.FindStringSubmatch(path)[3])
		s.listTimeline(w, r, n)
	case workflowRuns.MatchString(path):
		wid, _ := strconv.ParseInt(workflowRuns.FindStringSubmatch(path)[3], 10, 64)
		s.listRuns(w, r, wid)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func trimPrefix(path, prefix string) (string, bool) {
	if len(path) < len(prefix) || path[:len(prefix)] != prefix {
		return "", false
	}
	return path[len(prefix):], true
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, runID int64) {
	if f := r.URL.Query().Get("filter"); f != "" && f != "latest" && f != "all" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	all := s.jobs[runID]
	start, end := pageBounds(w, r, s.URL, len(all))
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(all), "jobs": append([]json.RawMessage{}, all[start:end]...)})
}

// page answers one page of a plain JSON list.
func page[T any](w http.ResponseWriter, r *http.Request, base string, all []T) {
	start, end := pageBounds(w, r, base, len(all))
	writeJSON(w, http.StatusOK, append([]T{}, all[start:end]...))
}

// pageBounds reads per_page (30 by default, at most 100) and page, sets
// the Link header as GitHub does (next and last when there is a next page,
// prev and first after the first), and returns the page's slice bounds.
func pageBounds(w http.ResponseWriter, r *http.Request, base string, n int) (start, end int) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 100 {
		per = 30
	}
	p, _ := strconv.Atoi(q.Get("page"))
	p = max(p, 1)
	start, end = min((p-1)*per, n), min(p*per, n)
	last := max((n+per-1)/per, 1)
	link := func(page int, rel string) string {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(page))
		u.RawQuery = q.Encode()
		return fmt.Sprintf(`<%s%s>; rel=%q`, base, u.RequestURI(), rel)
	}
	var links []string
	if end < n {
		links = append(links, link(p+1, "next"), link(last, "last"))
	}
	if p > 1 {
		links = append(links, link(min(p-1, last), "prev"), link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	return start, end
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request, workflowID int64) {
	q := r.URL.Query()
	var list []*github.WorkflowRun
	for _, run := range s.runs {
		if run.GetWorkflowID() != workflowID {
			continue
		}
		if b := q.Get("branch"); b != "" && run.GetHeadBranch() != b {
			continue
		}
		if st := q.Get("status"); st != "" && run.GetStatus() != st && run.GetConclusion() != st {
			continue
		}
		list = append(list, run)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].GetRunNumber() > list[j].GetRunNumber() })
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per > 0 && len(list) > per {
		list = list[:per]
	}
	writeJSON(w, http.StatusOK, &github.WorkflowRuns{TotalCount: github.Int(len(list)), WorkflowRuns: list})
}
