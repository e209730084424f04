// Command bench-e2e compares one notification by the chatwork-notify binary
// with the same POST made by curl, against the project's fake Chatwork
// served over HTTPS on loopback with a throwaway certificate from openssl.
// It alternates the two, N times each, and prints the median wall times,
// their ratio (binary/curl) and the peak resident memory of each.
//
// Run it with scripts/bench-e2e (needs Go, curl and openssl).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

const token = "bench0123456789abcdef0123456789ab"

// cleanup is the chatworktest.TB a program can give.
type cleanup struct{ funcs []func() }

func (c *cleanup) Helper()          {}
func (c *cleanup) Cleanup(f func()) { c.funcs = append(c.funcs, f) }
func (c *cleanup) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench-e2e: "+format+"\n", args...)
}
func (c *cleanup) run() {
	for i := len(c.funcs) - 1; i >= 0; i-- {
		c.funcs[i]()
	}
}

// sample is one timed run.
type sample struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

func main() {
	n := flag.Int("n", 30, "runs of each command")
	root := flag.String("root", ".", "the project's root directory")
	flag.Parse()
	if err := run(os.Stdout, *root, *n); err != nil {
		fmt.Fprintln(os.Stderr, "bench-e2e:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, root string, n int) error {
	for _, tool := range []string{"curl", "openssl", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed: %w", tool, err)
		}
	}
	dir, err := os.MkdirTemp("", "bench-e2e")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
		"-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1",
		"-addext", "subjectAltName=IP:127.0.0.1").CombinedOutput(); err != nil {
		return fmt.Errorf("openssl: %w\n%s", err, out)
	}
	bin := filepath.Join(dir, "chatwork-notify")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	var c cleanup
	defer c.run()
	srv := chatworktest.NewTLSWithCert(&c, cert)
	srv.AccountLimit, srv.RoomLimit = 1<<30, 1<<30
	srv.AddToken(token, 1, "bench")
	srv.AddRoom(1, 1)

	emptyDir := filepath.Join(dir, "no-certs")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		return err
	}
	event, err := filepath.Abs(filepath.Join(root, "testdata/events/push.new-branch.json"))
	if err != nil {
		return err
	}
	// The binary renders the built-in push message; curl posts that text.
	body, err := dryRun(bin, event)
	if err != nil {
		return err
	}
	notify := func() *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Env = []string{
			"GITHUB_ACTIONS=true", "INPUT_TOKEN=" + token, "INPUT_ROOM=1",
			"INPUT_API-URL=" + srv.URL + "/v2", "INPUT_STATUS=success",
			// Trust exactly the throwaway certificate, as curl --cacert does
			// (and as the image does with its one CA bundle): without
			// SSL_CERT_DIR, Go would also scan /etc/ssl/certs.
			"SSL_CERT_FILE=" + certFile, "SSL_CERT_DIR=" + emptyDir,
			"GITHUB_EVENT_NAME=push", "GITHUB_EVENT_PATH=" + event, "GITHUB_REPOSITORY=octo-org/octo-repo",
			"GITHUB_RUN_ID=1", "GITHUB_OUTPUT=" + filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "summary"),
		}
		return cmd
	}
	curl := func() *exec.Cmd {
		return exec.Command("curl", "-sS", "-f", "-o", os.DevNull, "--cacert", certFile,
			"-H", "X-ChatWorkToken: "+token, "--data-urlencode", "body="+body, "--data", "self_unread=0",
			srv.URL+"/v2/rooms/1/messages")
	}

	var bins, curls []sample
	for i := 0; i < n; i++ {
		order := []bool{i%2 == 0, i%2 != 0}
		for _, binFirst := range order {
			if binFirst {
				s, err := measure(notify())
				if err != nil {
					return fmt.Errorf("chatwork-notify: %w", err)
				}
				bins = append(bins, s)
			} else {
				s, err := measure(curl())
				if err != nil {
					return fmt.Errorf("curl: %w", err)
				}
				curls = append(curls, s)
			}
		}
	}
	if got := len(srv.Messages(1)); got != 2*n {
		return fmt.Errorf("the fake server stored %d messages, want %d", got, 2*n)
	}
	mb, mc := median(bins), median(curls)
	fmt.Fprintf(w, "bench-e2e: %d runs each, HTTPS POST to a fake Chatwork on loopback (%s/%s)\n", n, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "chatwork-notify  median %7.2f ms  peak RSS %6.1f MiB\n", ms(mb), float64(peak(bins))/1024)
	fmt.Fprintf(w, "curl             median %7.2f ms  peak RSS %6.1f MiB\n", ms(mc), float64(peak(curls))/1024)
	fmt.Fprintf(w, "ratio binary/curl: %.2fx\n", float64(mb)/float64(mc))
	return nil
}

// dryRun returns the message the binary would post.
func dryRun(bin, event string) (string, error) {
	dir, err := os.MkdirTemp("", "bench-dry")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(bin, "--dry-run", "--status", "success")
	out := filepath.Join(dir, "out")
	cmd.Env = []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=push", "GITHUB_EVENT_PATH=" + event,
		"GITHUB_REPOSITORY=octo-org/octo-repo", "GITHUB_RUN_ID=1", "GITHUB_OUTPUT=" + out}
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("dry run: %w\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return "", err
	}
	// body<<DELIM\n…\nDELIM
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if delim, ok := strings.CutPrefix(l, "body<<"); ok {
			for j := i + 1; j < len(lines); j++ {
				if lines[j] == delim {
					return strings.Join(lines[i+1:j], "\n"), nil
				}
			}
		}
	}
	return "", fmt.Errorf("no body output in %q", b)
}

// measure runs cmd and returns its wall time and peak resident memory. The
// peak is sampled from /proc/PID/status (VmHWM) while it runs: the
// rusage maxrss of a child started from this (large) process counts this
// process's memory too, because the kernel carries the high-water mark
// across the vfork+exec that os/exec uses.
func measure(cmd *exec.Cmd) (sample, error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	done := make(chan struct{})
	peakKiB := make(chan int64, 1)
	go func() {
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		var hwm int64
		for {
			if v := vmHWM(status); v > hwm {
				hwm = v
			}
			select {
			case <-done:
				peakKiB <- hwm
				return
			default:
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	rss := <-peakKiB
	if err != nil {
		return sample{}, fmt.Errorf("%w\n%s", err, out.String())
	}
	if rss == 0 && runtime.GOOS != "linux" {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = int64(ru.Maxrss)
		}
	}
	return sample{wall: wall, maxRSS: rss}, nil
}

// vmHWM reads the VmHWM line (KiB) of a /proc status file; 0 when gone.
func vmHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func median(s []sample) time.Duration {
	w := make([]time.Duration, len(s))
	for i, x := range s {
		w[i] = x.wall
	}
	slices.Sort(w)
	if len(w)%2 == 1 {
		return w[len(w)/2]
	}
	return (w[len(w)/2-1] + w[len(w)/2]) / 2
}

func peak(s []sample) int64 {
	var p int64
	for _, x := range s {
		p = max(p, x.maxRSS)
	}
	return p
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
