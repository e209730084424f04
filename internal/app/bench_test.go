package app_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
)

// BenchmarkRunPost measures one whole notification (inputs, event file,
// summary, render, one POST to the fake Chatwork over loopback, outputs).
func BenchmarkRunPost(b *testing.B) {
	benchRun(b, map[string]string{})
}

// BenchmarkRunDedupePost adds the dedupe read before the post.
func BenchmarkRunDedupePost(b *testing.B) {
	benchRun(b, map[string]string{"dedupe": "true", "template": "{{.RunID}} {{.Actor}}"})
}

// BenchmarkRunDryRun is the same without any request.
func BenchmarkRunDryRun(b *testing.B) {
	benchRun(b, map[string]string{"dry-run": "true"})
}

// BenchmarkRunFailure is a failed job's notification with the run read
// from the fake GitHub API, details off; BenchmarkRunFailureDetails adds
// what details cost: the failed job's annotations, its log through the
// storage redirect (log-lines: 20), two JUnit reports from the workspace,
// and the log file uploaded after the message.
func BenchmarkRunFailure(b *testing.B) {
	benchRun(b, map[string]string{"status": "failure", "details": "false"}, withFailedRun)
}

func BenchmarkRunFailureDetails(b *testing.B) {
	benchRun(b, map[string]string{"status": "failure", "log-lines": "20", "attach-log": "true", "test-results": "reports/*.xml"}, withFailedRun)
}

func withFailedRun(h *harness) {
	failedLintRun(h)
	dir := filepath.Join(h.env["GITHUB_WORKSPACE"], "reports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	for _, f := range []string{"gotestsum.xml", "go-junit-report.xml"} {
		b, err := os.ReadFile("../junit/testdata/" + f)
		if err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
}

func benchRun(b *testing.B, inputs map[string]string, setup ...func(*harness)) {
	h := newHarness(b)
	for _, f := range setup {
		f(h)
	}
	h.srv.AccountLimit = 1 << 30
	for k, v := range inputs {
		h.input(k, v)
	}
	deps := app.Deps{
		Getenv:     func(k string) string { return h.env[k] },
		Stdout:     io.Discard,
		HTTPClient: h.srv.Client(),
		Clock:      h.clock,
	}
	for b.Loop() {
		// A fresh room each round keeps dedupe honest and the per-room
		// posting limit out of the measurement.
		h.srv.AddRoom(testRoom, testAccount)
		if err := app.Run(context.Background(), deps); err != nil {
			b.Fatal(err)
		}
	}
}
