package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-github/v60/github"
)

// TestREADMEPicture is the message the READMEs show (docs/images, made by
// go run ./cmd/picture from these goldens): a pull request whose tests and
// lint failed, run through the whole program in both languages with the
// author addressed, the failed jobs and steps, a failed test and an
// annotation.
func TestREADMEPicture(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t).event("pull_request", "../../testdata/events/derived/pull_request.opened.japanese-title.json").
				input("language", lang).input("status", "failure").
				input("mentions", "Codertocat: 1001").input("test-results", "reports/*.xml")
			h.env["GITHUB_REPOSITORY"] = "Codertocat/Hello-World" // the fixture's repository: every link agrees
			h.srv.AddMember(testRoom, 1001)
			h.srv.SetName(1001, map[string]string{"en": "Sato Taro", "ja": "佐藤 太郎"}[lang])
			gh := withGitHub(h)
			job := func(name, status, conclusion, runner string, id int64, failed ...string) *github.WorkflowJob {
				j := withID(ghJob(name, status, conclusion, runner, failed...), id)
				j.HTMLURL = github.String(fmt.Sprintf("https://github.com/Codertocat/Hello-World/actions/runs/1658821493/job/%d", id))
				return j
			}
			gh.SetJobs(1658821493, job("lint", "completed", "failure", "r1", 902, "golangci-lint"),
				job("test", "completed", "failure", "r2", 904, "go test"), job("notify", "in_progress", "", "GitHub Actions 3", 903))
			gh.SetAnnotations(902, &github.CheckRunAnnotation{AnnotationLevel: github.String("failure"),
				Path: github.String("internal/auth/login.go"), StartLine: github.Int(42),
				Message: github.String("Error return value of `session.Close` is not checked (errcheck)")})
			reports := filepath.Join(h.env["GITHUB_WORKSPACE"], "reports")
			if err := os.MkdirAll(reports, 0o755); err != nil {
				t.Fatal(err)
			}
			copyTo(t, "../junit/testdata/gotestsum.xml", filepath.Join(reports, "unit.xml"))
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			compareAppGolden(t, filepath.Join(lang, "readme-picture"), h.srv.Messages(testRoom)[0].Body)
		})
	}
}
