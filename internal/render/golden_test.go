package render

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
)

// runnerEnv is a plausible runner environment for the fixtures.
var runnerEnv = map[string]string{
	"GITHUB_REPOSITORY":  "octo-org/octo-repo",
	"GITHUB_SERVER_URL":  "https://github.com",
	"GITHUB_WORKFLOW":    "CI",
	"GITHUB_JOB":         "build",
	"GITHUB_RUN_ID":      "1658821493",
	"GITHUB_RUN_NUMBER":  "42",
	"GITHUB_RUN_ATTEMPT": "1",
	"GITHUB_ACTOR":       "octocat",
}

// fixtureEvent returns the event name a fixture file stands for: the part
// of its name before the first dot.
func fixtureEvent(path string) string {
	name, _, _ := strings.Cut(filepath.Base(path), ".")
	return name
}

func fixtures(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"../../testdata/events/*.json", "../../testdata/events/derived/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d fixtures", len(files))
	}
	return files
}

func loadFixture(t testing.TB, path, status string, extra map[string]string) *event.Summary {
	t.Helper()
	env := map[string]string{}
	for k, v := range runnerEnv {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	s, _, err := event.Load(event.Options{
		Getenv:    func(k string) string { return env[k] },
		EventName: fixtureEvent(path),
		EventPath: path,
		Status:    status,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBuiltinGolden renders every fixture with its built-in template in
// every language, as the event alone says it (no status input) and as a
// failed job's notification (status: failure), and compares with
// testdata/golden/<lang>/<fixture>[.failure].txt (go test -update
// rewrites them).
func TestBuiltinGolden(t *testing.T) {
	t.Parallel()
	for _, path := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		for _, l := range Languages {
			for _, status := range []string{"", "failure"} {
				golden := filepath.Join(l, name)
				if status != "" {
					golden += "." + status
				}
				t.Run(golden, func(t *testing.T) {
					s := loadFixture(t, path, status, map[string]string{"GITHUB_EVENT_NAME": fixtureEvent(path)})
					s.Language = l
					compareGolden(t, golden, renderBuiltin(t, s))
				})
			}
		}
	}
}

func renderBuiltin(t *testing.T, s *event.Summary) string {
	t.Helper()
	tmpl, err := Builtin(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tmpl.Fit(s, MaxBodyBytes)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// compareGolden compares got with testdata/golden/NAME.txt (go test
// -update rewrites it).
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), got)
}

// TestFailureWithJobsGolden renders a failed push with mentions and more
// failed jobs than the built-in template lists.
func TestFailureWithJobsGolden(t *testing.T) {
	t.Parallel()
	for _, l := range Languages {
		t.Run(l, func(t *testing.T) { failureWithJobs(t, l) })
	}
}

func failureWithJobs(t *testing.T, l string) {
	s := loadFixture(t, "../../testdata/events/push.new-branch.json", "failure", nil)
	s.Language = l
	s.Mentions = mention.Line(false, []mention.Person{{ID: 111, Label: "octocat"}, {ID: 222}}, nil, l)
	for i := 1; i <= 7; i++ {
		s.FailedJobs = append(s.FailedJobs, event.Job{
			Name: fmt.Sprintf("test (node %d) [matrix]", i), Conclusion: "failure",
			URL:         fmt.Sprintf("https://github.com/octo-org/octo-repo/actions/runs/1658821493/job/%d", 900+i),
			FailedSteps: []event.Step{{Name: "npm test", Number: 4}, {Name: "upload", Number: 6}},
		})
	}
	s.Jobs = s.FailedJobs
	compareGolden(t, filepath.Join(l, "push.failure-with-jobs"), renderBuiltin(t, s))
}
