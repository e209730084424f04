package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedFilesAreCurrent: action.yml's inputs and outputs and the
// README's tables are what the input table generates.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	changed, err := generate("../..", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range changed {
		t.Errorf("%s is out of date with internal/config's input table; run go generate ./...", f)
	}
}

// TestGenerateRewritesOnlyItsBlocks: the hand-written parts around the
// generated blocks survive, and a second run changes nothing.
func TestGenerateRewritesOnlyItsBlocks(t *testing.T) {
	dir := t.TempDir()
	action := "name: X\n# keep\ninputs:\n  stale_marker:\n    description: gone\noutputs:\n  stale_marker:\n    description: gone\nruns:\n  using: docker\n"
	readmeText := "# X\n\n### Inputs\n\n| input | default | meaning |\n|---|---|---|\n| `stale_marker` | x | y |\n\nafter inputs\n\n### Outputs\n\n| a | b |\n|---|---|\n\ntail\n"
	ja := "# X\n\n### 入力\n\n| a |\n\n### 出力\n\n| a |\n"
	full := "# X\n\n## Inputs\n\n| a |\n\n## Outputs\n\n| a |\n"
	if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"action.yml": action, "README.md": readmeText, "README.ja.md": ja, "docs/inputs.md": full} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := generate(dir, true); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "action.yml"))
	r, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	for _, want := range []string{"name: X\n# keep\ninputs:\n  token:\n", "\nruns:\n  using: docker\n"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("action.yml lacks %q:\n%s", want, a)
		}
	}
	for _, want := range []string{"| `token` | (required) |", "\nafter inputs\n", "| `message-id` |", "\ntail\n"} {
		if !strings.Contains(string(r), want) {
			t.Errorf("README lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(string(a)+string(r), "stale_marker") {
		t.Error("the old blocks survived")
	}
	if changed, err := generate(dir, false); err != nil || len(changed) > 0 {
		t.Errorf("a second run would change %v (%v)", changed, err)
	}
}

// TestGoldenBlocksShowTheGolden: a code block marked with a golden file
// shows that file, and nothing else on the page changes.
func TestGoldenBlocksShowTheGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "msg.txt"), []byte("[info]new[/info]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := "# P\n\nbefore\n\n<!-- golden: msg.txt -->\n\n```\nold\nlines\n```\n\nafter\n"
	got, err := goldenBlocks(dir)(page)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# P\n\nbefore\n\n<!-- golden: msg.txt -->\n\n```\n[info]new[/info]\n```\n\nafter\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := goldenBlocks(dir)("<!-- golden: gone.txt -->\n\n```\nx\n```\n"); err == nil {
		t.Error("a missing golden file is no error")
	}
}
