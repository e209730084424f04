package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPinActionImage runs the release workflow's rewrite of action.yml on a
// copy and checks the result still parses with runs.image on the digest.
func TestPinActionImage(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	orig, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "action.yml")
	os.WriteFile(file, orig, 0o644)
	ref := "ghcr.io/chatwork-notify/chatwork-notify@sha256:" + strings.Repeat("ab", 32)
	if out, err := exec.Command("bash", "scripts/pin-action-image", ref, file).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b, _ := os.ReadFile(file)
	var a struct {
		Runs   map[string]string `yaml:"runs"`
		Inputs map[string]any    `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs["image"] != "docker://"+ref || a.Runs["using"] != "docker" || len(a.Inputs) < 10 {
		t.Errorf("runs %v", a.Runs)
	}
	if strings.Replace(string(b), "docker://"+ref, "Dockerfile", 1) != string(orig) {
		t.Error("the rewrite changed more than runs.image")
	}
	for _, bad := range []string{"ghcr.io/x/y:latest", "ghcr.io/x/y@sha256:abc", "ghcr.io/x/y@sha256:" + strings.Repeat("ab", 32) + "|rm"} {
		os.WriteFile(file, orig, 0o644)
		if err := exec.Command("bash", "scripts/pin-action-image", bad, file).Run(); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestImageBudget: the image holds the static binary and the CA bundle; the
// two together stay under 15 MB (uncompressed, so the pushed image is
// smaller still).
func TestImageBudget(t *testing.T) {
	t.Parallel()
	st, err := os.Stat(staticBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	total := st.Size()
	if ca, err := os.Stat("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		total += ca.Size()
	}
	t.Logf("binary %d bytes, image content %d bytes", st.Size(), total)
	if total > 15_000_000 {
		t.Errorf("image content %d bytes > 15 MB", total)
	}
}

// TestMajorTag: the release workflow moves the major tag only forward,
// to the highest stable release of that major, and never to a
// pre-release.
func TestMajorTag(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	existing := "v1.0.0\nv1.4.0\nv1.10.0-rc.1\nv2.0.0-rc.1\nv0.9.0\n"
	for _, tc := range []struct{ version, want string }{
		{"v1.4.1", "v1"},
		{"v1.10.0", "v1"}, // numeric order, not text order
		{"v1.3.9", ""},    // a backport after v1.4.0
		{"v1.4.0", "v1"},  // re-running the release of the highest
		{"v2.0.0-rc.1", ""},
		{"v2.0.0", "v2"},
		{"v3.0.0", "v3"},
	} {
		cmd := exec.Command("bash", "scripts/major-tag", tc.version)
		cmd.Stdin = strings.NewReader(existing)
		out, err := cmd.Output()
		if err != nil || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("major-tag %s = %q, %v; want %q", tc.version, out, err, tc.want)
		}
	}
	for _, bad := range []string{"1.2.3", "v1.2", "v1.2.3;rm -rf /", "latest"} {
		if err := exec.Command("bash", "scripts/major-tag", bad).Run(); err == nil {
			t.Errorf("major-tag accepted %q", bad)
		}
	}
}
