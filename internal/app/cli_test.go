package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
)

// cli runs the program as a terminal user would: no Actions variables,
// separate stdout and stderr.
func cli(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errw bytes.Buffer
	err = app.Run(context.Background(), app.Deps{
		Args:    args,
		Getenv:  func(k string) string { return env[k] },
		Stdout:  &out,
		Stderr:  &errw,
		Version: "v1.2.3",
	})
	return out.String(), errw.String(), err
}

// TestCLIStreams: outside Actions the message alone goes to stdout, so a
// shell can capture it; notes, errors and usage go to stderr.
func TestCLIStreams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		exit       int
		stdout     string   // exact
		stderrHave []string // each must appear
	}{
		{"dry run prints only the message", nil,
			[]string{"--dry-run", "--template", "Nightly {{.Status}}", "--status", "hard_failed"},
			0, "Nightly failure\n", []string{"Dry run: nothing was posted."}},
		{"version", nil, []string{"--version"}, 0, "chatwork-notify v1.2.3\n", nil},
		{"help shows defaults and exit codes", nil, []string{"-h"}, 0, "",
			[]string{"Exit status:", "0  posted", "1  an input error", `(default "always")`, "-room"}},
		{"no event and no template outside CI", nil, []string{"--dry-run"}, 1, "",
			[]string{"nothing to report", "--template", "--event-path", "--ci"}},
		{"no token outside Actions names the variable, not an expression", nil,
			[]string{"--room", "1", "--template", "x"}, 1, "",
			[]string{"input token", "CHATWORK_API_TOKEN", "--dry-run"}},
		{"a CI system's own result word", map[string]string{"BUILDKITE": "true", "BUILDKITE_PIPELINE_SLUG": "deploy", "BUILDKITE_BRANCH": "main"},
			[]string{"--dry-run", "--status", "soft_failed", "--template", "{{.Workflow}} {{.Status}} {{.Outcome}}"},
			0, "deploy neutral neutral\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := cli(t, tc.env, tc.args...)
			if got := app.ExitCode(err); got != tc.exit {
				t.Fatalf("exit %d, want %d (%v)\nstdout:\n%s\nstderr:\n%s", got, tc.exit, err, stdout, stderr)
			}
			if stdout != tc.stdout {
				t.Errorf("stdout = %q, want %q\nstderr:\n%s", stdout, tc.stdout, stderr)
			}
			for _, w := range tc.stderrHave {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stdout+stderr, "${{") || strings.Contains(stdout+stderr, "::") {
				t.Errorf("an Actions expression or workflow command outside Actions:\n%s%s", stdout, stderr)
			}
		})
	}
}
