package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
)

// The container tests need a Docker engine, act and base images, which
// scripts/container-test installs, starts and makes (it is part of
// .ci/run). Plain go test skips them, saying so.

// maxImageBytes is the image budget (uncompressed, so the pushed image is
// smaller still).
const maxImageBytes = 15_000_000

// containerTools returns act and the job image, or skips the test when
// scripts/container-test did not start it.
func containerTools(t *testing.T) (act, jobImage string) {
	t.Helper()
	if os.Getenv("CHATWORK_NOTIFY_CONTAINER_TEST") == "" {
		t.Skip("skipped: the container tests (image build, workflows under act) run from scripts/container-test, which installs and starts Docker and act")
	}
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Fatalf("no Docker engine: %v\n%s", err, out)
	}
	act, jobImage = os.Getenv("ACT"), os.Getenv("ACT_IMAGE")
	if act == "" || jobImage == "" {
		t.Fatal("ACT and ACT_IMAGE must name act and the job image")
	}
	return act, jobImage
}

func docker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestContainerImage builds the image from the real Dockerfile, checks its
// size and shape (root, nothing but the binary, the CA bundle and /tmp),
// and runs it as the runner would against the fake Chatwork.
func TestContainerImage(t *testing.T) {
	containerTools(t)
	const image = "chatwork-notify:container-test"
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", image).Run() })
	// As a runner builds it at "Set up job": no build arguments, no cache.
	start := time.Now()
	docker(t, "build", "-q", "--no-cache", "-t", image, ".")
	t.Logf("image build (no cache, as on a fresh runner): %s", time.Since(start).Round(100*time.Millisecond))

	var inspect []struct {
		Size   int64
		Config struct {
			User       string
			Entrypoint []string
		}
	}
	if err := json.Unmarshal([]byte(docker(t, "image", "inspect", image)), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("inspect: %v", err)
	}
	img := inspect[0]
	t.Logf("image size: %d bytes (budget %d)", img.Size, maxImageBytes)
	if img.Size > maxImageBytes {
		t.Errorf("the image is %d bytes, over the %d budget", img.Size, maxImageBytes)
	}
	if img.Config.User != "" && img.Config.User != "root" && img.Config.User != "0" {
		t.Errorf("the image runs as %q: container actions must run as root", img.Config.User)
	}
	if !slices.Equal(img.Config.Entrypoint, []string{"/chatwork-notify"}) {
		t.Errorf("entrypoint %q", img.Config.Entrypoint)
	}
	// Nothing but our three things; the rest is what Docker adds to any
	// container (so no shell: scratch, or distroless static).
	id := strings.TrimSpace(docker(t, "create", image))
	defer docker(t, "rm", id)
	files, err := exec.Command("sh", "-c", "docker export "+id+" | tar -t").Output()
	if err != nil {
		t.Fatalf("docker export | tar -t: %v", err)
	}
	dockerOwn := regexp.MustCompile(`^(\.dockerenv|dev/.*|proc/|sys/|etc/|etc/(hostname|hosts|mtab|resolv\.conf))$`)
	for _, f := range strings.Fields(string(files)) {
		switch {
		case dockerOwn.MatchString(f), slices.Contains([]string{"chatwork-notify", "etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca-certificates.crt", "tmp/"}, f):
		default:
			t.Errorf("the image holds %s: the final stage should hold only the binary, the CA bundle and /tmp", f)
		}
	}

	// Run it as the runner does: workspace, event and file commands
	// mounted, inputs in INPUT_*, the host network to reach the fake.
	srv := chatworktest.New(t)
	srv.AddToken("image-token-0123456789abcdef", 7, "CI Bot")
	srv.AddRoom(70, 7)
	dir := t.TempDir()
	for _, d := range []string{"workflow", "file_commands", "workspace"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	copyFile(t, "testdata/events/push.new-branch.json", filepath.Join(dir, "workflow", "event.json"), 0o644)
	out, err := exec.Command("docker", "run", "--rm", "--network", "host",
		"-v", dir+"/workflow:/github/workflow", "-v", dir+"/file_commands:/github/file_commands", "-v", dir+"/workspace:/github/workspace",
		"--workdir", "/github/workspace",
		"-e", "GITHUB_ACTIONS=true", "-e", "INPUT_TOKEN=image-token-0123456789abcdef", "-e", "INPUT_ROOM=70",
		"-e", "INPUT_API-URL="+srv.BaseURL(), "-e", "INPUT_STATUS=success",
		"-e", "GITHUB_EVENT_NAME=push", "-e", "GITHUB_EVENT_PATH=/github/workflow/event.json",
		"-e", "GITHUB_OUTPUT=/github/file_commands/output", "-e", "GITHUB_STEP_SUMMARY=/github/file_commands/summary",
		"-e", "GITHUB_REPOSITORY=octo-org/octo-repo", "-e", "GITHUB_RUN_ID=1",
		image).CombinedOutput()
	if err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
	if msgs := srv.Messages(70); len(msgs) != 1 {
		t.Errorf("%d messages posted", len(msgs))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "file_commands", "output")); err != nil || !strings.Contains(string(b), "message-id<<") {
		t.Errorf("outputs %q, %v", b, err)
	}
	// The runner takes ::add-mask:: lines in and never shows them; any
	// other line with the token would be shown.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "image-token-0123456789abcdef") && !strings.HasPrefix(line, "::add-mask::") {
			t.Errorf("token in the log: %q", line)
		}
	}
}

// TestContainerAskCancelled runs the image in mode: ask as the runner
// would and stops it the way a cancelled run does (SIGTERM to the
// container): within seconds the step ends with exit status 1 and the
// question in the room says the run was cancelled.
func TestContainerAskCancelled(t *testing.T) {
	containerTools(t)
	const image = "chatwork-notify:ask-test"
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", image).Run() })
	docker(t, "build", "-q", "-t", image, ".")
	srv := chatworktest.New(t)
	srv.AddToken("ask-token-0123456789abcdef", 7, "CI Bot")
	srv.AddRoom(71, 7, 8)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "file_commands"), 0o755)
	id := strings.TrimSpace(docker(t, "run", "-d", "--network", "host",
		"-v", dir+"/file_commands:/github/file_commands",
		"-e", "GITHUB_ACTIONS=true", "-e", "INPUT_TOKEN=ask-token-0123456789abcdef", "-e", "INPUT_ROOM=71",
		"-e", "INPUT_API-URL="+srv.BaseURL(), "-e", "INPUT_MODE=ask", "-e", "INPUT_APPROVERS=8", "-e", "INPUT_ASK-TIMEOUT=10m",
		"-e", "INPUT_TEMPLATE=deploy?", "-e", "GITHUB_OUTPUT=/github/file_commands/output",
		"-e", "GITHUB_REPOSITORY=octo-org/octo-repo", "-e", "GITHUB_RUN_ID=1", image))
	defer exec.Command("docker", "rm", "-f", id).Run()
	for deadline := time.Now().Add(30 * time.Second); srv.Reads(71) == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the question was not posted and read within 30 s:\n%s", docker(t, "logs", id))
		}
	}
	start := time.Now()
	docker(t, "kill", "--signal", "TERM", id)
	code := strings.TrimSpace(docker(t, "wait", id))
	took := time.Since(start)
	t.Logf("SIGTERM to exit: %s", took.Round(10*time.Millisecond))
	if code != "1" || took > 10*time.Second {
		t.Errorf("exit status %s after %s, want 1 within 10 s\n%s", code, took, docker(t, "logs", id))
	}
	if msgs := srv.Messages(71); len(msgs) != 1 || !strings.Contains(msgs[0].Body, "cancelled") {
		t.Errorf("the question does not say it was cancelled: %+v", msgs)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "file_commands", "output")); !strings.Contains(string(b), "\ncancelled\n") {
		t.Errorf("outputs %q", b)
	}
}

// actRun is one workflow job run under act.
type actRun struct {
	log   string
	steps map[string]time.Duration // step name → time, for the steps that succeeded
}

// actWorkspace is a copy of the checkout (what git tracks, and new files
// it does not ignore) as a release commit would have it: binary/checksums.txt
// lists a fake release in .release/ (this platform's static binary, so the
// composite action's download and checksum check run for real).
func actWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	list, err := exec.Command("git", "ls-files", "-z", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		st, err := os.Lstat(f)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree, or not a file
		}
		os.MkdirAll(filepath.Join(ws, filepath.Dir(f)), 0o755)
		copyFile(t, f, filepath.Join(ws, f), st.Mode().Perm())
	}
	const version = "v0.0.0-act"
	asset := fmt.Sprintf("chatwork-notify_%s_linux_%s", version, runtime.GOARCH)
	rel := filepath.Join(ws, ".release")
	os.MkdirAll(rel, 0o755)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+version, "-o", filepath.Join(rel, asset), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(filepath.Join(rel, asset))
	sum := sha256.Sum256(b)
	line := hex.EncodeToString(sum[:]) + "  " + asset + "\n"
	for _, f := range []string{filepath.Join(rel, "checksums.txt"), filepath.Join(ws, "binary", "checksums.txt")} {
		if err := os.WriteFile(f, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = ws
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "release commit for act")
	return ws
}

var actStep = regexp.MustCompile(`✅  Success - Main (.+?) \[([0-9a-zµ.]+)\]`)

// runAct runs one job of a workflow under act in ws with env as act's
// --env, and fails the test when act fails.
func runAct(t *testing.T, act, jobImage, ws, workflow, job string, env map[string]string) actRun {
	t.Helper()
	args := []string{"push", "-W", workflow, "-j", job, "-e", "testdata/events/push.new-branch.json",
		"-P", "ubuntu-latest=" + jobImage, "--pull=false", "--actor", "octocat"}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		args = append(args, "--env", k+"="+env[k])
	}
	cmd := exec.Command(act, args...)
	cmd.Dir = ws
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	run := actRun{log: out.String(), steps: map[string]time.Duration{}}
	if err != nil {
		t.Fatalf("act %s -j %s: %v\n%s", workflow, job, err, run.log)
	}
	for _, m := range actStep.FindAllStringSubmatch(run.log, -1) {
		if d, err := time.ParseDuration(m[2]); err == nil {
			run.steps[m[1]] = d
		}
	}
	return run
}

// outputsSeen returns the outputs a later step saw (check-outputs.sh
// prints them).
func outputsSeen(t *testing.T, run actRun) map[string]string {
	t.Helper()
	_, after, ok := strings.Cut(run.log, "outputs-json: ")
	if !ok {
		t.Fatalf("no outputs line in the log:\n%s", run.log)
	}
	line, _, _ := strings.Cut(after, "\n")
	var outs map[string]string
	if err := json.Unmarshal([]byte(line), &outs); err != nil {
		t.Fatalf("outputs %q: %v", line, err)
	}
	return outs
}

// TestContainerUnderAct runs the action's workflows under nektos/act with
// the checkout's action.yml and binary/action.yml: the self-test workflow
// (a dry run whose outputs a later step checks), a real post through the
// container to the fake Chatwork on loopback followed by a re-run with
// dedupe that posts nothing, the same through the composite action and
// the release binary, and a refused token whose step fails without the
// token showing anywhere in the log.
func TestContainerUnderAct(t *testing.T) {
	act, jobImage := containerTools(t)
	ws := actWorkspace(t)
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", "act-dockeraction:latest").Run() })
	const (
		token    = "act-token-0123456789abcdef0123"
		badToken = "act-refused-token-9876543210fedcba"
		account  = int64(4242001)
	)
	srv := chatworktest.New(t)
	srv.AddToken(token, account, "CI Bot")
	srv.AddRoom(101, account)
	srv.AddRoom(102, account)
	env := func(room int64, expect string) map[string]string {
		return map[string]string{
			"CW_API": srv.BaseURL(), "CW_ROOM": strconv.FormatInt(room, 10), "CW_TOKEN": token,
			"CW_BAD_TOKEN": badToken, "CW_TASK_TO": strconv.FormatInt(account, 10), "EXPECT": expect,
			"CHATWORK_NOTIFY_DOWNLOAD_URL": "file://" + filepath.Join(ws, ".release"),
		}
	}
	var runs []actRun
	check := func(name string, run actRun, want ...string) {
		t.Helper()
		runs = append(runs, run)
		for _, w := range want {
			if !strings.Contains(run.log, w) {
				t.Errorf("%s: the log lacks %q:\n%s", name, w, run.log)
			}
		}
	}

	var times []string
	for _, route := range []struct {
		job  string
		room int64
	}{{"container", 101}, {"binary", 102}} {
		first := runAct(t, act, jobImage, ws, "testdata/act/notify.yml", route.job, env(route.room, "posted"))
		check(route.job+" post", first, "outputs look right (posted)")
		var names []string
		for _, o := range config.Outputs {
			names = append(names, o.Name)
		}
		got := outputsSeen(t, first)
		for _, n := range names {
			if _, ok := got[n]; !ok {
				t.Errorf("%s: a later step does not see output %s (saw %v)", route.job, n, got)
			}
		}
		again := runAct(t, act, jobImage, ws, "testdata/act/notify.yml", route.job, env(route.room, "duplicate"))
		check(route.job+" re-run", again, "outputs look right (duplicate)")
		if msgs := srv.Messages(route.room); len(msgs) != 1 {
			t.Errorf("%s: %d messages in the room after a run and a re-run with dedupe, want 1", route.job, len(msgs))
		}
		if outputsSeen(t, again)["message-id"] != got["message-id"] {
			t.Errorf("%s: the re-run reports message %s, the first run %s", route.job, outputsSeen(t, again)["message-id"], got["message-id"])
		}
		times = append(times, fmt.Sprintf("%s route, step time: first run %s, re-run %s", route.job, first.steps["Notify"], again.steps["Notify"]))
	}
	selfTest := runAct(t, act, jobImage, ws, ".github/workflows/self-test.yml", "dry-run", nil)
	check("self-test", selfTest, "outputs look right")

	if tasks := srv.Tasks(101); len(tasks) != 1 {
		t.Errorf("%d tasks in the container route's room, want 1", len(tasks))
	}

	// mode: ask under act: an approver answers the question by reply; the
	// next job step sees answer: approved.
	srv.AddRoom(103, account, 8)
	srv.OnRead(103, func(n int) {
		if msgs := srv.Messages(103); n == 1 && len(msgs) == 1 {
			srv.PostAs(103, 8, "Sato Taro", fmt.Sprintf("[rp aid=%d to=103-%s]CI Bot\nOK, go ahead", account, msgs[0].ID))
		}
	})
	askEnv := env(103, "")
	askEnv["CW_APPROVER"] = "8"
	ask := runAct(t, act, jobImage, ws, "testdata/act/notify.yml", "ask", askEnv)
	check("ask", ask, "answer: approved by 8 (OK, go ahead)")

	failure := runAct(t, act, jobImage, ws, "testdata/act/notify.yml", "failure", env(101, "failed"))
	check("failure", failure, "401", "Invalid API token", "outputs look right (failed)")

	for i, run := range runs {
		for _, secret := range []string{token, badToken} {
			if strings.Contains(run.log, secret) {
				t.Errorf("run %d: a token is in the runner's log:\n%s", i, run.log)
			}
		}
	}
	for _, l := range times {
		t.Log(l)
	}
	t.Logf("self-test dry run: %s (step time)", selfTest.steps["Notify (dry run)"])
}
