package ghapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// Bounds of WaitingReviews.
const (
	// MaxOpenPulls caps the open pull requests read from the list (5
	// pages of 100, oldest first).
	MaxOpenPulls = 500
	// MaxReviewTimelines caps the timelines read, those of the oldest
	// pull requests waiting for review; the others wait from creation.
	MaxReviewTimelines = 100
	// MaxTimelinePages caps the pages of 100 events read of one
	// timeline: a longer one is read at its first page and its last ones.
	MaxTimelinePages = 3
	// timelineParallel is how many timelines are read at a time.
	timelineParallel = 4
)

// ErrPullsRefused means GitHub refused the list of pull requests (403,
// or 404 for a repository the token cannot see): the token needs
// permissions: pull-requests: read. A 403 is also IsPermission.
var ErrPullsRefused = errors.New("the token may not read this repository's pull requests (it needs permissions: pull-requests: read)")

// ReviewOptions bounds WaitingReviews; a field left zero (or negative)
// takes its default.
type ReviewOptions struct {
	MaxPulls     int // open pull requests read from the list: MaxOpenPulls
	MaxTimelines int // timelines read: MaxReviewTimelines
}

// WaitingPR is an open pull request waiting for review. Its texts are as
// GitHub gave them: untrusted, to be neutralised where they are shown.
type WaitingPR struct {
	Number  int
	Title   string
	URL     string // its page on GitHub
	Author  string // login
	Created time.Time
}

// WaitingFor is a pull request in a reviewer's queue, and since when the
// reviewer has been waited for.
type WaitingFor struct {
	PR WaitingPR
	// Since is the latest review request to this reviewer, or the pull
	// request's creation when its timeline was not read or has none.
	Since time.Time
}

// Wait is how long the reviewer has been waited for at now.
func (w WaitingFor) Wait(now time.Time) time.Duration { return now.Sub(w.Since) }

// ReviewGroup is one reviewer's queue: a user's, or a team's (one group
// for the team, whoever is in it).
type ReviewGroup struct {
	Reviewer string       // a user's login; "" for a team
	Team     string       // "org/slug" for a team; "" for a user
	PRs      []WaitingFor // longest waiting first
}

// Name is the group's reviewer: the login, or "@org/slug" for a team.
func (g ReviewGroup) Name() string {
	if g.Team != "" {
		return "@" + g.Team
	}
	return g.Reviewer
}

// Waiting is what WaitingReviews found, and what it left out.
type Waiting struct {
	Groups    []ReviewGroup // longest wait first, then by Name
	Open      int           // open pull requests read from the list, drafts included
	Truncated bool          // the list had more than ReviewOptions.MaxPulls: the newest were not read
	Requested int           // of Open, those not drafts with a requested reviewer or team
	// Unread counts the Requested whose timeline was not read (beyond
	// ReviewOptions.MaxTimelines): their waits run from creation.
	Unread int
	// Failed counts the timelines that could not be read (refused, not
	// found, failed): their waits run from creation. TimelineErr is the
	// first of their errors.
	Failed      int
	TimelineErr error
	// Cut counts the timelines longer than MaxTimelinePages pages, whose
	// middle was not read: a request only there is missed.
	Cut int
}

// WaitingReviews lists the repository's open pull requests waiting for
// review, grouped by requested reviewer (user or team), with since when
// each has waited: the latest review_requested event of the pull
// request's timeline for that reviewer, else its creation. Drafts are
// left out. Needs pull-requests: read; a refusal of the list is
// ErrPullsRefused. Timelines are read a few at a time; one that cannot be
// read costs only its precision, counted in Failed.
func (c *Client) WaitingReviews(ctx context.Context, o ReviewOptions) (Waiting, error) {
	if o.MaxPulls <= 0 {
		o.MaxPulls = MaxOpenPulls
	}
	if o.MaxTimelines <= 0 {
		o.MaxTimelines = MaxReviewTimelines
	}
	prs, open, truncated, err := c.openPulls(ctx, o.MaxPulls)
	if err != nil {
		return Waiting{}, err
	}
	var queue []*pending
	for _, pr := range prs {
		if p, ok := toPending(c.owner, pr); ok {
			queue = append(queue, p)
		}
	}
	slices.SortStableFunc(queue, func(a, b *pending) int {
		return cmp.Or(a.pr.Created.Compare(b.pr.Created), cmp.Compare(a.pr.Number, b.pr.Number))
	})
	w := Waiting{Open: open, Truncated: truncated, Requested: len(queue)}
	read := queue[:min(len(queue), o.MaxTimelines)]
	w.Unread = len(queue) - len(read)
	w.Failed, w.Cut, w.TimelineErr = c.readTimelines(ctx, read)
	w.Groups = groups(queue)
	return w, nil
}

// openPulls reads the list of open pull requests, oldest first, up to
// limit of them; truncated says there were more. An entry that is not a
// pull request is counted in open and left out.
func (c *Client) openPulls(ctx context.Context, limit int) (prs []*github.PullRequest, open int, truncated bool, err error) {
	u := fmt.Sprintf("repos/%s/%s/pulls?state=open&sort=created&direction=asc&per_page=100", c.owner, c.repo)
	// Pages are bounded too: a list that answers empty pages with a next
	// link forever never reaches limit.
	for pages := 0; u != ""; pages++ {
		if pages > limit/100 {
			return prs, open, true, nil
		}
		var page []json.RawMessage
		next, err := c.get(ctx, u, &page)
		if err != nil {
			if IsPermission(err) || IsNotFound(err) {
				err = fmt.Errorf("%w: %w", ErrPullsRefused, err)
			}
			return nil, 0, false, fmt.Errorf("listing the open pull requests of %s/%s: %w", c.owner, c.repo, err)
		}
		for _, raw := range page {
			if open == limit {
				return prs, open, true, nil
			}
			open++
			var pr *github.PullRequest
			if json.Unmarshal(raw, &pr) == nil && pr != nil {
				prs = append(prs, pr)
			}
		}
		if open == limit && next != "" {
			return prs, open, true, nil
		}
		u = next
	}
	return prs, open, false, nil
}

// pending is a pull request waiting for review, with its reviewers and,
// once its timeline is read, the latest request to each.
type pending struct {
	pr        WaitingPR
	reviewers []reviewer
	requested map[string]time.Time // by reviewer key; nil when not read
}

// reviewer is a requested user (key "u:login") or team (key "t:slug"),
// keys in lower case as GitHub's names are case-insensitive.
type reviewer struct {
	key, login, team string
}

// toPending keeps a pull request that is not a draft and has a requested
// reviewer or team. A team belongs to the repository's owner, unless
// GitHub names its organization.
func toPending(owner string, pr *github.PullRequest) (*pending, bool) {
	if pr.GetDraft() {
		return nil, false
	}
	p := &pending{pr: WaitingPR{
		Number: pr.GetNumber(), Title: pr.GetTitle(), URL: pr.GetHTMLURL(),
		Author: pr.GetUser().GetLogin(), Created: pr.GetCreatedAt().Time,
	}}
	seen := map[string]bool{}
	add := func(r reviewer) {
		if !seen[r.key] {
			seen[r.key] = true
			p.reviewers = append(p.reviewers, r)
		}
	}
	for _, u := range pr.RequestedReviewers {
		if login := u.GetLogin(); login != "" {
			add(reviewer{key: userKey(login), login: login})
		}
	}
	for _, t := range pr.RequestedTeams {
		if slug := t.GetSlug(); slug != "" {
			org := cmp.Or(t.GetOrganization().GetLogin(), owner)
			add(reviewer{key: teamKey(slug), team: org + "/" + slug})
		}
	}
	return p, len(p.reviewers) > 0
}

func userKey(login string) string { return "u:" + strings.ToLower(login) }
func teamKey(slug string) string  { return "t:" + strings.ToLower(slug) }

// readTimelines reads the timelines of prs, timelineParallel at a time,
// and returns how many failed or were cut, and the first error.
func (c *Client) readTimelines(ctx context.Context, prs []*pending) (failed, cut int, first error) {
	type result struct {
		cut bool
		err error
	}
	results := make([]result, len(prs))
	sem := make(chan struct{}, timelineParallel)
	var wg sync.WaitGroup
	for i, p := range prs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			requested, cut, err := c.reviewRequests(ctx, p.pr.Number)
			p.requested, results[i] = requested, result{cut: cut, err: err}
		})
	}
	wg.Wait()
	for _, r := range results {
		if r.cut {
			cut++
		}
		if r.err != nil {
			failed++
			if first == nil {
				first = r.err
			}
		}
	}
	return failed, cut, first
}

// reviewRequests reads a pull request's timeline and returns the time of
// the latest review request to each reviewer, by key. A timeline longer
// than MaxTimelinePages pages is read at its first page and its last ones
// (cut): the latest requests are at its end.
func (c *Client) reviewRequests(ctx context.Context, number int) (latest map[string]time.Time, cut bool, err error) {
	base := fmt.Sprintf("repos/%s/%s/issues/%d/timeline?per_page=100", c.owner, c.repo, number)
	latest = map[string]time.Time{}
	resp, err := c.timelinePage(ctx, base, 1, latest)
	if err != nil {
		return nil, false, fmt.Errorf("reading the timeline of pull request #%d: %w", number, err)
	}
	next := resp.NextPage
	if resp.LastPage > MaxTimelinePages {
		next, cut = resp.LastPage-MaxTimelinePages+2, true
	}
	for n := 1; next != 0 && n < MaxTimelinePages; n++ {
		if resp, err = c.timelinePage(ctx, base, next, latest); err != nil {
			return nil, cut, fmt.Errorf("reading the timeline of pull request #%d: %w", number, err)
		}
		next = resp.NextPage
	}
	return latest, cut || next != 0, nil
}

// timelinePage reads one page of a timeline into latest. Each event is
// read on its own: one of an unexpected shape is left out.
func (c *Client) timelinePage(ctx context.Context, base string, page int, latest map[string]time.Time) (*github.Response, error) {
	u := base
	if page > 1 {
		u += "&page=" + strconv.Itoa(page)
	}
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	var events []json.RawMessage
	resp, err := c.gh.Do(ctx, req, &events)
	if err != nil {
		return nil, err
	}
	for _, raw := range events {
		var e *github.Timeline
		if json.Unmarshal(raw, &e) != nil || e == nil || e.GetEvent() != "review_requested" {
			continue
		}
		var key string
		switch {
		case e.GetReviewer().GetLogin() != "":
			key = userKey(e.GetReviewer().GetLogin())
		case e.GetRequestedTeam().GetSlug() != "":
			key = teamKey(e.GetRequestedTeam().GetSlug())
		default:
			continue
		}
		if at := e.GetCreatedAt().Time; at.After(latest[key]) {
			latest[key] = at
		}
	}
	return resp, nil
}

// groups puts each pull request in the queue of each of its reviewers:
// longest waiting first within a group, groups by their longest wait and
// then by name.
func groups(prs []*pending) []ReviewGroup {
	byKey := map[string]int{}
	var out []ReviewGroup
	for _, p := range prs {
		for _, r := range p.reviewers {
			i, ok := byKey[r.key]
			if !ok {
				i = len(out)
				byKey[r.key] = i
				out = append(out, ReviewGroup{Reviewer: r.login, Team: r.team})
			}
			since, ok := p.requested[r.key]
			if !ok {
				since = p.pr.Created
			}
			out[i].PRs = append(out[i].PRs, WaitingFor{PR: p.pr, Since: since})
		}
	}
	for _, g := range out {
		slices.SortFunc(g.PRs, func(a, b WaitingFor) int {
			return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.PR.Number, b.PR.Number))
		})
	}
	slices.SortFunc(out, func(a, b ReviewGroup) int {
		return cmp.Or(a.PRs[0].Since.Compare(b.PRs[0].Since), cmp.Compare(a.Name(), b.Name()))
	})
	return out
}
