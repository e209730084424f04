package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// TestTruthGolden: messages that must read true to the whole run, in both
// languages (testdata/golden/<lang>/<case>.txt; go test -update rewrites
// them), with the notice each prints.
func TestTruthGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		inputs map[string]string
		jobs   []*github.WorkflowJob
		notice string
	}{
		{name: "final-job-after-failed-build", inputs: map[string]string{"status": "success"},
			jobs: []*github.WorkflowJob{
				ghJob("build", "completed", "failure", "r1", "make"),
				ghJob("lint", "completed", "success", "r2"),
				ghJob("notify", "in_progress", "", "GitHub Actions 3"),
			},
			notice: "::notice::the status input (success) is this job's own result, but job build of this run failed, so the message says failure; to report on the whole run, use report: run"},
		{name: "single-job-failed-step", inputs: map[string]string{"status": ""},
			jobs:   []*github.WorkflowJob{ghJob("build", "in_progress", "", "GitHub Actions 3", "Run tests")},
			notice: "::notice::no status input was given, but this job's step Run tests failed before this step, so the message reports a failure; pass status: ${{ job.status }}"},
	}
	for _, lang := range []string{"en", "ja"} {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t).input("language", lang)
				for k, v := range tc.inputs {
					h.input(k, v)
				}
				withGitHub(h).SetJobs(1658821493, tc.jobs...)
				if err := h.run(); err != nil {
					t.Fatalf("%v\n%s", err, h.stdout.String())
				}
				if !strings.Contains(h.stdout.String(), tc.notice) {
					t.Errorf("log lacks %q:\n%s", tc.notice, h.stdout.String())
				}
				compareAppGolden(t, filepath.Join(lang, tc.name), h.srv.Messages(testRoom)[0].Body)
			})
		}
	}
}

// TestUpdateThatFailsAlsoReplies: an edit notifies nobody, so when mode:
// update turns "deploying…" into a failure, a short reply to the edited
// message follows, and the log says so.
func TestUpdateThatFailsAlsoReplies(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t).input("language", lang).input("template", "🚀 deploying {{.Repo}}…")
			if err := h.run(); err != nil {
				t.Fatal(err)
			}
			id := h.outputs()["message-id"]
			h.input("mode", "update").input("message-id", id).input("status", "failure").input("template", "")
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			msgs := h.srv.Messages(testRoom)
			if len(msgs) != 2 || msgs[0].ID != id || msgs[0].UpdateTime == 0 {
				t.Fatalf("room holds %+v; want the edited message and one reply", msgs)
			}
			reply := msgs[1].Body
			if want := "[rp aid=4242001 to=123456-" + id + "]CI Bot\n"; !strings.HasPrefix(reply, want) {
				t.Errorf("the reply does not answer the edited message: %q", reply)
			}
			compareAppGolden(t, filepath.Join(lang, "update-fails"), msgs[0].Body+"\n--- reply ---\n"+reply)
			if out := h.outputs(); out["message-id"] != id {
				t.Errorf("message-id %q, want the edited message", out["message-id"])
			}
			if !strings.Contains(h.stdout.String(), "replied to it with message "+msgs[1].ID) {
				t.Errorf("log does not say the reply was posted:\n%s", h.stdout.String())
			}
			// A success edits only.
			h.input("status", "success")
			if err := h.run(); err != nil || len(h.srv.Messages(testRoom)) != 2 {
				t.Errorf("a successful update posted a reply too: %v", err)
			}
		})
	}
}

// TestJobSummaryInJapanese: with language: ja the job summary's fixed
// words are Japanese too (the log stays English, as people search it).
func TestJobSummaryInJapanese(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("language", "ja").input("status", "success")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	id := h.outputs()["message-id"]
	for _, want := range []string{"### Chatwork への通知", "- ルーム 123456: メッセージ " + id + " を投稿しました。", "<summary>Chatwork 記法</summary>"} {
		if !strings.Contains(h.summary(), want) {
			t.Errorf("summary lacks %q:\n%s", want, h.summary())
		}
	}
	if !strings.Contains(h.stdout.String(), "Room 123456: posted message "+id+".") {
		t.Errorf("the log is not in English:\n%s", h.stdout.String())
	}
	h.input("notify-when", "failure")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if want := "- `notify-when: failure` の設定で、今回は成功だったため、投稿していません。"; !strings.Contains(h.summary(), want) {
		t.Errorf("summary lacks %q:\n%s", want, h.summary())
	}
}

// TestMisspeltInputIsNamed: with: rooms instead of room names the input
// meant, beside the error it causes.
func TestMisspeltInputIsNamed(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("room", "")
	h.env["INPUT_ROOMS"] = "123456"
	if err := h.run(); err == nil {
		t.Fatal("no error for an empty room")
	}
	for _, want := range []string{
		"::warning::INPUT_ROOMS is set, but this action has no input rooms (a misspelt with: key?); did you mean room?",
		"::error::input room: is empty",
	} {
		if !strings.Contains(h.stdout.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, h.stdout.String())
		}
	}
}

// TestInputErrorReachesTheJobSummary: an input error stops the run before
// any request, and the run's page says why, in the step's language when
// the language input could be read.
func TestInputErrorReachesTheJobSummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, language, template string
		want                     []string
	}{
		{name: "config", language: "en", want: []string{
			"because an input needs a fix", "input room: is empty", "docs/inputs.md"}},
		{name: "config in Japanese", language: "ja", want: []string{
			"入力に誤りがあるため", "input room: is empty", "README.ja.md"}},
		{name: "template", language: "ja", template: "{{.Nope}}", want: []string{
			"入力に誤りがあるため", "input template", "Nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t).input("language", tc.language)
			if tc.template != "" {
				h.input("template", tc.template)
			} else {
				h.input("room", "")
			}
			if err := h.run(); err == nil {
				t.Fatal("no error")
			}
			for _, want := range tc.want {
				if !strings.Contains(h.summary(), want) {
					t.Errorf("job summary lacks %q:\n%s", want, h.summary())
				}
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests before the input error", n)
			}
		})
	}
}
