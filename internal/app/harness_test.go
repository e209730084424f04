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

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
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
	clock  *chatworktest.Clock
	dir    string
	env    map[string]string
	stdout bytes.Buffer
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	srv := chatworktest.New(t)
	srv.AddToken(testToken, testAccount, "CI Bot")
	srv.AddRoom(testRoom, testAccount)
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace")
	if err := os.Mkdir(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv, clock: chatworktest.NewClock(), dir: dir, env: map[string]string{
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
		"GITHUB_REF":          "refs/heads/main",
		"GITHUB_REF_NAME":     "main",
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
	h.stdout.Reset()
	for _, f := range []string{"output", "summary"} {
		os.Remove(filepath.Join(h.dir, f))
	}
	return app.Run(context.Background(), app.Deps{
		Args:       args,
		Getenv:     func(k string) string { return h.env[k] },
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
	out, err := parseFileCommands(h.readFile("output"))
	if err != nil {
		h.t.Fatalf("GITHUB_OUTPUT would fail the step: %v\n%s", err, h.readFile("output"))
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

// parseFileCommands follows the runner's FileCommandManager: name=value
// lines, or name<<DELIM heredocs closed by a line equal to DELIM.
func parseFileCommands(text string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		switch {
		case hd >= 0 && (eq < 0 || hd < eq):
			name, delim := line[:hd], line[hd+2:]
			if name == "" || delim == "" {
				return nil, fmt.Errorf("line %d: empty name or delimiter", i+1)
			}
			var val []string
			found := false
			for i++; i < len(lines); i++ {
				if lines[i] == delim {
					found = true
					break
				}
				val = append(val, lines[i])
			}
			if !found {
				return nil, fmt.Errorf("matching delimiter not found for %q", name)
			}
			if _, dup := out[name]; dup {
				return nil, fmt.Errorf("output %q written twice", name)
			}
			out[name] = strings.Join(val, "\n")
		case eq > 0:
			out[line[:eq]] = line[eq+1:]
		default:
			return nil, fmt.Errorf("line %d: invalid format %q", i+1, line)
		}
	}
	return out, nil
}

// command is a workflow command the runner would act on.
type command struct{ name, data string }

// runnerCommands parses a step log as the runner does: "::name ...::data"
// lines after leading whitespace, legacy "##[name]" anywhere, and nothing
// between ::stop-commands::TOKEN and ::TOKEN::.
func runnerCommands(log string) []command {
	var cmds []command
	stop := ""
	for _, line := range strings.Split(log, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if stop != "" {
			if strings.TrimSpace(line) == "::"+stop+"::" {
				stop = ""
			}
			continue
		}
		if i := strings.Index(line, "##["); i >= 0 {
			cmds = append(cmds, command{name: "legacy", data: line[i:]})
		}
		if !strings.HasPrefix(trimmed, "::") {
			continue
		}
		rest := trimmed[2:]
		end := strings.Index(rest, "::")
		if end < 0 {
			continue
		}
		name, _, _ := strings.Cut(rest[:end], " ")
		c := command{name: name, data: rest[end+2:]}
		if name == "stop-commands" {
			stop = c.data
		}
		cmds = append(cmds, c)
	}
	return cmds
}
