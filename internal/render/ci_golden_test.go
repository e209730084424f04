package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/cienv"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// TestOtherCISystemsGolden renders the built-in message of other CI
// systems' builds (testdata/ci/<case>.json: the system's variables, and
// "status", the result word as that system prints it) in both languages:
// a GitLab merge request is "MR !7", a Jenkins build that is no pull
// request is no push, and UNSTABLE keeps its word.
func TestOtherCISystemsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/ci/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CI fixtures: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		s := loadCI(t, path)
		for _, l := range Languages {
			s.Language = l
			compareGolden(t, filepath.Join(l, "ci."+name), renderBuiltin(t, s))
		}
	}
}

// TestLongRunGolden: a run of six hours says "6h" / "6時間", with no zero
// units.
func TestLongRunGolden(t *testing.T) {
	t.Parallel()
	s := loadFixture(t, "../../testdata/events/workflow_run.completed.success.json", "", nil)
	s.Duration = event.FormatDuration(6 * time.Hour)
	for _, l := range Languages {
		s.Language = l
		compareGolden(t, filepath.Join(l, "workflow_run.six-hours"), renderBuiltin(t, s))
	}
}

// loadCI reads a CI fixture (the variables of a build, and "status") as
// that system's run would, into a summary.
func loadCI(t *testing.T, path string) *event.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]string
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	status, _ := cienv.Outcome(env["status"])
	s, _, _, err := cienv.Load(cienv.Options{Getenv: func(k string) string { return env[k] }, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
