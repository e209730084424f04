// Package ghapitest is a fake GitHub REST API for the endpoints
// chatwork-notify reads: a workflow run, its jobs (paginated with Link
// headers, filter=latest) and a workflow's runs. Bodies are go-github's own
// types marshalled to JSON, so shapes match what the real client parses.
package ghapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"sync"

	"github.com/google/go-github/v60/github"
)

// Server is a fake GitHub API. Prefix is "" for github.com-style paths or
// "/api/v3" for GitHub Enterprise Server.
type Server struct {
	*httptest.Server
	Prefix string
	Token  string

	mu        sync.Mutex
	runs      map[int64]*github.WorkflowRun
	jobs      map[int64][]*github.WorkflowJob
	forbidden bool
	redirect  string
	pad       int
	requests  []string
	auths     []string
}

// TB is the part of testing.TB the server needs.
type TB interface {
	Helper()
	Cleanup(func())
}

// New starts a fake API that accepts token; prefix as for Server.Prefix.
func New(t TB, token, prefix string) *Server {
	t.Helper()
	s := &Server{Prefix: prefix, Token: token, runs: map[int64]*github.WorkflowRun{}, jobs: map[int64][]*github.WorkflowJob{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
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
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[runID] = jobs
}

// Forbid makes every request answer 403 as GitHub does without
// permissions: actions: read.
func (s *Server) Forbid() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forbidden = true
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
	runPath      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)$`)
	jobsPath     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)/jobs$`)
	workflowRuns = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/workflows/(\d+)/runs$`)
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
	if s.forbidden {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message":           "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest/actions/workflow-jobs",
		})
		return
	}
	path, ok := trimPrefix(r.URL.Path, s.Prefix)
	if !ok || r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	switch {
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
	q := r.URL.Query()
	if f := q.Get("filter"); f != "" && f != "latest" && f != "all" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 100 {
		per = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	all := s.jobs[runID]
	start, end := min((page-1)*per, len(all)), min(page*per, len(all))
	if end < len(all) {
		next := *r.URL
		nq := next.Query()
		nq.Set("page", strconv.Itoa(page+1))
		next.RawQuery = nq.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, s.URL, next.RequestURI()))
	}
	writeJSON(w, http.StatusOK, &github.Jobs{TotalCount: github.Int(len(all)), Jobs: all[start:end]})
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
