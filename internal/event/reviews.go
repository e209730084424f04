package event

import (
	"cmp"
	"slices"
	"time"
)

// MaxReviewPulls is how many pull requests a review reminder lists: the
// longest-waiting; the others are counted. MaxReviewLines bounds the lines
// they take, a pull request being listed once per reviewer it waits for.
const (
	MaxReviewPulls = 20
	MaxReviewLines = 40
)

// Reviews is the review reminder (report: reviews): the repository's open
// pull requests that wait for a review, grouped by the reviewer asked.
type Reviews struct {
	Pulls  int           // pull requests waiting for a review, each counted once
	Groups []ReviewGroup // the longest wait first, listing at most MaxReviewPulls pull requests
	More   int           // waiting pull requests the groups leave out
}

// ReviewGroup is one reviewer's queue.
type ReviewGroup struct {
	Reviewer string       // a login, or "@org/slug" for a team
	Team     bool         // Reviewer is a team
	Pulls    []ReviewPull // the longest wait first
}

// ReviewPull is a pull request in a reviewer's queue.
type ReviewPull struct {
	Number int
	Title  string
	URL    string
	Author string
	// Waited is how long the reviewer has been waited for: since the
	// latest review request, or since the pull request was opened.
	Waited time.Duration
}

// NewReviews bounds a reminder: it keeps the MaxReviewPulls pull requests
// that waited longest (a pull request waits as long as its longest
// queue), in the groups that hold them, and counts the rest in More.
// Groups are ordered by their longest wait, then by name.
func NewReviews(groups []ReviewGroup) Reviews {
	longest := map[int]time.Duration{}
	for _, g := range groups {
		for _, p := range g.Pulls {
			longest[p.Number] = max(longest[p.Number], p.Waited)
		}
	}
	order := make([]int, 0, len(longest))
	for n := range longest {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(longest[b], longest[a]), cmp.Compare(a, b)) })
	listed := map[int]bool{}
	for _, n := range order[:min(len(order), MaxReviewPulls)] {
		listed[n] = true
	}
	r := Reviews{Pulls: len(order), More: max(0, len(order)-MaxReviewPulls)}
	for _, g := range groups {
		kept := ReviewGroup{Reviewer: g.Reviewer, Team: g.Team}
		for _, p := range g.Pulls {
			if listed[p.Number] {
				kept.Pulls = append(kept.Pulls, p)
			}
		}
		if len(kept.Pulls) > 0 {
			slices.SortStableFunc(kept.Pulls, func(a, b ReviewPull) int { return cmp.Compare(b.Waited, a.Waited) })
			r.Groups = append(r.Groups, kept)
		}
	}
	slices.SortStableFunc(r.Groups, func(a, b ReviewGroup) int {
		return cmp.Or(cmp.Compare(b.Pulls[0].Waited, a.Pulls[0].Waited), cmp.Compare(a.Reviewer, b.Reviewer))
	})
	return r.bounded()
}

// bounded keeps the first MaxReviewLines lines of the groups (a pull
// request asked of hundreds of reviewers would fill the message) and
// counts the pull requests that are then listed nowhere in More.
func (r Reviews) bounded() Reviews {
	lines := 0
	listed := map[int]bool{}
	var kept []ReviewGroup
	for _, g := range r.Groups {
		if lines == MaxReviewLines {
			break
		}
		g.Pulls = g.Pulls[:min(len(g.Pulls), MaxReviewLines-lines)]
		lines += len(g.Pulls)
		for _, p := range g.Pulls {
			listed[p.Number] = true
		}
		kept = append(kept, g)
	}
	r.Groups = kept
	r.More = r.Pulls - len(listed)
	return r
}
