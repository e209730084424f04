package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// release is a fake GitHub release in a directory: every asset the release
// workflow publishes, and its checksums.txt. The linux/amd64 asset is the
// real static binary (version "test"), the others stand-ins.
type release struct {
	dir       string
	version   string
	checksums string // the text of checksums.txt
}

func fakeRelease(t *testing.T, version string) release {
	t.Helper()
	dir := t.TempDir()
	var sums strings.Builder
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, arch := range []string{"amd64", "arm64"} {
			name := fmt.Sprintf("chatwork-notify_%s_%s_%s", version, goos, arch)
			if goos == "windows" {
				name += ".exe"
			}
			body := []byte("stand-in for " + name + "\n")
			if goos == "linux" && arch == "amd64" && runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
				var err error
				if body, err = os.ReadFile(staticBinary(t)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(body)
			fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "checksums.txt"), []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return release{dir: dir, version: version, checksums: sums.String()}
}

// toolDir is a PATH of links to the named commands only, to run install.sh
// as on a machine that has just those (macOS has shasum, not sha256sum).
func toolDir(t *testing.T, tools ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range tools {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("no %s here", tool)
		}
		if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var installTools = []string{"sh", "uname", "sed", "head", "awk", "mktemp", "rm", "mkdir", "chmod", "mv", "cut", "curl", "cat"}

// runInstall runs install.sh with env (and nothing else from the process
// environment) and returns its exit error and stderr.
func runInstall(t *testing.T, path string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(filepath.Join(path, "sh"), append([]string{"install.sh"}, args...)...)
	cmd.Env = []string{"PATH=" + path, "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestInstallScript runs install.sh as the README's one-line install and
// as the composite action (binary/action.yml) run it, for every runner OS
// and CPU, against a release in a directory (file: URLs, as
// CHATWORK_NOTIFY_DOWNLOAD_URL allows for mirrors).
func TestInstallScript(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("install.sh runs under sh")
	}
	rel := fakeRelease(t, "v1.2.3")
	base := "file://" + rel.dir
	withSHA256 := toolDir(t, append(installTools, "sha256sum")...)
	withShasum := toolDir(t, append(installTools, "shasum")...)
	committed := filepath.Join(t.TempDir(), "checksums.txt") // as the release commit has it
	if err := os.WriteFile(committed, []byte(rel.checksums), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("linux from the release's checksums", func(t *testing.T) {
		bindir := t.TempDir()
		out, err := runInstall(t, withSHA256, map[string]string{
			"CHATWORK_NOTIFY_DOWNLOAD_URL": base, "CHATWORK_NOTIFY_BINDIR": bindir,
			"CHATWORK_NOTIFY_OS": "Linux", "CHATWORK_NOTIFY_ARCH": "x86_64",
		}, "v1.2.3")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		bin := filepath.Join(bindir, "chatwork-notify")
		if !strings.Contains(out, "installed chatwork-notify v1.2.3 at "+bin) || !strings.Contains(out, "add "+bindir+" to PATH") {
			t.Errorf("log:\n%s", out)
		}
		if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
			v, err := exec.Command(bin, "--version").Output()
			if err != nil || string(v) != "chatwork-notify test\n" {
				t.Errorf("installed binary says %q, %v", v, err)
			}
		}
	})

	// The composite action's route: runner.os and runner.arch words, the
	// checksums committed in the release, the tool cache, a step output.
	for _, tc := range []struct {
		os, arch, path string
		tools          string
	}{
		{"Linux", "X64", "chatwork-notify/1.2.3/amd64/chatwork-notify", withSHA256},
		{"Linux", "ARM64", "chatwork-notify/1.2.3/arm64/chatwork-notify", withSHA256},
		{"macOS", "ARM64", "chatwork-notify/1.2.3/arm64/chatwork-notify", withShasum},
		{"macOS", "X64", "chatwork-notify/1.2.3/amd64/chatwork-notify", withShasum},
		{"Windows", "X64", "chatwork-notify/1.2.3/amd64/chatwork-notify.exe", withSHA256},
		{"Windows", "ARM64", "chatwork-notify/1.2.3/arm64/chatwork-notify.exe", withSHA256},
	} {
		t.Run("action on "+tc.os+" "+tc.arch, func(t *testing.T) {
			cache, output := t.TempDir(), filepath.Join(t.TempDir(), "output")
			env := map[string]string{
				"CHATWORK_NOTIFY_DOWNLOAD_URL": base, "CHATWORK_NOTIFY_CHECKSUMS": committed,
				"CHATWORK_NOTIFY_OS": tc.os, "CHATWORK_NOTIFY_ARCH": tc.arch,
				"CHATWORK_NOTIFY_TOOL_CACHE": cache, "GITHUB_OUTPUT": output,
			}
			out, err := runInstall(t, tc.tools, env)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			bin := filepath.Join(cache, tc.path)
			got, err := os.ReadFile(bin)
			if err != nil {
				t.Fatalf("not installed at %s: %v\n%s", bin, err, out)
			}
			if st, _ := os.Stat(bin); st.Mode()&0o111 == 0 {
				t.Errorf("%s is not executable", bin)
			}
			if _, err := os.Stat(filepath.Dir(bin) + ".complete"); err != nil {
				t.Errorf("no tool-cache marker: %v", err)
			}
			if b, _ := os.ReadFile(output); string(b) != "path="+bin+"\n" {
				t.Errorf("step output %q", b)
			}
			if tc.os != "Linux" && !strings.HasPrefix(string(got), "stand-in for chatwork-notify_v1.2.3_") {
				t.Errorf("installed %q", got)
			}
			// A second job on the same runner finds it in the tool cache
			// (checked again) and downloads nothing.
			env["CHATWORK_NOTIFY_DOWNLOAD_URL"] = "file:///nonexistent"
			if out, err := runInstall(t, tc.tools, env); err != nil || !strings.Contains(out, "already installed") {
				t.Errorf("second run: %v\n%s", err, out)
			}
		})
	}

	t.Run("refusals", func(t *testing.T) {
		tampered := t.TempDir()
		for _, e := range mustReadDir(t, rel.dir) {
			b, _ := os.ReadFile(filepath.Join(rel.dir, e))
			if strings.Contains(e, "linux_amd64") {
				b = append(b, "tampered"...)
			}
			os.WriteFile(filepath.Join(tampered, e), b, 0o644)
		}
		for _, tc := range []struct {
			name string
			env  map[string]string
			args []string
			want string
		}{
			{"checksum mismatch", map[string]string{"CHATWORK_NOTIFY_DOWNLOAD_URL": "file://" + tampered, "CHATWORK_NOTIFY_CHECKSUMS": committed},
				nil, "checksum mismatch for chatwork-notify_v1.2.3_linux_amd64"},
			{"not a release commit", map[string]string{"CHATWORK_NOTIFY_CHECKSUMS": "/nonexistent/checksums.txt"},
				nil, "this commit is not a release"},
			{"unsafe version", map[string]string{"CHATWORK_NOTIFY_DOWNLOAD_URL": base}, []string{"v1.2.3/../../x"}, "is not a release version"},
			{"no such CPU", map[string]string{"CHATWORK_NOTIFY_ARCH": "X86"}, []string{"v1.2.3"}, "no release binary for the CPU X86"},
			{"no such OS", map[string]string{"CHATWORK_NOTIFY_OS": "Plan9"}, []string{"v1.2.3"}, "no release binary for the operating system Plan9"},
			{"asset not listed", map[string]string{"CHATWORK_NOTIFY_DOWNLOAD_URL": base}, []string{"v9.9.9"}, "not listed"},
			// A download that fails says once what failed and what to do.
			{"download fails", map[string]string{"CHATWORK_NOTIFY_DOWNLOAD_URL": "file:///nonexistent/mirror"}, []string{"v1.2.3"},
				"could not download file:///nonexistent/mirror/checksums.txt"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				bindir := t.TempDir()
				env := map[string]string{"CHATWORK_NOTIFY_BINDIR": bindir, "CHATWORK_NOTIFY_OS": "Linux", "CHATWORK_NOTIFY_ARCH": "X64"}
				for k, v := range tc.env {
					env[k] = v
				}
				out, err := runInstall(t, withSHA256, env, tc.args...)
				if err == nil || !strings.Contains(out, tc.want) {
					t.Errorf("err %v, want a failure saying %q:\n%s", err, tc.want, out)
				}
				if tc.name == "download fails" && (!strings.Contains(out, "CHATWORK_NOTIFY_DOWNLOAD_URL") || !strings.Contains(out, "HTTPS_PROXY") || strings.Count(out, "curl:") > 1) {
					t.Errorf("the failure does not say what to do once:\n%s", out)
				}
				if left := mustReadDir(t, bindir); len(left) > 0 {
					t.Errorf("installed %v anyway", left)
				}
			})
		}
	})
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
