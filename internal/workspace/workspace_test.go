package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"*.xml", "a.xml", true},
		{"*.xml", "d/a.xml", false},
		{"**/*.xml", "a.xml", true},
		{"**/*.xml", "d/e/a.xml", true},
		{"**/target/surefire-reports/TEST-*.xml", "svc/api/target/surefire-reports/TEST-com.x.AppTest.xml", true},
		{"**/target/surefire-reports/TEST-*.xml", "target/surefire-reports/TEST-a.xml", true},
		{"reports/**", "reports/a/b.xml", true},
		{"reports/**/junit.xml", "other/junit.xml", false},
		{"[", "[", false}, // a bad pattern matches nothing
	} {
		if got := Match(tc.glob, tc.name); got != tc.want {
			t.Errorf("Match(%q, %q) = %v", tc.glob, tc.name, got)
		}
	}
}

func TestWalkRoots(t *testing.T) {
	t.Parallel()
	for glob, want := range map[string]string{"reports/*.xml": "reports", "a/b/**/c.xml": "a/b", "*.xml": ".", "x/y.xml": "x"} {
		if got := staticPrefix(glob); got != want {
			t.Errorf("staticPrefix(%q) = %q, want %q", glob, got, want)
		}
	}
	for _, tc := range []struct {
		globs, want []string
	}{
		{[]string{"a/b/*.xml", "a/**/x.xml", "c/*.xml", "c/d/*.xml"}, []string{"a", "c"}},
		{[]string{"a/*.xml", "**/*.png"}, []string{"."}},
		{[]string{"ab/*.xml", "a/*.xml"}, []string{"a", "ab"}},
	} {
		if d := cmp.Diff(tc.want, walkRoots(tc.globs)); d != "" {
			t.Errorf("walkRoots(%q) (-want +got)\n%s", tc.globs, d)
		}
	}
}

// tree builds a workspace of empty files and the given links.
func tree(t *testing.T, files []string, links map[string]string) string {
	t.Helper()
	ws := t.TempDir()
	for _, f := range files {
		p := filepath.Join(ws, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(ws, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// TestFind: files come in glob order, then walk order, once each; .git
// is never entered; links and directories only when asked for.
func TestFind(t *testing.T) {
	t.Parallel()
	ws := tree(t,
		[]string{"a.png", "b/c.png", "b/d/e.png", "b/z.txt", "cov/index.html", ".git/x.png", "shots/s.png"},
		map[string]string{"link.png": "a.png", "out.png": "../../elsewhere.png"})
	tests := []struct {
		name  string
		globs []string
		o     Options
		want  Result
	}{
		{"glob order", []string{"b/*.txt", "**/*.png"}, Options{},
			Result{Files: []string{"b/z.txt", "a.png", "b/c.png", "b/d/e.png", "shots/s.png"}}},
		{"repeats once", []string{"a.png", "*.png", "a.png"}, Options{},
			Result{Files: []string{"a.png"}}},
		{"links when asked", []string{"*.png"}, Options{Links: true},
			Result{Files: []string{"a.png", "link.png", "out.png"}}},
		{"directories when asked", []string{"cov", "shots/*.png"}, Options{Dirs: true},
			Result{Files: []string{"shots/s.png"}, Dirs: []string{"cov"}}},
		{"file limit", []string{"**/*.png"}, Options{MaxFiles: 2},
			Result{Files: []string{"a.png", "b/c.png"}, Stop: TooManyFiles}},
		{"entry limit", []string{"**/*.png"}, Options{MaxEntries: 3},
			Result{Files: []string{"a.png"}, Stop: TooManyEntries}},
		{"outside the root", []string{"../*.png", "/etc/passwd"}, Options{}, Result{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, err := os.OpenRoot(ws)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			if tc.o.MaxEntries == 0 {
				tc.o.MaxEntries = 1000
			}
			if tc.o.MaxFiles == 0 {
				tc.o.MaxFiles = 1000
			}
			got := Find(context.Background(), root.FS(), tc.globs, tc.o)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// TestFindStopsAtTheTimeLimit: an ended context ends the search at once.
func TestFindStopsAtTheTimeLimit(t *testing.T) {
	t.Parallel()
	ws := tree(t, []string{"a.png"}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := Find(ctx, os.DirFS(ws), []string{strings.Repeat("**/", 12) + "*.png"}, Options{MaxEntries: 10, MaxFiles: 10})
	if d := cmp.Diff(Result{Stop: TimeUp}, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}
