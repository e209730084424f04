package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// TestREADMEExamplesAreLinted: every workflow snippet in the README is part
// of a complete workflow under examples/, which .ci/run checks with
// actionlint.
func TestREADMEExamplesAreLinted(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("examples/*.yml")
	var examples []string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		examples = append(examples, dedent(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	checked := 0
	for _, m := range blocks {
		block := m[1]
		if !strings.Contains(block, "chatwork-notify/chatwork-notify") {
			continue
		}
		checked++
		found := false
		for _, ex := range examples {
			if containsLines(ex, dedent(block)) {
				found = true
			}
		}
		if !found {
			t.Errorf("README snippet is in no examples/*.yml file, so actionlint never sees it:\n%s", block)
		}
	}
	if checked < 5 {
		t.Errorf("only %d workflow snippets found in the README", checked)
	}
}

// dedent removes the common leading spaces of the non-blank lines.
func dedent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// containsLines reports whether the lines of part occur consecutively in
// whole, each compared after its own dedent against the same offset.
func containsLines(whole, part string) bool {
	w, p := strings.Split(whole, "\n"), strings.Split(part, "\n")
	for i := 0; i+len(p) <= len(w); i++ {
		if strings.TrimLeft(w[i], " ") != strings.TrimLeft(p[0], " ") {
			continue
		}
		shift := len(w[i]) - len(p[0])
		ok := shift >= 0
		for j := 0; ok && j < len(p); j++ {
			ok = strings.Repeat(" ", shift)+p[j] == w[i+j] || strings.TrimSpace(p[j]) == "" && strings.TrimSpace(w[i+j]) == ""
		}
		if ok {
			return true
		}
	}
	return false
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
