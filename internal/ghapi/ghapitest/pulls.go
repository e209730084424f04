package ghapitest

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"

	"github.com/google/go-github/v60/github"
)

var (
	pullsPath    = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls$`)
	timelinePath = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/(\d+)/timeline$`)
)

// AddPull stores a pull request (replacing one of the same number). One
// without a state is open.
func (s *Server) AddPull(pr *github.PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pr.State == nil {
		c := *pr
		c.State = github.String("open")
		pr = &c
	}
	s.pulls[pr.GetNumber()] = pr
}

// SetTimeline stores the timeline of issue or pull request number, oldest
// event first, as GitHub lists it.
func (s *Server) SetTimeline(number int, events ...*github.Timeline) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timelines[number] = events
}

// listPulls answers GET /repos/{owner}/{repo}/pulls like GitHub: state
// (open by default; closed, all), sort (created by default, or updated;
// GitHub's popularity and long-running are not implemented and refused),
// direction (desc by default for created, asc otherwise), paginated.
func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state, by, dir := cmp.Or(q.Get("state"), "open"), cmp.Or(q.Get("sort"), "created"), q.Get("direction")
	if dir == "" {
		dir = "asc"
		if by == "created" {
			dir = "desc"
		}
	}
	if !slices.Contains([]string{"open", "closed", "all"}, state) || !slices.Contains([]string{"asc", "desc"}, dir) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	if by != "created" && by != "updated" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": fmt.Sprintf("sort %q: not implemented by the fake", by)})
		return
	}
	var list []*github.PullRequest
	for _, pr := range s.pulls {
		if state == "all" || pr.GetState() == state {
			list = append(list, pr)
		}
	}
	slices.SortFunc(list, func(a, b *github.PullRequest) int {
		ta, tb := a.GetCreatedAt().Time, b.GetCreatedAt().Time
		if by == "updated" {
			ta, tb = a.GetUpdatedAt().Time, b.GetUpdatedAt().Time
		}
		c := cmp.Or(ta.Compare(tb), cmp.Compare(a.GetNumber(), b.GetNumber()))
		if dir == "desc" {
			return -c
		}
		return c
	})
	page(w, r, s.URL, list)
}

// listTimeline answers GET /repos/{owner}/{repo}/issues/{n}/timeline,
// paginated: 404 for a number that is neither a stored pull request nor a
// stored timeline, an empty list for a pull request without events.
func (s *Server) listTimeline(w http.ResponseWriter, r *http.Request, number int) {
	events, ok := s.timelines[number]
	if _, pr := s.pulls[number]; !ok && !pr {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	page(w, r, s.URL, events)
}
