package main

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

// dockerfile is the parsed Dockerfile: instructions per stage.
type stage struct {
	from  string
	instr []string // "RUN …", "COPY …", with continuation lines joined
}

func parseDockerfile(t *testing.T) []stage {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var stages []stage
	var cur string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || line == "" && cur == "" {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		cur += line
		if cur == "" {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(cur), "FROM ") {
			stages = append(stages, stage{from: strings.Fields(cur)[1]})
		} else if len(stages) > 0 {
			stages[len(stages)-1].instr = append(stages[len(stages)-1].instr, cur)
		}
		cur = ""
	}
	return stages
}

// TestDockerfile checks what the runner needs of the image: a multi-stage
// static build and a final stage that runs as root with CA certificates,
// a writable /tmp and an exec-form ENTRYPOINT.
func TestDockerfile(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a multi-stage build", len(stages))
	}
	build := strings.Join(stages[0].instr, "\n")
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-s -w", "go build"} {
		if !strings.Contains(build, want) {
			t.Errorf("build stage lacks %q", want)
		}
	}
	final := stages[len(stages)-1]
	if final.from != "scratch" && (!strings.HasPrefix(final.from, "gcr.io/distroless/static") || strings.Contains(final.from, "nonroot")) {
		t.Errorf("final stage FROM %s: want scratch or distroless static (root)", final.from)
	}
	all := strings.Join(final.instr, "\n")
	var entry string
	for _, in := range final.instr {
		word := strings.ToUpper(strings.Fields(in)[0])
		switch word {
		case "USER":
			t.Errorf("final stage sets %q: container actions must run as root", in)
		case "ENTRYPOINT":
			entry = strings.TrimSpace(in[len("ENTRYPOINT"):])
		}
	}
	var argv []string
	if err := json.Unmarshal([]byte(entry), &argv); err != nil || len(argv) == 0 {
		t.Errorf("ENTRYPOINT %q is not exec form (a JSON array): with no shell in the image the shell form cannot run", entry)
	}
	for _, want := range []string{"/etc/ssl/certs/ca-certificates.crt", "/tmp"} {
		if !strings.Contains(all, want) {
			t.Errorf("final stage does not provide %s", want)
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// staticBinary builds the program the way the Dockerfile does.
func staticBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chatwork-notify-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "chatwork-notify")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=test", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

func TestBinaryIsStatic(t *testing.T) {
	t.Parallel()
	f, err := elf.Open(staticBinary(t))
	if err != nil {
		t.Skipf("not an ELF platform: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("binary asks for a dynamic loader")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary needs shared libraries %v", libs)
	}
	if st, _ := os.Stat(binPath); st != nil {
		t.Logf("static binary: %.2f MB", float64(st.Size())/1e6)
	}
}

// TestBinaryRunsInEmptyRoot runs the static binary in a root that holds
// only the binary, a CA bundle and an event file, and posts over HTTPS to a
// fake Chatwork whose certificate is the only one in that bundle: the
// binary needs nothing else from the image.
func TestBinaryRunsInEmptyRoot(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("chroot test is Linux-only")
	}
	chroot, err := exec.LookPath("chroot")
	if err != nil {
		t.Skip("no chroot command")
	}
	srv := chatworktest.NewTLS(t)
	srv.AddToken("tok-in-empty-root-0123", 1, "bot")
	srv.AddRoom(77, 1)

	root := t.TempDir()
	for _, d := range []string{"etc/ssl/certs", "tmp", "github/workflow", "github/file_commands"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, staticBinary(t), filepath.Join(root, "chatwork-notify"), 0o755)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt"), ca, 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile(t, "testdata/events/push.new-branch.json", filepath.Join(root, "github/workflow/event.json"), 0o644)

	// The certificate is for 127.0.0.1; api-url is https.
	argv := []string{chroot, root, "/chatwork-notify"}
	if os.Geteuid() != 0 {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("not root and no unshare")
		}
		argv = append([]string{unshare, "-r"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{
		"GITHUB_ACTIONS=true",
		"INPUT_TOKEN=tok-in-empty-root-0123",
		"INPUT_ROOM=77",
		"INPUT_STATUS=success",
		"INPUT_API-URL=" + srv.URL + "/v2",
		"GITHUB_EVENT_NAME=push",
		"GITHUB_EVENT_PATH=/github/workflow/event.json",
		"GITHUB_OUTPUT=/github/file_commands/output",
		"GITHUB_STEP_SUMMARY=/github/file_commands/summary",
		"GITHUB_REPOSITORY=octo-org/octo-repo",
		"GITHUB_RUN_ID=1",
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if strings.Contains(out.String(), "Operation not permitted") || strings.Contains(out.String(), "cannot") && !strings.Contains(out.String(), "Chatwork") {
			t.Skipf("chroot not permitted here: %v: %s", err, out.String())
		}
		t.Fatalf("binary failed in the empty root: %v\n%s", err, out.String())
	}
	if msgs := srv.Messages(77); len(msgs) != 1 {
		t.Fatalf("%d messages posted; log:\n%s", len(msgs), out.String())
	}
	b, err := os.ReadFile(filepath.Join(root, "github/file_commands/output"))
	if err != nil || !strings.Contains(string(b), "message-id<<") {
		t.Errorf("outputs %q, %v", b, err)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

// TestBinaryExitStatus runs the built program as the runner would and
// checks the exit status of the main paths.
func TestBinaryExitStatus(t *testing.T) {
	t.Parallel()
	srv := chatworktest.New(t)
	srv.AddToken("good-token-0123456789", 1, "bot")
	srv.AddRoom(5, 1)
	tests := []struct {
		name string
		env  []string
		args []string
		want int
	}{
		{"posted", []string{"INPUT_TOKEN=good-token-0123456789", "INPUT_ROOM=5"}, nil, 0},
		{"help", nil, []string{"-h"}, 0},
		{"input error", []string{"INPUT_TOKEN=good-token-0123456789", "INPUT_ROOM=abc"}, nil, 1},
		{"chatwork error", []string{"INPUT_TOKEN=bad-token-0123456789", "INPUT_ROOM=5"}, nil, 1},
		{"chatwork error tolerated", []string{"INPUT_TOKEN=bad-token-0123456789", "INPUT_ROOM=5", "INPUT_FAIL-ON-ERROR=false"}, nil, 0},
		{"cli dry run", nil, []string{"--dry-run", "--event-name", "push", "--event-path", "testdata/events/push.new-branch.json"}, 0},
		{"nothing to report", nil, []string{"--dry-run"}, 1},
		{"version", nil, []string{"--version"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(staticBinary(t), tc.args...)
			cmd.Env = append([]string{"PATH=/usr/bin:/bin", "INPUT_API-URL=" + srv.URL + "/v2"}, tc.env...)
			if tc.env != nil {
				cmd.Env = append(cmd.Env, "INPUT_TEMPLATE=Nightly build {{.Status}}")
			}
			out, err := cmd.CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Errorf("exit %d, want %d\n%s", code, tc.want, out)
			}
			if strings.Contains(string(out), "0123456789") {
				t.Errorf("token printed:\n%s", out)
			}
		})
	}
}

// TestParallelJobsPostOnce starts several processes together, as a matrix
// of jobs would, all notifying the same room with dedupe. Their dedupe
// reads are held back so that every one of them sees an empty room and
// posts: exactly one message must remain, and every process exits 0.
func TestParallelJobsPostOnce(t *testing.T) {
	t.Parallel()
	const jobs = 5
	srv := chatworktest.New(t)
	srv.AddToken("matrix-token-0123456789", 1, "bot")
	srv.AddRoom(5, 1)
	srv.Inject(chatworktest.Fault{Method: "GET", Path: "/messages", Times: jobs, Barrier: chatworktest.NewBarrier(jobs)})
	bin := staticBinary(t)
	cmds := make([]*exec.Cmd, jobs)
	outs := make([]bytes.Buffer, jobs)
	for i := range cmds {
		cmd := exec.Command(bin)
		cmd.Env = []string{
			"GITHUB_ACTIONS=true", "INPUT_TOKEN=matrix-token-0123456789", "INPUT_ROOM=5",
			"INPUT_API-URL=" + srv.URL + "/v2", "INPUT_DEDUPE=true", "INPUT_STATUS=failure",
			"GITHUB_REPOSITORY=octo-org/octo-repo", "GITHUB_RUN_ID=77", "GITHUB_EVENT_NAME=push",
			"GITHUB_EVENT_PATH=testdata/events/push.new-branch.json",
		}
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		cmds[i] = cmd
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i].String())
		}
	}
	msgs := srv.Messages(5)
	if len(msgs) != 1 {
		t.Fatalf("%d messages remain, want 1", len(msgs))
	}
	posts, adopted := 0, 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	for i := range outs {
		if strings.Contains(outs[i].String(), "a parallel job posted the same message first") {
			adopted++
		}
	}
	if testing.Verbose() {
		for i := range outs {
			t.Logf("process %d:\n%s", i, outs[i].String())
		}
	}
	if posts < 2 || adopted != posts-1 {
		t.Errorf("%d posts, %d processes adopted an earlier message; want every post but the first undone", posts, adopted)
	}
}
