package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttachUploadsToEveryRoom: the files of attach follow the message
// into every room, each with its name, content and type; a file over 5 MB,
// a glob that matches nothing and a link out of the workspace are skipped
// with a warning naming them, and the message is posted all the same.
func TestAttachUploadsToEveryRoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "success").input("room", "123456, 654321").
		input("attach", "coverage/*.html\nshots/**/*.png\nbig.bin\nmissing/*.txt")
	h.srv.AddRoom(654321, testAccount)
	ws := h.env["GITHUB_WORKSPACE"]
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	for name, content := range map[string][]byte{
		"coverage/index.html":      []byte("<html>coverage</html>"),
		"shots/e2e/login/fail.png": png,
		"big.bin":                  bytes.Repeat([]byte("x"), 6<<20),
	} {
		p := filepath.Join(ws, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(filepath.Dir(ws), "outside.txt"), []byte("secret"), 0o644)
	os.Symlink(filepath.Join(filepath.Dir(ws), "outside.txt"), filepath.Join(ws, "coverage", "link.html"))
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, room := range []int64{testRoom, 654321} {
		files := h.srv.Files(room)
		if len(h.srv.Messages(room)) != 1 || len(files) != 2 {
			t.Fatalf("room %d: %d messages, files %+v", room, len(h.srv.Messages(room)), files)
		}
		if f := files[0]; f.Name != "index.html" || string(f.Content) != "<html>coverage</html>" || !strings.HasPrefix(f.Type, "text/html") {
			t.Errorf("room %d: first file %s %q %s", room, f.Name, f.Content, f.Type)
		}
		if f := files[1]; f.Name != "fail.png" || !bytes.Equal(f.Content, png) || f.Type != "image/png" {
			t.Errorf("room %d: second file %s (%d bytes) %s", room, f.Name, len(f.Content), f.Type)
		}
	}
	log := h.stdout.String()
	for _, want := range []string{"::warning::attach: big.bin", "6 MB", "missing/*.txt", "link.html"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "secret") {
		t.Errorf("a file outside the workspace was read:\n%s", log)
	}
}

// TestAttachRefusesAGlobOutsideTheWorkspace before any request.
func TestAttachRefusesAGlobOutsideTheWorkspace(t *testing.T) {
	t.Parallel()
	for _, glob := range []string{"../outside.txt", "/etc/passwd", "a/../../b"} {
		h := newHarness(t).input("attach", glob)
		err := h.run()
		if err == nil || !strings.Contains(h.stdout.String(), "::error::input attach:") || len(h.srv.Requests()) != 0 {
			t.Errorf("%s: %v, %d requests\n%s", glob, err, len(h.srv.Requests()), h.stdout.String())
		}
	}
}

// TestDebugLinesOnRequest: a run with debug logging (RUNNER_DEBUG=1) says
// what it read and sent — one ::debug:: line per request with method,
// path, status and time — and never a token or the message; without it
// there is no debug line.
func TestDebugLinesOnRequest(t *testing.T) {
	t.Parallel()
	for _, debug := range []string{"1", ""} {
		h := newHarness(t).input("status", "failure").input("template", "secret-body-text {{ .Repo }}").input("dedupe", "true")
		h.env["RUNNER_DEBUG"] = debug
		withGitHub(h).SetJobs(1658821493, ghJob("build", "completed", "failure", "r1", "make"))
		if err := h.run(); err != nil {
			t.Fatalf("%v\n%s", err, h.stdout.String())
		}
		var lines []string
		for _, l := range strings.Split(h.stdout.String(), "\n") {
			if strings.HasPrefix(l, "::debug::") {
				lines = append(lines, l)
			}
		}
		if debug == "" {
			if len(lines) != 0 {
				t.Errorf("debug lines without RUNNER_DEBUG: %q", lines)
			}
			continue
		}
		all := strings.Join(lines, "\n")
		for _, want := range []string{"POST ", "/v2/rooms/123456/messages → 200", "GET ", "/v2/rooms/123456/messages?force=1", "/actions/runs/1658821493/jobs", " ms)", "read: github", "composed with input template"} {
			if !strings.Contains(all, want) {
				t.Errorf("debug lines lack %q:\n%s", want, all)
			}
		}
		for _, secret := range []string{testToken, ghToken, "secret-body-text"} {
			if strings.Contains(all, secret) {
				t.Errorf("debug lines hold %q:\n%s", secret, all)
			}
		}
	}
}

// TestAttachRedactsSecrets: a workspace file holding the token (a debug
// dump) goes up with the token replaced, and a warning says so.
func TestAttachRedactsSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("attach", "dump.txt")
	if err := os.WriteFile(filepath.Join(h.env["GITHUB_WORKSPACE"], "dump.txt"), []byte("token="+testToken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	files := h.srv.Files(testRoom)
	if len(files) != 1 || string(files[0].Content) != "token=***\n" {
		t.Errorf("files %+v", files)
	}
	if !strings.Contains(h.stdout.String(), "::warning::attach: dump.txt holds a secret") {
		t.Errorf("log:\n%s", h.stdout.String())
	}
}
