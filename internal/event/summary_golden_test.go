package event

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"
)

// goldenEnv is the runner's environment for the summary goldens.
var goldenEnv = map[string]string{
	"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "octo-org/octo-repo",
	"GITHUB_WORKFLOW": "CI", "GITHUB_JOB": "build", "GITHUB_RUN_ID": "1658821493",
	"GITHUB_RUN_NUMBER": "42", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_ACTOR": "octocat",
	"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
}

// TestSummaryGolden pins the summary of every fixture payload (without the
// raw payload) to testdata/summary/<fixture>.json, so a change to what a
// template sees shows up as a reviewed diff. go test -update rewrites them.
func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pat := range []string{fixtures + "*.json", fixtures + "derived/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("found only %d fixtures", len(files))
	}
	for _, path := range files {
		rel, _ := filepath.Rel(fixtures, path)
		name := strings.ReplaceAll(filepath.ToSlash(rel), "/", ".")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			event, _, _ := strings.Cut(filepath.Base(path), ".")
			s, notes := load(t, event, path, goldenEnv, "")
			c := *s
			c.Payload = nil
			golden.CheckJSON(t, filepath.Join("testdata", "summary", name), struct {
				Summary
				Notes []Note
			}{c, notes})
		})
	}
}
