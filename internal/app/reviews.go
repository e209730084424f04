package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
)

// remindTimeout bounds the reads of a review reminder: the list of open
// pull requests and up to ghapi.MaxReviewTimelines timelines.
const remindTimeout = 30 * time.Second

// remind reads the pull requests waiting for a review (report: reviews)
// and returns the facts with them; why is set when none waits. An error
// means GitHub could not be asked or refused: the reminder cannot be made.
func (r *run) remind(ctx context.Context) (sum *event.Summary, why reason, err error) {
	if r.cfg.Insight.GitHubToken == "" {
		return nil, why, errors.New("report: reviews reads the open pull requests through the GitHub API, but github-token is empty; keep the default github-token (${{ github.token }}) and grant permissions: pull-requests: read")
	}
	if r.facts.Repo == "" {
		return nil, why, errors.New("report: reviews needs the repository, but GITHUB_REPOSITORY is empty")
	}
	api, err := r.githubClient()
	if err != nil {
		return nil, why, fmt.Errorf("report: reviews cannot ask the GitHub API: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, remindTimeout)
	defer cancel()
	w, err := api.WaitingReviews(ctx, ghapi.ReviewOptions{})
	switch {
	case errors.Is(err, ghapi.ErrPullsRefused):
		return nil, why, fmt.Errorf("report: reviews: GitHub refused the list of pull requests (%w); add permissions: pull-requests: read to the job", err)
	case err != nil:
		return nil, why, fmt.Errorf("report: reviews: reading the open pull requests failed: %w", err)
	}
	r.noteReviewReads(w)
	c := *r.facts
	c.Reviews = reviewsOf(w, r.deps.Clock.Now())
	r.scrub(&c.Reviews)
	if c.Reviews.Pulls == 0 {
		r.out.Info(fmt.Sprintf("%d open pull requests, none waiting for a review: nothing to remind of", w.Open))
		why = reason{en: "no open pull request waits for a review", ja: "レビュー待ちの PR がないため"}
	}
	return &c, why, nil
}

// noteReviewReads says what the reminder could not read exactly.
func (r *run) noteReviewReads(w ghapi.Waiting) {
	if w.Truncated {
		r.out.Notice(fmt.Sprintf("the repository has more than %d open pull requests; the reminder covers the %d oldest", w.Open, w.Open))
	}
	if w.Unread > 0 {
		r.out.Notice(fmt.Sprintf("%d pull requests wait for review beyond the %d whose history was read; their wait is counted from when they were opened", w.Unread, ghapi.MaxReviewTimelines))
	}
	if w.Failed > 0 {
		r.out.Warning(fmt.Sprintf("the review requests of %d pull requests could not be read (%v); their wait is counted from when they were opened", w.Failed, firstLine(w.TimelineErr)))
	}
}

// reviewsOf turns what GitHub said into the reminder's fields, waits
// measured at now, bounded by event.NewReviews.
func reviewsOf(w ghapi.Waiting, now time.Time) event.Reviews {
	groups := make([]event.ReviewGroup, 0, len(w.Groups))
	for _, g := range w.Groups {
		eg := event.ReviewGroup{Reviewer: g.Name(), Team: g.Team != ""}
		for _, p := range g.PRs {
			eg.Pulls = append(eg.Pulls, event.ReviewPull{Number: p.PR.Number, Title: p.PR.Title, URL: p.PR.URL,
				Author: p.PR.Author, Waited: p.Wait(now)})
		}
		groups = append(groups, eg)
	}
	return event.NewReviews(groups)
}
