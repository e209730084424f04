package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-github/v60/github"
)

// withID gives a fake job the id that is also its check run's.
func withID(j *github.WorkflowJob, id int64) *github.WorkflowJob {
	j.ID = github.Int64(id)
	return j
}

func failedLintRun(h *harness) *ghapitest.Server {
	gh := withGitHub(h)
	gh.SetJobs(1658821493,
		withID(ghJob("lint", "completed", "failure", "r1", "golangci-lint"), 902),
		withID(ghJob("test", "completed", "success", "r2"), 904),
		withID(ghJob("notify", "in_progress", "", "GitHub Actions 3"), 903),
	)
	gh.SetAnnotations(902,
		&github.CheckRunAnnotation{AnnotationLevel: github.String("failure"), Path: github.String(".github"), Message: github.String("Process completed with exit code 1.")},
		&github.CheckRunAnnotation{AnnotationLevel: github.String("failure"), Path: github.String("internal/app/app.go"), StartLine: github.Int(42),
			Message: github.String("Error return value of `f.Close` is not checked (errcheck)\nfull text")},
	)
	log, err := os.ReadFile("../ghapi/testdata/job.log")
	if err != nil {
		h.t.Fatal(err)
	}
	gh.SetLog(902, string(log))
	return gh
}

// TestDetailsExplainTheFailure: annotations, the failed step's last log
// lines, the failed tests of the workspace's JUnit reports, and the logs
// as a file in every room; the log comes from the storage host without
// the GitHub token.
func TestDetailsExplainTheFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("log-lines", "3").input("attach-log", "true").
		input("test-results", "reports/**/*.xml").input("room", "123456, 654321")
	h.srv.AddRoom(654321, testAccount)
	gh := failedLintRun(h)
	reports := filepath.Join(h.env["GITHUB_WORKSPACE"], "reports", "go")
	if err := os.MkdirAll(reports, 0o755); err != nil {
		t.Fatal(err)
	}
	copyTo(t, "../junit/testdata/gotestsum.xml", filepath.Join(reports, "junit.xml"))

	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.outputs()["body"]
	for _, want := range []string{
		"- lint (failed step: golangci-lint)",
		"[info][title]🔍 Why it failed[/title]",
		"Tests: 1 of 6 failed (1 skipped)",
		"- github.com/octo-org/octo-repo/internal/app › TestRetry: app_test.go:42: retries = 3, want 2",
		"lint:\n- ❌ internal/app/app.go:42: Error return value of `f.Close` is not checked (errcheck)\n[code]",
		"FAIL\tgithub.com/octo-org/octo-repo/internal/app\t0.301s\nFAIL[/code]",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "exit code") || strings.Contains(body, "[toall]") {
		t.Errorf("noise or a live tag in the body:\n%s", body)
	}
	for _, room := range []int64{testRoom, 654321} {
		files := h.srv.Files(room)
		if len(files) != 1 || !strings.HasPrefix(string(files[0].Content), "=== lint ===\n") ||
			!strings.Contains(string(files[0].Content), "app_test.go:42: retries = 3, want 2") || files[0].Message != "Logs of the failed steps of CI #42" {
			t.Errorf("room %d files %+v", room, files)
		}
	}
	if auths := gh.StorageAuthorizations(); len(auths) != 1 || auths[0] != "" {
		t.Errorf("the log storage saw %q", auths)
	}
	log := h.stdout.String()
	if strings.Contains(log, "::warning::") || !strings.Contains(log, "this job's own log is not available until it ends") {
		t.Errorf("log:\n%s", log)
	}
	if !strings.Contains(log, "uploaded file 1") {
		t.Errorf("the room line does not name the file:\n%s", log)
	}
}

func copyTo(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDetailsWithoutPermission: GitHub refusing the annotations and the
// logs costs one warning each, naming the permission; the message posts.
func TestDetailsWithoutPermission(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("log-lines", "5")
	gh := failedLintRun(h)
	gh.Forbid("/check-runs/", "/logs")
	if err := h.run(); err != nil || h.posts() != 1 {
		t.Fatalf("%v, %d posts\n%s", err, h.posts(), h.stdout.String())
	}
	log := h.stdout.String()
	if strings.Count(log, "::warning::") != 2 || !strings.Contains(log, "add permissions: checks: read") || !strings.Contains(log, "add permissions: actions: read") {
		t.Errorf("want one warning per permission:\n%s", log)
	}
	if body := h.outputs()["body"]; !strings.Contains(body, "- lint (failed step: golangci-lint)") || strings.Contains(body, "Why it failed") {
		t.Errorf("body:\n%s", body)
	}
}

// TestDetailsOnlyOnFailure: a success asks GitHub for no annotation or
// log, and details: false asks for none either.
func TestDetailsOnlyOnFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ status, details string }{{"success", "true"}, {"failure", "false"}} {
		h := newHarness(t).input("status", tc.status).input("details", tc.details).input("log-lines", "0")
		gh := failedLintRun(h)
		if tc.status == "success" { // a green run: every job passed
			gh.SetJobs(1658821493, withID(ghJob("lint", "completed", "success", "r1"), 902), withID(ghJob("notify", "in_progress", "", "GitHub Actions 3"), 903))
		}
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		for _, r := range gh.Requests() {
			if strings.Contains(r, "annotations") || strings.Contains(r, "/logs") {
				t.Errorf("%+v asked for %s", tc, r)
			}
		}
	}
}

// TestDedupeIgnoresDetails: a re-run whose details differ is still the
// same message.
func TestDedupeIgnoresDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("dedupe", "true")
	gh := failedLintRun(h)
	if err := h.run(); err != nil || h.posts() != 1 {
		t.Fatalf("%v, %d posts", err, h.posts())
	}
	gh.SetAnnotations(902, &github.CheckRunAnnotation{AnnotationLevel: github.String("failure"), Path: github.String("x.go"), StartLine: github.Int(1), Message: github.String("something else")})
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if h.posts() != 1 || h.outputs()["skipped"] != "true" {
		t.Errorf("%d posts, outputs %q\n%s", h.posts(), h.outputs(), h.stdout.String())
	}
}

// TestReportOnTheRun: a final job reports on the whole run: the worst
// result of the other jobs, with counts; its own success does not count.
func TestReportOnTheRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "success").input("report", "run")
	gh := withGitHub(h)
	gh.SetJobs(1658821493,
		withID(ghJob("test (ubuntu, 1.25)", "completed", "success", "r1"), 911),
		withID(ghJob("test (ubuntu, 1.26)", "completed", "success", "r2"), 912),
		withID(ghJob("test (macos, 1.26)", "completed", "failure", "r3", "go test"), 913),
		withID(ghJob("test (windows, 1.26)", "completed", "success", "r4"), 914),
		withID(ghJob("lint", "completed", "success", "r5"), 915),
		withID(ghJob("docs", "completed", "skipped", "r6"), 916),
		withID(ghJob("notify", "in_progress", "", "GitHub Actions 3"), 917),
	)
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.outputs()["body"]
	for _, want := range []string{"❌ octo-org/octo-repo: CI failed", "Jobs: ❌ 1 failure, ✅ 4 success, ⏭️ 1 skipped", "- test (macos, 1.26) (failed step: go test)"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(h.stdout.String(), "report is run: the message says failure") {
		t.Errorf("no notice that the outcome is the run's:\n%s", h.stdout.String())
	}

	// notify-when: failure decides on the run's outcome, not the job's.
	h.input("notify-when", "failure").input("status", "success")
	before := h.posts()
	if err := h.run(); err != nil || h.posts() != before+1 {
		t.Errorf("notify-when: failure with a failed run: %v, %d posts", err, h.posts()-before)
	}
}

// TestNoPieceOfASecretReachesTheRoom: secrets inside text that gets cut —
// a JUnit failure message past its 300-byte cut, a commit message the
// fitter shortens to make the message fit — are redacted before the cut,
// so not even a piece of the Chatwork token or the github-token reaches
// the room, the log or the outputs.
func TestNoPieceOfASecretReachesTheRoom(t *testing.T) {
	t.Parallel()
	t.Run("a JUnit message cut at 300 bytes", func(t *testing.T) {
		h := newHarness(t).input("status", "failure").input("test-results", "r.xml")
		failedLintRun(h)
		report := `<testsuite name="s"><testcase name="t"><failure message="` + strings.Repeat("x", 290) + testToken + `"/></testcase></testsuite>` +
			`<testsuite name="u"><testcase name="t"><failure message="` + strings.Repeat("x", 280) + ghToken + `"/></testcase></testsuite>`
		if err := os.WriteFile(filepath.Join(h.env["GITHUB_WORKSPACE"], "r.xml"), []byte("<testsuites>"+report+"</testsuites>"), 0o644); err != nil {
			t.Fatal(err)
		}
		noPieceOfATokenAnywhere(t, h)
	})
	t.Run("a commit message the fitter cuts", func(t *testing.T) {
		h := newHarness(t).input("status", "failure")
		h.env["GITHUB_TOKEN"] = ghToken
		// Tokens one after the other, so the cut falls inside one.
		long := strings.Repeat(testToken+" "+ghToken+" ", 1100)
		h.eventJSON("push", []byte(`{"ref":"refs/heads/master","after":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","head_commit":{"message":"`+long+`","url":"https://x"}}`))
		h.input("template", "{{.Commit.Message}}{{.Commit.Message}}")
		noPieceOfATokenAnywhere(t, h)
	})
}

// noPieceOfATokenAnywhere runs h and fails when 8 or more characters of a
// token appear in the posted message, the log (but for the ::add-mask::
// lines that register them with the runner) or the outputs.
func noPieceOfATokenAnywhere(t *testing.T, h *harness) {
	t.Helper()
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	var log []string
	for _, line := range strings.Split(h.stdout.String(), "\n") {
		if !strings.HasPrefix(line, "::add-mask::") {
			log = append(log, line)
		}
	}
	places := map[string]string{"room": h.srv.Messages(testRoom)[0].Body, "log": strings.Join(log, "\n"), "outputs": h.readFile("output")}
	for where, text := range places {
		for _, tok := range []string{testToken, ghToken} {
			for i := 0; i+8 <= len(tok); i++ {
				if j := strings.Index(text, tok[i:i+8]); j >= 0 {
					t.Fatalf("a piece of a token (%q) reached the %s: …%s…", tok[i:i+8], where, text[max(j-40, 0):min(j+40, len(text))])
				}
			}
		}
	}
	if !strings.Contains(places["room"], "***") {
		t.Errorf("nothing was redacted:\n%.300s", places["room"])
	}
}
