package ghaction

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/ghaction/runnertest"
	"github.com/google/go-cmp/cmp"
)

func newRunner(t *testing.T, actions bool) (*Runner, *bytes.Buffer, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "out"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "sum"),
	}
	if actions {
		env["GITHUB_ACTIONS"] = "true"
	}
	var buf bytes.Buffer
	return New(&buf, nil, func(k string) string { return env[k] }, nil), &buf, env
}

func TestMaskOnlyInsideActions(t *testing.T) {
	t.Parallel()
	for _, actions := range []bool{true, false} {
		r, buf, _ := newRunner(t, actions)
		r.Mask("sekrit-token")
		r.Mask("sekrit-token") // once is enough
		r.Info("token is sekrit-token and encoded sekrit-token")
		log := buf.String()
		masks := strings.Count(log, "::add-mask::sekrit-token\n")
		if actions && masks != 1 || !actions && masks != 0 {
			t.Errorf("actions=%v: %d add-mask lines in %q", actions, masks, log)
		}
		if strings.Count(log, "sekrit-token") != masks {
			t.Errorf("actions=%v: token printed: %q", actions, log)
		}
	}
}

func TestInfoNeutralisesCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text    string
		wrapped bool
	}{
		{"plain text", false},
		{"a :: in the middle", false},
		{"::error::x", true},
		{"line\n   ::warning::x", true},
		{"\t::add-mask::x", true},
		{"see ##[error]x", true},
	}
	for _, tc := range tests {
		r, buf, _ := newRunner(t, true)
		r.Info(tc.text)
		log := buf.String()
		if got := strings.HasPrefix(log, "::stop-commands::"); got != tc.wrapped {
			t.Errorf("Info(%q) wrapped=%v: %q", tc.text, got, log)
			continue
		}
		if tc.wrapped {
			lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
			tok := strings.TrimPrefix(lines[0], "::stop-commands::")
			if lines[len(lines)-1] != "::"+tok+"::" || strings.Contains(tc.text, tok) || len(tok) < 30 {
				t.Errorf("bad stop/resume pair in %q", log)
			}
		}
	}
}

func TestAnnotationsStayOnOneLine(t *testing.T) {
	t.Parallel()
	r, buf, _ := newRunner(t, true)
	r.Error("bad\n::warning::injected 100%")
	if got := buf.String(); got != "::error::bad ::warning::injected 100%25\n" {
		t.Errorf("got %q", got)
	}
	r2, buf2, _ := newRunner(t, false)
	r2.Warning("plain")
	if buf2.String() != "warning: plain\n" {
		t.Errorf("got %q", buf2.String())
	}
}

// TestDebugOnlyWithRunnerDebug: a debug line is written only when the
// runner says debug logging is on (RUNNER_DEBUG=1), redacted, and on one
// line, so the text cannot start a command of its own.
func TestDebugOnlyWithRunnerDebug(t *testing.T) {
	t.Parallel()
	const token = "tok-debug-12345"
	msg := "GET api/x " + token + "\n::error::injected 100%\r::add-mask::y"
	tests := []struct {
		name    string
		debug   string
		actions bool
		want    string
	}{
		{"unset", "", true, ""},
		{"0", "0", true, ""},
		{"true is not 1", "true", true, ""},
		{"on", "1", true, "::debug::GET api/x *** ::error::injected 100%25 ::add-mask::y\n"},
		{"on outside Actions", "1", false, "debug: GET api/x *** ::error::injected 100% ::add-mask::y\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, buf, env := newRunner(t, tc.actions)
			env["RUNNER_DEBUG"] = tc.debug
			r.Mask(token)
			buf.Reset() // the ::add-mask:: line
			r.Debug(msg)
			if got := buf.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if !tc.actions || tc.want == "" {
				return
			}
			want := []runnertest.Command{{Name: "debug", Data: strings.TrimPrefix(strings.TrimSuffix(tc.want, "\n"), "::debug::")}}
			if d := cmp.Diff(want, runnertest.Commands(buf.String())); d != "" {
				t.Errorf("commands (-want +got)\n%s", d)
			}
		})
	}
}

func TestSetOutputCannotBeForged(t *testing.T) {
	t.Parallel()
	r, _, env := newRunner(t, true)
	r.Mask("tok-12345")
	evil := "x\n_GitHubActionsFileCommandDelimeter_\ninjected=1\nghadelimiter_\ntok-12345"
	if err := r.SetOutput("body", evil); err != nil {
		t.Fatal(err)
	}
	if err := r.SetOutput("bad name", "v"); err == nil {
		t.Error("invalid output name accepted")
	}
	b, _ := os.ReadFile(env["GITHUB_OUTPUT"])
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	head, delim := lines[0], lines[len(lines)-1]
	if head != "body<<"+delim || !strings.HasPrefix(delim, "ghadelimiter_") || len(delim) < 40 {
		t.Fatalf("unexpected heredoc %q", b)
	}
	value := strings.Join(lines[1:len(lines)-1], "\n")
	if value != strings.ReplaceAll(evil, "tok-12345", "***") {
		t.Errorf("value %q", value)
	}
	if strings.Count(string(b), delim) != 2 {
		t.Errorf("delimiter occurs inside the value")
	}
}

// fixedRandom repeats one byte, so the first delimiter is predictable.
type fixedRandom byte

func (f fixedRandom) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

func TestDelimiterAvoidsTheValue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "out")}
	r := New(&bytes.Buffer{}, nil, func(k string) string { return env[k] }, &sequence{})
	guess := "ghadelimiter_" + strings.Repeat("00", 16)
	if err := r.SetOutput("body", "a\n"+guess+"\nb"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(env["GITHUB_OUTPUT"])
	if strings.HasPrefix(string(b), "body<<"+guess+"\n") {
		t.Errorf("used a delimiter that occurs in the value: %q", b)
	}
}

// sequence yields 0x00… then 0x01… and so on.
type sequence struct{ n byte }

func (s *sequence) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = s.n
	}
	s.n++
	return len(p), nil
}

func TestNoFilesOutsideActions(t *testing.T) {
	t.Parallel()
	r := New(&bytes.Buffer{}, nil, func(string) string { return "" }, fixedRandom(1))
	if err := r.SetOutput("a", "b"); err != nil {
		t.Error(err)
	}
	if err := r.AddSummary("x"); err != nil {
		t.Error(err)
	}
}

func TestCodeFence(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "```", "a ` b": "```", "````x": "`````", "x\n```\ny": "````"} {
		if got := CodeFence(in); got != want {
			t.Errorf("CodeFence(%q) = %q, want %q", in, got, want)
		}
	}
}
