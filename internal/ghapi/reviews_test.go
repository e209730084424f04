package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

// pull is an open pull request by "author", created at t0+created,
// asking reviewers (logins) and teams (slugs) for a review.
func pull(n int, title string, created time.Duration, reviewers []string, teams ...string) *github.PullRequest {
	pr := &github.PullRequest{
		Number: github.Int(n), Title: github.String(title), State: github.String("open"),
		HTMLURL: github.String(fmt.Sprintf("https://github.com/o/r/pull/%d", n)),
		User:    &github.User{Login: github.String("author")}, CreatedAt: ts(created),
	}
	for _, r := range reviewers {
		pr.RequestedReviewers = append(pr.RequestedReviewers, &github.User{Login: github.String(r)})
	}
	for _, t := range teams {
		pr.RequestedTeams = append(pr.RequestedTeams, &github.Team{Slug: github.String(t), Name: github.String(t)})
	}
	return pr
}

func draft(pr *github.PullRequest) *github.PullRequest {
	pr.Draft = github.Bool(true)
	return pr
}

func closed(pr *github.PullRequest) *github.PullRequest {
	pr.State = github.String("closed")
	return pr
}

// requested is a review_requested event as GitHub's timeline has it.
func requested(login string, at time.Duration) *github.Timeline {
	return &github.Timeline{
		Event: github.String("review_requested"), CreatedAt: ts(at),
		Actor: &github.User{Login: github.String("author")}, Requester: &github.User{Login: github.String("author")},
		Reviewer: &github.User{Login: github.String(login)},
	}
}

func teamRequested(slug string, at time.Duration) *github.Timeline {
	return &github.Timeline{
		Event: github.String("review_requested"), CreatedAt: ts(at),
		Actor: &github.User{Login: github.String("author")}, Requester: &github.User{Login: github.String("author")},
		RequestedTeam: &github.Team{Slug: github.String(slug)},
	}
}

// reviewed is a "reviewed" event: it has submitted_at, not created_at.
func reviewed(login string, at time.Duration) *github.Timeline {
	return &github.Timeline{Event: github.String("reviewed"), User: &github.User{Login: github.String(login)}, State: github.String("commented"), SubmittedAt: ts(at)}
}

func other(event string, at time.Duration) *github.Timeline {
	return &github.Timeline{Event: github.String(event), CreatedAt: ts(at), Actor: &github.User{Login: github.String("author")}}
}

// wpr is what WaitingReviews makes of pull(n, title, created, …).
func wpr(n int, title string, created time.Duration) ghapi.WaitingPR {
	return ghapi.WaitingPR{Number: n, Title: title, URL: fmt.Sprintf("https://github.com/o/r/pull/%d", n), Author: "author", Created: t0.Add(created)}
}

func waitingSince(pr ghapi.WaitingPR, since time.Duration) ghapi.WaitingFor {
	return ghapi.WaitingFor{PR: pr, Since: t0.Add(since)}
}

const h = time.Hour

func TestWaitingReviews(t *testing.T) {
	t.Parallel()
	hostile := "[toall] deploy now [info][title]x[/title][/info]\n[To:1234] Alice\u202egnp.exe <script>"
	tests := []struct {
		name      string
		pulls     []*github.PullRequest
		timelines map[int][]*github.Timeline
		forbid    []string
		lack      []string
		want      ghapi.Waiting
		wantErr   func(error) bool // of Waiting.TimelineErr; nil: none
	}{{
		name:  "grouped by reviewer, groups by longest wait then name",
		pulls: []*github.PullRequest{pull(1, "fix", 0, []string{"alice", "bob"}), pull(2, "feat", -24*h, []string{"bob"}), pull(3, "docs", -2*h, []string{"carol"})},
		timelines: map[int][]*github.Timeline{
			1: {requested("alice", 1*h), requested("bob", 2*h)},
			2: {requested("bob", -23*h)},
			3: {other("labeled", -90*time.Minute), requested("carol", 1*h)},
		},
		want: ghapi.Waiting{Open: 3, Requested: 3, Groups: []ghapi.ReviewGroup{
			{Reviewer: "bob", PRs: []ghapi.WaitingFor{waitingSince(wpr(2, "feat", -24*h), -23*h), waitingSince(wpr(1, "fix", 0), 2*h)}},
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(1, "fix", 0), 1*h)}},
			{Reviewer: "carol", PRs: []ghapi.WaitingFor{waitingSince(wpr(3, "docs", -2*h), 1*h)}},
		}},
	}, {
		name:  "a team is one group",
		pulls: []*github.PullRequest{pull(4, "api", 0, []string{"dave"}, "backend"), pull(5, "db", 1*h, nil, "backend")},
		timelines: map[int][]*github.Timeline{
			4: {teamRequested("backend", 2*h), requested("dave", 3*h)},
		},
		want: ghapi.Waiting{Open: 2, Requested: 2, Groups: []ghapi.ReviewGroup{
			{Team: "o/backend", PRs: []ghapi.WaitingFor{waitingSince(wpr(5, "db", 1*h), 1*h), waitingSince(wpr(4, "api", 0), 2*h)}},
			{Reviewer: "dave", PRs: []ghapi.WaitingFor{waitingSince(wpr(4, "api", 0), 3*h)}},
		}},
	}, {
		name:  "drafts and closed pull requests are left out",
		pulls: []*github.PullRequest{draft(pull(1, "wip", -5*h, []string{"alice"})), pull(2, "ready", 0, []string{"alice"}), closed(pull(3, "old", -9*h, []string{"alice"}))},
		want: ghapi.Waiting{Open: 2, Requested: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(2, "ready", 0), 0)}},
		}},
	}, {
		name:  "re-requested after a review: the latest request counts",
		pulls: []*github.PullRequest{pull(1, "fix", 0, []string{"alice"})},
		timelines: map[int][]*github.Timeline{1: {
			requested("alice", 1*h), requested("bob", 1*h), reviewed("alice", 2*h), other("committed", 3*h),
			requested("alice", 5*h), reviewed("bob", 6*h),
		}},
		want: ghapi.Waiting{Open: 1, Requested: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(1, "fix", 0), 5*h)}},
		}},
	}, {
		name:      "no request in the timeline: from creation",
		pulls:     []*github.PullRequest{pull(1, "fix", 0, []string{"alice"})},
		timelines: map[int][]*github.Timeline{1: {other("labeled", 1*h), requested("bob", 2*h)}},
		want: ghapi.Waiting{Open: 1, Requested: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(1, "fix", 0), 0)}},
		}},
	}, {
		name:      "timeline refused: from creation",
		pulls:     []*github.PullRequest{pull(1, "fix", 0, []string{"alice"})},
		timelines: map[int][]*github.Timeline{1: {requested("alice", 2*h)}},
		forbid:    []string{"/timeline"},
		want: ghapi.Waiting{Open: 1, Requested: 1, Failed: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(1, "fix", 0), 0)}},
		}},
		wantErr: ghapi.IsPermission,
	}, {
		name:      "no timeline endpoint (a GitHub-like API): from creation",
		pulls:     []*github.PullRequest{pull(1, "fix", 0, []string{"alice"})},
		timelines: map[int][]*github.Timeline{1: {requested("alice", 2*h)}},
		lack:      []string{"/timeline"},
		want: ghapi.Waiting{Open: 1, Requested: 1, Failed: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "alice", PRs: []ghapi.WaitingFor{waitingSince(wpr(1, "fix", 0), 0)}},
		}},
		wantErr: ghapi.IsNotFound,
	}, {
		name:  "nothing waiting",
		pulls: []*github.PullRequest{pull(1, "no reviewer", 0, nil), draft(pull(2, "wip", 0, []string{"alice"}))},
		want:  ghapi.Waiting{Open: 2},
	}, {
		name: "no open pull requests",
		want: ghapi.Waiting{},
	}, {
		name:      "hostile texts carried verbatim",
		pulls:     []*github.PullRequest{pull(7, hostile, 0, []string{"[toall]"})},
		timelines: map[int][]*github.Timeline{7: {requested("[toall]", 1*h)}},
		want: ghapi.Waiting{Open: 1, Requested: 1, Groups: []ghapi.ReviewGroup{
			{Reviewer: "[toall]", PRs: []ghapi.WaitingFor{waitingSince(wpr(7, hostile, 0), 1*h)}},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ghapitest.New(t, "tok", "")
			for _, pr := range tt.pulls {
				srv.AddPull(pr)
			}
			for n, events := range tt.timelines {
				srv.SetTimeline(n, events...)
			}
			if len(tt.forbid) > 0 {
				srv.Forbid(tt.forbid...)
			}
			srv.Lack(tt.lack...)
			got, err := client(t, srv, "tok").WaitingReviews(context.Background(), ghapi.ReviewOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantErr == nil && got.TimelineErr != nil || tt.wantErr != nil && !tt.wantErr(got.TimelineErr) {
				t.Errorf("TimelineErr = %v", got.TimelineErr)
			}
			got.TimelineErr = nil
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestReviewGroupNameAndWait(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		g    ghapi.ReviewGroup
		want string
	}{
		{ghapi.ReviewGroup{Reviewer: "alice"}, "alice"},
		{ghapi.ReviewGroup{Team: "o/backend"}, "@o/backend"},
	} {
		if got := tt.g.Name(); got != tt.want {
			t.Errorf("Name() = %q, want %q", got, tt.want)
		}
	}
	if w := waitingSince(wpr(1, "x", 0), 2*h).Wait(t0.Add(26 * h)); w != 24*h {
		t.Errorf("Wait = %v, want 24h", w)
	}
}

var timelineRequest = regexp.MustCompile(`/issues/(\d+)/timeline\?(.*)$`)

// timelinesRead returns the pull request numbers whose timeline was asked
// for, sorted, and the pages asked for ("1" when none is named, "?" when
// per_page is not 100), in order.
func timelinesRead(reqs []string) (numbers []int, pages []string) {
	for _, r := range reqs {
		if m := timelineRequest.FindStringSubmatch(r); m != nil {
			n, _ := strconv.Atoi(m[1])
			numbers = append(numbers, n)
			q, _ := url.ParseQuery(m[2])
			p := q.Get("page")
			switch {
			case q.Get("per_page") != "100":
				p = "?"
			case p == "":
				p = "1"
			}
			pages = append(pages, p)
		}
	}
	slices.Sort(numbers)
	return numbers, pages
}

// TestWaitingReviewsAcrossPages: 150 open pull requests come in two
// pages, oldest first; the timelines of the 100 oldest are read, the
// others wait from creation and are counted as unread.
func TestWaitingReviewsAcrossPages(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			t.Parallel()
			srv := ghapitest.New(t, "tok", prefix)
			// Number n is created at -n×10m: the highest numbers are the oldest.
			for n := 1; n <= 150; n++ {
				created := -time.Duration(n) * 10 * time.Minute
				srv.AddPull(pull(n, "pr "+strconv.Itoa(n), created, []string{"alice"}))
				srv.SetTimeline(n, requested("alice", created+time.Minute))
			}
			got, err := client(t, srv, "tok").WaitingReviews(context.Background(), ghapi.ReviewOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Open != 150 || got.Requested != 150 || got.Truncated || got.Unread != 50 || got.Failed != 0 || len(got.Groups) != 1 || len(got.Groups[0].PRs) != 150 {
				t.Fatalf("open %d, requested %d, truncated %v, unread %d, failed %d, %d groups", got.Open, got.Requested, got.Truncated, got.Unread, got.Failed, len(got.Groups))
			}
			for i, w := range got.Groups[0].PRs {
				n := 150 - i
				want := t0.Add(-time.Duration(n) * 10 * time.Minute)
				if n > 50 { // read: the request, a minute after creation
					want = want.Add(time.Minute)
				}
				if w.PR.Number != n || !w.Since.Equal(want) {
					t.Errorf("PRs[%d] = #%d since %v, want #%d since %v", i, w.PR.Number, w.Since, n, want)
				}
			}
			reqs := srv.Requests()
			var lists []string
			for _, r := range reqs {
				if strings.Contains(r, "/pulls") {
					lists = append(lists, r)
				}
			}
			if len(lists) != 2 || !strings.HasPrefix(lists[0], prefix+"/repos/o/r/pulls?") ||
				!strings.Contains(lists[0], "state=open") || !strings.Contains(lists[0], "per_page=100") ||
				!strings.Contains(lists[0], "sort=created") || !strings.Contains(lists[0], "direction=asc") {
				t.Errorf("list requests %q", lists)
			}
			numbers, _ := timelinesRead(reqs)
			if len(numbers) != ghapi.MaxReviewTimelines || numbers[0] != 51 || numbers[len(numbers)-1] != 150 {
				t.Errorf("timelines read of %v, want the 100 oldest (#51–#150)", numbers)
			}
		})
	}
}

// TestOpenPullsBound: the list is read up to its bound, no page further,
// the newest left out and the cut reported.
func TestOpenPullsBound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		open          int
		opts          ghapi.ReviewOptions
		wantOpen      int
		wantTruncated bool
		wantLists     int
	}{
		{"exactly the default bound", ghapi.MaxOpenPulls, ghapi.ReviewOptions{}, ghapi.MaxOpenPulls, false, 5},
		{"one more than the default bound", ghapi.MaxOpenPulls + 1, ghapi.ReviewOptions{}, ghapi.MaxOpenPulls, true, 5},
		{"far more", 620, ghapi.ReviewOptions{}, ghapi.MaxOpenPulls, true, 5},
		{"a bound inside a page", 151, ghapi.ReviewOptions{MaxPulls: 150}, 150, true, 2},
		{"under a bound inside a page", 150, ghapi.ReviewOptions{MaxPulls: 150}, 150, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ghapitest.New(t, "tok", "")
			for n := 1; n <= tt.open; n++ {
				srv.AddPull(pull(n, "pr", time.Duration(n)*time.Minute, []string{"alice"}))
			}
			tt.opts.MaxTimelines = 1
			got, err := client(t, srv, "tok").WaitingReviews(context.Background(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Open != tt.wantOpen || got.Requested != tt.wantOpen || got.Truncated != tt.wantTruncated || got.Unread != tt.wantOpen-1 {
				t.Errorf("open %d, requested %d, truncated %v, unread %d", got.Open, got.Requested, got.Truncated, got.Unread)
			}
			if prs := got.Groups[0].PRs; prs[len(prs)-1].PR.Number != tt.wantOpen {
				t.Errorf("newest read #%d, want #%d (the oldest are kept)", prs[len(prs)-1].PR.Number, tt.wantOpen)
			}
			if n := len(srv.Requests()) - 1; n != tt.wantLists {
				t.Errorf("%d list requests, want %d", n, tt.wantLists)
			}
		})
	}
}

// TestLongTimelines: a timeline of more than MaxTimelinePages pages is
// read at its first page and its last ones, where the latest requests are.
func TestLongTimelines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		events    int
		wantPages []string
		wantCut   int
	}{
		{"one page", 100, []string{"1"}, 0},
		{"two pages", 101, []string{"1", "2"}, 0},
		{"as many pages as the bound", 100 * ghapi.MaxTimelinePages, []string{"1", "2", "3"}, 0},
		{"five pages", 450, []string{"1", "4", "5"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ghapitest.New(t, "tok", "")
			srv.AddPull(pull(1, "long", 0, []string{"alice", "bob"}))
			events := []*github.Timeline{requested("alice", time.Minute), requested("bob", 2*time.Minute)}
			for len(events) < tt.events-1 {
				events = append(events, other("commented", time.Duration(len(events))*time.Minute))
			}
			events = append(events, requested("alice", time.Duration(len(events))*time.Minute))
			srv.SetTimeline(1, events...)
			got, err := client(t, srv, "tok").WaitingReviews(context.Background(), ghapi.ReviewOptions{})
			if err != nil {
				t.Fatal(err)
			}
			_, pages := timelinesRead(srv.Requests())
			if d := cmp.Diff(tt.wantPages, pages); d != "" || got.Cut != tt.wantCut {
				t.Errorf("cut %d, pages (-want +got)\n%s", got.Cut, d)
			}
			want := map[string]time.Duration{"alice": time.Duration(tt.events-1) * time.Minute, "bob": 2 * time.Minute}
			for _, g := range got.Groups {
				if since := g.PRs[0].Since; !since.Equal(t0.Add(want[g.Reviewer])) {
					t.Errorf("%s since %v, want t0+%v", g.Reviewer, since.Sub(t0), want[g.Reviewer])
				}
			}
		})
	}
}

// TestPullsListRefused: a token that may not read pull requests gets an
// error that says so and names the permission.
func TestPullsListRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		forbid      []string
		lack        []string
		token       string
		wantRefused bool
		is          func(error) bool
	}{
		{"403", []string{"/pulls"}, nil, "tok", true, ghapi.IsPermission},
		{"404", nil, []string{"/pulls"}, "tok", true, ghapi.IsNotFound},
		{"bad credentials", nil, nil, "wrong", false, func(err error) bool { return !ghapi.IsPermission(err) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ghapitest.New(t, "tok", "")
			srv.AddPull(pull(1, "fix", 0, []string{"alice"}))
			if len(tt.forbid) > 0 {
				srv.Forbid(tt.forbid...)
			}
			srv.Lack(tt.lack...)
			_, err := client(t, srv, tt.token).WaitingReviews(context.Background(), ghapi.ReviewOptions{})
			if err == nil || errors.Is(err, ghapi.ErrPullsRefused) != tt.wantRefused || !tt.is(err) {
				t.Fatalf("err = %v", err)
			}
			if tt.wantRefused && !strings.Contains(err.Error(), "pull-requests: read") {
				t.Errorf("err = %v, want the permission named", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests after the refusal of the list", n)
			}
		})
	}
}

// inFlight counts the requests under way and keeps the most seen at once.
type inFlight struct {
	base    http.RoundTripper
	mu      sync.Mutex
	now, hi int
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.now++
	f.hi = max(f.hi, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	return f.base.RoundTrip(r)
}

// TestTimelinesReadAFewAtATime: no more than four requests are under way
// at once, and every timeline is still read.
func TestTimelinesReadAFewAtATime(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	for n := 1; n <= 40; n++ {
		srv.AddPull(pull(n, "pr", time.Duration(n)*time.Minute, []string{"alice"}))
		srv.SetTimeline(n, requested("alice", time.Duration(n)*time.Minute+time.Second))
	}
	f := &inFlight{base: srv.Client().Transport}
	c, err := ghapi.New(&http.Client{Transport: f}, srv.APIURL(), "tok", "o/r", "chatwork-notify/test", func() time.Time { return t0 })
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.WaitingReviews(context.Background(), ghapi.ReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.hi > 4 {
		t.Errorf("%d requests at once, want at most 4", f.hi)
	}
	for _, w := range got.Groups[0].PRs {
		if w.Since.Sub(w.PR.Created) != time.Second {
			t.Errorf("#%d since %v, created %v", w.PR.Number, w.Since, w.PR.Created)
		}
	}
}
