package cienv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// environment reads testdata/env/<system>.json: a system's variables as it
// documents them (values invented).
func environment(t *testing.T, system string) func(string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "env", system+".json"))
	if err != nil {
		t.Fatalf("every CI system needs an environment fixture: %v", err)
	}
	var env map[string]string
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	return getenv(env)
}

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestEverySystem: each system with variables of its own is detected from
// its fixture, and builds the golden summary (go test -update rewrites
// testdata/golden; review the diff).
func TestEverySystem(t *testing.T) {
	t.Parallel()
	for _, sys := range systems {
		if sys.Build == nil {
			continue
		}
		t.Run(sys.Name, func(t *testing.T) {
			t.Parallel()
			env := environment(t, sys.Name)
			if got := Detect(env); got != sys.Name {
				t.Errorf("Detect = %s", got)
			}
			s, notes, src, err := Load(Options{Getenv: env})
			if err != nil || notes != nil || src != (Source{System: sys.Name}) {
				t.Fatalf("Load: %v, notes %v, source %+v", err, notes, src)
			}
			if s.StatusIcon != s.Outcome.Icon() || s.Payload == nil {
				t.Errorf("icon %q payload %v", s.StatusIcon, s.Payload)
			}
			goldenSummary(t, filepath.Join("testdata", "golden", sys.Name+".json"), s)
		})
	}
}

// goldenSummary compares the summary, as indented JSON without its payload, with
// the file.
func goldenSummary(t *testing.T, path string, s *event.Summary) {
	t.Helper()
	c := *s
	c.Payload = nil
	golden.CheckJSON(t, path, c)
}

func TestDetect(t *testing.T) {
	t.Parallel()
	if got := Detect(getenv(map[string]string{"GITHUB_ACTIONS": "true", "GITLAB_CI": "true"})); got != GitHub {
		t.Errorf("GitHub Actions wins: %s", got)
	}
	if got := Detect(getenv(nil)); got != None {
		t.Errorf("no CI: %s", got)
	}
	if !slices.Equal(Names, []string{GitHub, GitLab, CircleCI, Buildkite, Bitbucket, Jenkins, None}) {
		t.Errorf("Names = %v", Names)
	}
}

// TestWhereTheSummaryComesFrom: the GitHub event file under Actions, with
// no CI, or whenever an event path is given; the system's variables
// otherwise. Only a GitHub run is enriched through the GitHub API.
func TestWhereTheSummaryComesFrom(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "event.json")
	if err := os.WriteFile(path, []byte(`{"ref":"refs/heads/dev","repository":{"full_name":"o/r"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	gitlab := map[string]string{"GITLAB_CI": "true", "CI_PROJECT_PATH": "group/app", "CI_COMMIT_BRANCH": "main"}
	tests := []struct {
		name      string
		opts      Options
		repo      string
		src       Source
		eventRead bool
	}{
		{"GitHub Actions", Options{Getenv: getenv(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": path})}, "o/r", Source{GitHub, true}, true},
		{"no CI, event flags", Options{Getenv: getenv(nil), EventName: "push", EventPath: path}, "o/r", Source{None, true}, true},
		{"GitLab", Options{Getenv: getenv(gitlab)}, "group/app", Source{GitLab, false}, false},
		{"GitLab with an event path", Options{Getenv: getenv(gitlab), EventName: "push", EventPath: path}, "o/r", Source{GitLab, false}, true},
		{"--ci names the system", Options{CI: GitLab, Getenv: getenv(gitlab)}, "group/app", Source{GitLab, false}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, src, err := Load(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if s.Repo != tc.repo || src != tc.src {
				t.Errorf("repo %q source %+v; want %q %+v", s.Repo, src, tc.repo, tc.src)
			}
		})
	}
}

func TestStatusInputWins(t *testing.T) {
	t.Parallel()
	s, _, _, _ := Load(Options{CI: GitLab, Getenv: environment(t, GitLab), Status: "Success"})
	if s.Status != "success" {
		t.Errorf("status %s", s.Status)
	}
	if _, _, _, err := Load(Options{CI: "travis", Getenv: getenv(nil)}); err == nil {
		t.Error("unknown CI accepted")
	}
}

func TestCloneURLs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"git@github.com:octo/app.git":            {"https://github.com/octo/app", "octo/app"},
		"https://github.com/octo/app.git":        {"https://github.com/octo/app", "octo/app"},
		"https://user:pw@gitlab.com/g/sub/r.git": {"https://gitlab.com/g/sub/r", "g/sub/r"},
		"ssh://git@bitbucket.org/team/app.git":   {"https://bitbucket.org/team/app", "team/app"},
		"":                                       {"", ""},
		"not a url":                              {"", ""},
	} {
		if got := [2]string{webURL(in), slugOf(in)}; got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}

// TestNativeWords: every system's own result words map to outcome words,
// no word means two things, and none shadows one of GitHub's.
func TestNativeWords(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, sys := range systems {
		for w, o := range sys.Words {
			if _, ok := event.NormaliseOutcome(o); !ok || event.ClassOf(o) == event.ClassNone {
				t.Errorf("%s: %q maps to %q, not an outcome word", sys.Name, w, o)
			}
			if _, ok := event.NormaliseOutcome(w); ok {
				t.Errorf("%s: %q is already a GitHub outcome word", sys.Name, w)
			}
			if prev, ok := seen[w]; ok && prev != o {
				t.Errorf("%q means %s and %s", w, prev, o)
			}
			seen[w] = o
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"hard_failed", "failure"}, {"soft_failed", "neutral"}, {"Passed", "success"}, {"errored", "error"},
		{"canceled", "cancelled"}, {"FAILED", "failure"}, {"UNSTABLE", "unstable"}, {"NOT_BUILT", "skipped"},
		{"success", "success"}, {"nonsense", ""},
	} {
		if got, _ := Outcome(tc.in); got != tc.want {
			t.Errorf("Outcome(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
