package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock/clocktest"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction/runnertest"
)

const (
	testToken   = "f00dfacecafebeef0123456789abcdef"
	testAccount = int64(4242001)
	testRoom    = int64(123456)
)

// harness runs the whole program in-process with a runner-like
// environment: INPUT_* for every declared input, GITHUB_* variables, an
// event file, and output and summary files, against the fake Chatwork.
type harness struct {
	t      testing.TB
	srv    *chatworktest.Server
	clock  *clocktest.Clock
	dir    string
	env    map[string]string
	stdout bytes.Buffer
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	srv := chatworktest.NewInMemory(t)
	srv.AddToken(testToken, testAccount, "CI Bot")
	srv.AddRoom(testRoom, testAccount)
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace")
	if err := os.Mkdir(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv, clock: clocktest.NewClock(), dir: dir, env: map[string]string{
		"GITHUB_ACTIONS":      "true",
		"CI":                  "true",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_WORKSPACE":    ws,
		"GITHUB_REPOSITORY":   "octo-org/octo-repo",
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_API_URL":      "https://api.github.com",
		"GITHUB_WORKFLOW":     "CI",
		"GITHUB_JOB":          "build",
		"GITHUB_RUN_ID":       "1658821493",
		"GITHUB_RUN_NUMBER":   "42",
		"GITHUB_RUN_ATTEMPT":  "1",
		"GITHUB_ACTOR":        "octocat",
		"GITHUB_REF":          "refs/heads/master",
		"GITHUB_REF_NAME":     "master",
		"GITHUB_SHA":          "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
		"HOME":                "/github/home",
	}}
	// The runner passes every declared input, with its default when the
	// workflow does not set it.
	for _, in := range config.Inputs {
		h.env["INPUT_"+strings.ToUpper(in.Name)] = in.Default
	}
	// The runner would evaluate ${{ github.token }}; tests that want the
	// GitHub API set a token and a fake API (withGitHub).
	h.env["INPUT_GITHUB-TOKEN"] = ""
	h.env["INPUT_TOKEN"] = testToken
	h.env["INPUT_ROOM"] = fmt.Sprint(testRoom)
	h.env["INPUT_API-URL"] = srv.BaseURL()
	h.event("push", "../../testdata/events/push.new-branch.json")
	return h
}

// input sets an input as the runner would (INPUT_<NAME>, hyphens kept).
func (h *harness) input(name, value string) *harness {
	h.env["INPUT_"+strings.ToUpper(name)] = value
	return h
}

// event installs a payload file as the event.
func (h *harness) event(name, fixture string) *harness {
	b, err := os.ReadFile(fixture)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.eventJSON(name, b)
}

func (h *harness) eventJSON(name string, payload []byte) *harness {
	path := filepath.Join(h.dir, "event.json")
	if err := os.WriteFile(path, payload, 0o644); err != nil {
		h.t.Fatal(err)
	}
	h.env["GITHUB_EVENT_NAME"] = name
	h.env["GITHUB_EVENT_PATH"] = path
	return h
}

func (h *harness) run(args ...string) error {
	h.t.Helper()
	return h.runCtx(context.Background(), args...)
}

// runCtx runs the program with ctx (cancelled: the runner's SIGTERM).
func (h *harness) runCtx(ctx context.Context, args ...string) error {
	h.t.Helper()
	h.stdout.Reset()
	for _, f := range []string{"output", "summary"} {
		os.Remove(filepath.Join(h.dir, f))
	}
	return app.Run(ctx, app.Deps{
		Args:   args,
		Getenv: func(k string) string { return h.env[k] },
		Environ: func() []string {
			var kv []string
			for k, v := range h.env {
				kv = append(kv, k+"="+v)
			}
			return kv
		},
		Stdout:     &h.stdout,
		HTTPClient: h.srv.Client(),
		Clock:      h.clock,
		Budget:     20 * time.Second,
		Version:    "test",
	})
}

func (h *harness) readFile(name string) string {
	b, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil && !os.IsNotExist(err) {
		h.t.Fatal(err)
	}
	return string(b)
}

// outputs parses GITHUB_OUTPUT the way the runner does and fails the test
// on anything the runner would reject.
func (h *harness) outputs() map[string]string {
	h.t.Helper()
	out, err := runnertest.ParseFileCommands(h.readFile("output"))
	if err != nil {
		h.t.Fatalf("GITHUB_OUTPUT would fail the step: %v\n%s", err, h.readFile("output"))
	}
	return out
}

// readOutputs parses an output file the way the runner does.
func readOutputs(t testing.TB, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := runnertest.ParseFileCommands(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (h *harness) summary() string { return h.readFile("summary") }

func (h *harness) posts() int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r.Method == "POST" {
			n++
		}
	}
	return n
}

// actedOn returns the workflow commands the runner would act on in the
// step log, leaving out the fences the action puts around untrusted text.
func (h *harness) actedOn() []runnertest.Command {
	var out []runnertest.Command
	stop := ""
	for _, c := range runnertest.Commands(h.stdout.String()) {
		switch {
		case c.Name == "stop-commands":
			stop = c.Data
		case stop != "" && strings.EqualFold(c.Name, stop):
			stop = ""
		default:
			out = append(out, c)
		}
	}
	return out
}
