package render

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// TestActionsGolden renders the actions no fixture of its own shows,
// each a fixture with another action (or a field emptied), in every
// language: what an edited or deleted review comment, an edited review,
// a merge group leaving the queue, an unpublished release and a review
// requested of nobody the payload names say; and how Markdown in release
// notes and comments reads (as text: headings, emphasis and links as
// words, code left out of an excerpt, tags neutralised).
func TestActionsGolden(t *testing.T) {
	t.Parallel()
	const events = "../../testdata/events/"
	tests := []struct {
		name, fixture string
		change        func(*event.Summary)
	}{
		{"pull_request_review_comment.edited", "pull_request_review_comment.created.json", action("edited")},
		{"pull_request_review_comment.deleted", "pull_request_review_comment.created.json", action("deleted")},
		{"pull_request_review.edited", "pull_request_review.submitted.json", action("edited")},
		{"merge_group.destroyed", "merge_group.checks_requested.json", action("destroyed")},
		{"release.unpublished", "release.published.json", action("unpublished")},
		{"release.published.markdown", "release.published.json", func(s *event.Summary) {
			s.Release.Notes = releaseNotes
		}},
		{"issue_comment.created.markdown", "issue_comment.created.json", func(s *event.Summary) {
			s.Comment.Body = "## Review\r\n**Looks good**, but see [the docs](https://example.com/docs) and ![shot](https://example.com/s.png).\r\n\r\n```go\r\nfmt.Println(\"[toall]\")\r\n```\r\n- [ ] add a test\r\n- [x] lint"
		}},
		{"pull_request.review_requested.nobody", "pull_request.review_requested.json", func(s *event.Summary) {
			s.PR.RequestedReviewer, s.PR.RequestedTeamName = "", ""
		}},
	}
	for _, tc := range tests {
		for _, l := range Languages {
			t.Run(l+"/"+tc.name, func(t *testing.T) {
				s := loadFixture(t, events+tc.fixture, "", nil)
				tc.change(s)
				s.Language = l
				compareGolden(t, filepath.Join(l, tc.name), renderBuiltin(t, s))
			})
		}
	}
}

// releaseNotes are release notes as GitHub generates them, with a tag in
// them that must stay text.
const releaseNotes = "## What's Changed\r\n* Fix the **login** form by @octocat in https://github.com/octo-org/octo-repo/pull/12\r\n" +
	"* Add [the docs](https://example.com/docs) [toall] by @mona in https://github.com/octo-org/octo-repo/pull/13\r\n\r\n" +
	"## New Contributors\r\n* @mona made their first contribution\r\n\r\n---\r\n" +
	"**Full Changelog**: https://github.com/octo-org/octo-repo/compare/v1.1.0...v1.2.0"

// waitedBot is how a reminder names Copilot, a bot without [bot].
func waitedBot() string { return san("ja", "Copilot") }

func action(a string) func(*event.Summary) {
	return func(s *event.Summary) { s.Action = a }
}

// TestTaskGolden renders the failure task of a GitLab pipeline and of a
// build with no workflow name and five failed jobs: the Japanese title
// calls them パイプライン and ワークフロー, and the marker line, which a
// later success matches to close the task, keeps the name as it is.
func TestTaskGolden(t *testing.T) {
	t.Parallel()
	gitlab := loadCI(t, "testdata/ci/gitlab-merge-request.json")
	unnamed := loadFixture(t, "../../testdata/events/push.json", "failure", nil)
	unnamed.Workflow = ""
	for _, name := range []string{"build", "lint", "test (1)", "test (2)", "test (3)"} {
		unnamed.FailedJobs = append(unnamed.FailedJobs, event.Job{Name: name, Conclusion: "failure"})
	}
	for name, s := range map[string]*event.Summary{"task.gitlab": gitlab, "task.no-workflow-name": unnamed} {
		for _, l := range Languages {
			t.Run(l+"/"+name, func(t *testing.T) {
				c := *s
				c.Language = l
				tmpl, err := BuiltinTask(l)
				if err != nil {
					t.Fatal(err)
				}
				got, err := tmpl.Fit(&c, MaxBodyBytes)
				if err != nil {
					t.Fatal(err)
				}
				compareGolden(t, filepath.Join(l, name), got)
			})
		}
	}
}

// TestCIDefaultNamesAreJapanese: every workflow name another CI system
// gives a build with no name of its own has a Japanese word.
func TestCIDefaultNamesAreJapanese(t *testing.T) {
	t.Parallel()
	for _, ci := range []string{cienv.GitLab, cienv.Bitbucket, cienv.CircleCI} {
		s, _, _, err := cienv.Load(cienv.Options{CI: ci, Getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatal(err)
		}
		if got := workflowName("ja", s.Workflow); got == s.Workflow || got == "" {
			t.Errorf("%s: the default workflow name %q has no Japanese word", ci, s.Workflow)
		}
		if got := workflowName("en", s.Workflow); got != s.Workflow {
			t.Errorf("%s: %q in English is %q", ci, s.Workflow, got)
		}
	}
}

func TestWordHelpers(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{jst("0 0 * * *"), "日本時間 9:00"},
		{jst("30 23 * * 1-5"), "日本時間では翌日 8:30"},
		{jst("*/15 * * * *"), ""},
		{happened("ja", "some_new_action"), "に「some_new_action」の操作がありました"},
		{happened("en", "some_new_action"), "some new action"},
		{happened("ja", "unpublished"), "が非公開になりました"},
		{workflowName("ja", ""), "ワークフロー"},
		{workflowName("ja", "CI"), "CI"},
		{workflowName("en", ""), "Workflow"},
		{waited("en", 3*24*time.Hour+5*time.Hour), "3 days"},
		{waited("en", 24*time.Hour), "1 day"},
		{waited("en", 90*time.Minute), "1 hour"},
		{waited("en", 20*time.Second), "1 minute"},
		{waited("ja", 5*time.Hour), "5時間"},
		{waited("ja", 3*24*time.Hour), "3日"},
		{waited("ja", 42*time.Minute), "42分"},
		{span("en", 90*time.Second), "1 minute 30 seconds"},
		{span("en", time.Hour+30*time.Minute), "1 hour 30 minutes"},
		{span("en", 10*time.Second), "10 seconds"},
		{span("ja", time.Hour+30*time.Minute), "1時間30分"},
		{span("ja", 30*time.Minute), "30分"},
		{waitedBot(), "Copilot"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
