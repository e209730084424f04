package app_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-github/v60/github"
)

// reviewNow is the harness clock of the review reminder tests: 9:00 JST
// on a weekday.
var reviewNow = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

// waitingPull adds an open pull request asked of reviewers and teams,
// opened `age` before reviewNow.
func waitingPull(gh *ghapitest.Server, n int, title, author string, age time.Duration, reviewers []string, teams ...string) {
	pr := &github.PullRequest{Number: github.Int(n), Title: github.String(title),
		HTMLURL:   github.String(fmt.Sprintf("https://github.com/octo-org/octo-repo/pull/%d", n)),
		User:      &github.User{Login: github.String(author)},
		CreatedAt: &github.Timestamp{Time: reviewNow.Add(-age)}}
	for _, r := range reviewers {
		pr.RequestedReviewers = append(pr.RequestedReviewers, &github.User{Login: github.String(r)})
	}
	for _, t := range teams {
		pr.RequestedTeams = append(pr.RequestedTeams, &github.Team{Slug: github.String(t), Name: github.String(t)})
	}
	gh.AddPull(pr)
}

// requested adds a review_requested event to a pull request's timeline.
func requested(gh *ghapitest.Server, n int, reviewer string, ago time.Duration) {
	gh.SetTimeline(n, &github.Timeline{Event: github.String("review_requested"),
		CreatedAt: &github.Timestamp{Time: reviewNow.Add(-ago)}, Reviewer: &github.User{Login: github.String(reviewer)}})
}

func reminderHarness(t *testing.T, lang string) (*harness, *ghapitest.Server) {
	h := withPeople(newHarness(t)).event("schedule", "../../testdata/events/schedule.json").
		input("report", "reviews").input("language", lang).input("status", "").
		input("mentions", "octocat: 1001\nmona: 1002\n@octo-org/reviewers: 1002, 1003")
	gh := withGitHub(h)
	h.clock.Set(reviewNow)
	return h, gh
}

// TestReviewReminderGolden: the reminder groups the waiting pull requests
// by reviewer and team, longest wait first, leaves drafts out, counts the
// wait from the latest review request, addresses the people of mentions
// and names the others by login; in both languages.
func TestReviewReminderGolden(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h, gh := reminderHarness(t, lang)
			waitingPull(gh, 12, "ログイン画面のバリデーションを修正", "mona", 80*time.Hour, []string{"octocat"})
			requested(gh, 12, "octocat", 75*time.Hour)
			waitingPull(gh, 15, "Add the [toall] docs", "hubot", 5*time.Hour, []string{"octocat", "someone-unmapped"})
			waitingPull(gh, 9, "Bump deps", "dependabot[bot]", 30*time.Hour, nil, "reviewers")
			draft := &github.PullRequest{Number: github.Int(20), Title: github.String("WIP"), Draft: github.Bool(true),
				CreatedAt:          &github.Timestamp{Time: reviewNow.Add(-100 * time.Hour)},
				RequestedReviewers: []*github.User{{Login: github.String("octocat")}}}
			gh.AddPull(draft)
			waitingPull(gh, 21, "No reviewer asked", "mona", 200*time.Hour, nil)
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			msgs := h.srv.Messages(testRoom)
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			compareAppGolden(t, filepath.Join(lang, "reviews"), msgs[0].Body)
			if strings.Contains(msgs[0].Body, "WIP") || strings.Contains(msgs[0].Body, "#21") {
				t.Errorf("a draft or a pull request without reviewers is listed:\n%s", msgs[0].Body)
			}
		})
	}
}

// TestReviewReminderWithNothingWaiting posts nothing, says so, and sets
// skipped.
func TestReviewReminderWithNothingWaiting(t *testing.T) {
	t.Parallel()
	h, gh := reminderHarness(t, "en")
	waitingPull(gh, 21, "No reviewer asked", "mona", 20*time.Hour, nil)
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if n := len(h.srv.Messages(testRoom)); n != 0 {
		t.Errorf("%d messages posted", n)
	}
	if out := h.outputs(); out["skipped"] != "true" {
		t.Errorf("outputs %q", out)
	}
	if log := h.stdout.String(); !strings.Contains(log, "no open pull request waits for a review") {
		t.Errorf("log:\n%s", log)
	}
}

// TestReviewReminderRefused: without pull-requests: read the step fails
// with one error naming the permission, and posts nothing.
func TestReviewReminderRefused(t *testing.T) {
	t.Parallel()
	h, gh := reminderHarness(t, "en")
	gh.Forbid("/pulls")
	err := h.run()
	if err == nil {
		t.Fatal("no error")
	}
	log := h.stdout.String()
	if strings.Count(log, "::error::") != 1 || !strings.Contains(log, "add permissions: pull-requests: read") {
		t.Errorf("log:\n%s", log)
	}
	if n := len(h.srv.Messages(testRoom)); n != 0 {
		t.Errorf("%d messages posted", n)
	}
}

// TestReviewReminderIsBounded: with 130 pull requests waiting (two pages
// of GitHub's list, more timelines than are read), the message lists the
// 20 longest-waiting, counts the rest, and fits Chatwork's limit however
// long the titles are.
func TestReviewReminderIsBounded(t *testing.T) {
	t.Parallel()
	h, gh := reminderHarness(t, "ja")
	long := strings.Repeat("長いタイトル[toall]", 2000)
	for n := 1; n <= 130; n++ {
		waitingPull(gh, n, fmt.Sprintf("%d %s", n, long), "mona", time.Duration(n)*time.Hour, []string{"octocat"})
	}
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.srv.Messages(testRoom)[0].Body
	if got := strings.Count(body, "\n- PR #"); got != 20 {
		t.Errorf("%d pull requests listed, want 20", got)
	}
	for _, want := range []string{"レビュー待ちの PR が 130 件あります", "PR #130", "ほか 110 件"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Contains(body, "PR #110「") || strings.Contains(body, "[toall]") || len(body) > 65535 {
		t.Errorf("a short wait listed, a live tag, or %d bytes", len(body))
	}
	if log := h.stdout.String(); !strings.Contains(log, "beyond the 100 whose history was read") {
		t.Errorf("log:\n%s", log)
	}
}
