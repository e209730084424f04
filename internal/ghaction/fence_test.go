package ghaction

import (
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/ghaction/runnertest"
)

// onlyFence checks that the runner would act on nothing in log but, at
// most, one stop-commands line and its resume line.
func onlyFence(t *testing.T, text, log string) {
	t.Helper()
	cmds := runnertest.Commands(log)
	switch len(cmds) {
	case 0:
		return
	case 2:
		if cmds[0].Name == "stop-commands" && strings.EqualFold(cmds[1].Name, cmds[0].Data) {
			return
		}
	}
	t.Errorf("Info(%q): the runner would run %+v\nlog: %q", text, cmds, log)
}

func TestInfoFencesWhatTheRunnerWouldRun(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"ideographic space":     "\u3000::error::x",
		"no-break space":        "\u00a0::add-mask::x",
		"ogham space":           "\u1680::warning::x",
		"en quad .. hair space": "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a::error::x",
		"line separator":        "ok\u2028::error::x",
		"paragraph separator":   "\u2029::error::x",
		"narrow nbsp":           "\u202f::error::x",
		"math space":            "\u205f::error::x",
		"next line":             "\u0085::error::x",
		"lone CR splits lines":  "title\r::add-mask::x",
		"vertical tab":          "\v::error::x",
		"soft hyphen":           "\u00ad::error::x",
		"zero width space":      "\u200b::error::x",
		"byte order mark":       "\ufeff::stop-commands::abc",
		"colon split by ZWJ":    ":\u200d:error::x",
		"upper-case name":       "::ERROR::x",
		"stop-commands":         "::stop-commands::pwn\n::error::swallowed",
		"legacy anywhere":       "text ##[error]x",
		"legacy with ZWSP":      "#\u200b#[error]x",
		"deployment text":       "Deployed\n\u3000::add-mask::Deployed",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			r, buf, _ := newRunner(t, true)
			r.Info(text)
			r.Error("after")
			log := buf.String()
			onlyFenceThen(t, text, log)
		})
	}
}

// onlyFenceThen checks the fence and that the runner still reads the
// action's own error annotation written after it.
func onlyFenceThen(t *testing.T, text, log string) {
	t.Helper()
	i := strings.LastIndex(log, "::error::after")
	if i < 0 {
		t.Fatalf("no annotation in %q", log)
	}
	onlyFence(t, text, log[:i])
	cmds := runnertest.Commands(log)
	if len(cmds) == 0 || cmds[len(cmds)-1].Name != "error" {
		t.Errorf("Info(%q) swallowed the action's own ::error:: (%+v)", text, cmds)
	}
}

// TestResumeTokenAvoidsEverySpelling: the runner resumes on the token in
// any case, so the token must not occur in the text in any case, or split
// by characters the runner's comparison skips.
func TestResumeTokenAvoidsEverySpelling(t *testing.T) {
	t.Parallel()
	text := "::error::x\n::STOP_00000000000000000000000000000000::\n::stop_\u00ad00000000000000000000000000000001::"
	zeros := &repeatReader{seq: [][]byte{make([]byte, 16), append(make([]byte, 15), 1), append(make([]byte, 15), 2)}}
	var buf strings.Builder
	r := New(&buf, nil, func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }, zeros)
	r.Info(text)
	if !strings.HasPrefix(buf.String(), "::stop-commands::stop_00000000000000000000000000000002\n") {
		t.Errorf("token not chosen around the text's spellings: %q", buf.String())
	}
	onlyFence(t, text, buf.String())
}

type repeatReader struct {
	seq [][]byte
	i   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.seq[min(r.i, len(r.seq)-1)])
	r.i++
	return n, nil
}

func FuzzInfoFence(f *testing.F) {
	for _, s := range []string{"::error::x", "\u3000::add-mask::x", "a\r::warning::b", "##[error]", "\u00ad::x::", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var buf strings.Builder
		r := New(&buf, nil, func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }, nil)
		r.Info(text)
		r.Error("after")
		onlyFenceThen(t, text, buf.String())
	})
}

func TestAnnotationsAreRedactedThenCut(t *testing.T) {
	t.Parallel()
	r, buf, _ := newRunner(t, true)
	secret := "s3cr3t-t0ken-value"
	r.Mask(secret)
	buf.Reset()
	// The secret straddles the cut: cutting first would leave its start.
	long := strings.Repeat("x", maxAnnotation-5) + secret + ` and quoted "s3cr3t-t0ken-value\n"`
	r.Warning(long)
	r.Error("line one\u2028::error::two")
	log := buf.String()
	if strings.Contains(log, "s3cr3t") {
		t.Errorf("part of the secret leaked: %q", log[len(log)-200:])
	}
	if n := len(strings.SplitN(log, "\n", 2)[0]); n > maxAnnotation+100 {
		t.Errorf("annotation is %d bytes", n)
	}
	if cmds := runnertest.Commands(log); len(cmds) != 2 {
		t.Errorf("commands %+v", cmds)
	}
}
