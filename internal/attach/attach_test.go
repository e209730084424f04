package attach

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tree is a workspace under construction: ws inside a directory that also
// holds secret.png, a file outside the workspace.
type tree struct {
	t      *testing.T
	ws     string
	secret string
}

func newTree(t *testing.T) *tree {
	t.Helper()
	dir := t.TempDir()
	tr := &tree{t: t, ws: filepath.Join(dir, "ws"), secret: filepath.Join(dir, "secret.png")}
	tr.write(tr.secret, []byte("SECRET outside the workspace"))
	if err := os.Mkdir(tr.ws, 0o755); err != nil {
		t.Fatal(err)
	}
	return tr
}

func (tr *tree) write(p string, content []byte) {
	tr.t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

// files writes each name with the content "content of <name>".
func (tr *tree) files(names ...string) {
	tr.t.Helper()
	for _, n := range names {
		tr.write(filepath.Join(tr.ws, n), []byte("content of "+n))
	}
}

// sized writes name with size zero bytes.
func (tr *tree) sized(name string, size int) {
	tr.t.Helper()
	tr.write(filepath.Join(tr.ws, name), make([]byte, size))
}

func (tr *tree) link(name, target string) {
	tr.t.Helper()
	if err := os.Symlink(target, filepath.Join(tr.ws, name)); err != nil {
		tr.t.Fatal(err)
	}
}

// file is the File Find returns for a file written by tree.files.
func file(p string) File {
	return File{Name: filepath.Base(p), Path: p, Content: []byte("content of " + p)}
}

func TestFind(t *testing.T) {
	t.Parallel()
	twelve := make([]string, 12)
	for i := range twelve {
		twelve[i] = fmt.Sprintf("shots/%02d.png", i+1)
	}
	tests := []struct {
		name  string
		setup func(*tree)
		globs []string // "$WS" stands for the workspace's absolute path
		want  []File
		warn  []string // "$WS" likewise
	}{
		{name: "a 6 MB file is skipped",
			setup: func(tr *tree) { tr.files("small.txt"); tr.sized("big.bin", 6<<20) },
			globs: []string{"*"},
			want:  []File{file("small.txt")},
			warn:  []string{"attach: big.bin skipped: it is 6 MB; a file may have at most 5 MB"}},
		{name: "exactly 5 MB is attached",
			setup: func(tr *tree) { tr.sized("five.bin", 5<<20) },
			globs: []string{"five.bin"},
			want:  []File{{Name: "five.bin", Path: "five.bin", Content: make([]byte, 5<<20)}}},
		{name: "12 matches, 10 attached",
			setup: func(tr *tree) { tr.files(twelve...) },
			globs: []string{"shots/*.png"},
			want:  files(twelve[:10]...),
			warn:  []string{"attach: 2 more file(s) match; at most 10 are attached, the rest are left out"}},
		{name: "../x is refused",
			setup: func(tr *tree) { tr.files("x") },
			globs: []string{"../x", "a/../../secret.png"},
			warn: []string{
				`attach: "../x" leads outside the workspace; give a path inside it, e.g. coverage/index.html or **/*.png; skipped`,
				`attach: "a/../../secret.png" leads outside the workspace; give a path inside it, e.g. coverage/index.html or **/*.png; skipped`,
			}},
		{name: "/etc/passwd is refused",
			globs: []string{"/etc/passwd"},
			warn:  []string{`attach: "/etc/passwd" is outside the workspace ($WS); give a path relative to it, e.g. coverage/index.html or **/*.png; skipped`}},
		{name: "an absolute glob inside the workspace",
			setup: func(tr *tree) { tr.files("cov/index.html") },
			globs: []string{"$WS/cov/*.html"},
			want:  []File{file("cov/index.html")}},
		{name: "links leading outside are refused",
			setup: func(tr *tree) {
				tr.files("a.png")
				tr.link("rel.png", "../secret.png")
				tr.link("abs.png", tr.secret)
				tr.link("none.png", "missing.png")
			},
			globs: []string{"*.png"},
			want:  []File{file("a.png")},
			warn: []string{
				"attach: abs.png skipped: it is a link that leads outside the workspace (links must be relative and stay inside it)",
				"attach: none.png skipped: it is a link to nothing",
				"attach: rel.png skipped: it is a link that leads outside the workspace (links must be relative and stay inside it)",
			}},
		{name: "a link inside the workspace is followed",
			setup: func(tr *tree) { tr.files("shots/a.png"); tr.link("latest.png", "shots/a.png") },
			globs: []string{"latest.png"},
			want:  []File{{Name: "latest.png", Path: "latest.png", Content: []byte("content of shots/a.png")}}},
		{name: "a directory matched",
			setup: func(tr *tree) { tr.files("coverage/index.html"); tr.link("dirlink", "coverage") },
			globs: []string{"coverage", "dirlink"},
			warn: []string{
				"attach: coverage matches only directories (coverage); attach takes files: name them, e.g. coverage/*",
				"attach: dirlink skipped: it is a directory",
			}},
		{name: "**/*.png in nested directories",
			setup: func(tr *tree) { tr.files("a.png", "x/b.png", "x/y/c.png", "x/y/c.txt", "x/y/z/d.png", ".git/e.png") },
			globs: []string{"**/*.png"},
			want:  files("a.png", "x/b.png", "x/y/c.png", "x/y/z/d.png")},
		{name: "a file matched twice is attached once",
			setup: func(tr *tree) { tr.files("a.png", "b.png") },
			globs: []string{"a.png", "*.png", "./a.png", "$WS/a.png"},
			want:  files("a.png", "b.png")},
		{name: "glob order, then path",
			setup: func(tr *tree) { tr.files("b/z.txt", "a.png", "b/a.txt", "c.png") },
			globs: []string{"*.png", "b/*.txt"},
			want:  files("a.png", "c.png", "b/a.txt", "b/z.txt")},
		{name: "a glob that matches nothing",
			setup: func(tr *tree) { tr.files("a.png") },
			globs: []string{"", "shots/*.png", "a.png", "[bad"},
			want:  files("a.png"),
			warn: []string{
				`attach: "[bad" is not a valid glob (an unclosed [ or a \ at the end?); skipped`,
				"attach: no file matches shots/*.png",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tr := newTree(t)
			if tc.setup != nil {
				tc.setup(tr)
			}
			ws := strings.NewReplacer("$WS", tr.ws)
			var globs []string
			for _, g := range tc.globs {
				globs = append(globs, ws.Replace(g))
			}
			got, warnings, err := Find(context.Background(), tr.ws, globs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got, sameBytes); d != "" {
				t.Errorf("files (-want +got)\n%s", d)
			}
			var warn []string
			for _, w := range tc.warn {
				warn = append(warn, ws.Replace(w))
			}
			if d := cmp.Diff(warn, warnings); d != "" {
				t.Errorf("warnings (-want +got)\n%s", d)
			}
			for _, f := range got {
				if strings.Contains(string(f.Content), "SECRET") {
					t.Errorf("%s: read the file outside the workspace", f.Path)
				}
			}
		})
	}
}

// sameBytes compares contents at once (cmp goes byte by byte: seconds
// for 5 MB).
var sameBytes = cmp.Comparer(bytes.Equal)

func files(paths ...string) []File {
	var fs []File
	for _, p := range paths {
		fs = append(fs, file(p))
	}
	return fs
}

// TestOptionsOnlyLower: options can lower the bounds, never raise them,
// and many skipped files make a few warnings, not one each.
func TestOptionsOnlyLower(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	for i := range 8 {
		tr.sized(fmt.Sprintf("big/%d.bin", i), 200)
	}
	tr.files("small/a.txt", "small/b.txt", "small/c.txt")
	got, warnings, err := Find(context.Background(), tr.ws, []string{"big/*", "small/*"}, Options{MaxFiles: 2, MaxFileBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(files("small/a.txt", "small/b.txt"), got); d != "" {
		t.Errorf("files (-want +got)\n%s", d)
	}
	want := []string{
		"attach: big/0.bin skipped: it is 200 bytes; a file may have at most 100 bytes",
		"attach: big/1.bin skipped: it is 200 bytes; a file may have at most 100 bytes",
		"attach: big/2.bin skipped: it is 200 bytes; a file may have at most 100 bytes",
		"attach: big/3.bin skipped: it is 200 bytes; a file may have at most 100 bytes",
		"attach: big/4.bin skipped: it is 200 bytes; a file may have at most 100 bytes",
		"attach: 1 more file(s) match; at most 2 are attached, the rest are left out",
		"attach: 3 more file(s) skipped, too large or not readable",
	}
	if d := cmp.Diff(want, warnings); d != "" {
		t.Errorf("warnings (-want +got)\n%s", d)
	}
	if o := (Options{MaxFiles: 50, MaxFileBytes: 1 << 30}).bounded(); o.MaxFiles != MaxFiles || o.MaxFileBytes != MaxFileBytes {
		t.Errorf("bounded() = %+v", o)
	}
}

// TestManyMatches: the search stops after maxMatches paths; the warnings
// say so.
func TestManyMatches(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	for i := range maxMatches + 1 {
		tr.sized(fmt.Sprintf("many/%04d.txt", i), 2)
	}
	got, warnings, err := Find(context.Background(), tr.ws, []string{"many/*"}, Options{})
	if err != nil || len(got) != MaxFiles || got[9].Path != "many/0009.txt" {
		t.Errorf("%d files, err %v", len(got), err)
	}
	if d := cmp.Diff([]string{"attach: more than 990 more file(s) match; at most 10 are attached, the rest are left out"}, warnings); d != "" {
		t.Errorf("warnings (-want +got)\n%s", d)
	}
	got, warnings, err = Find(context.Background(), tr.ws, []string{"many/*"}, Options{MaxFileBytes: 1})
	if err != nil || len(got) != 0 || len(warnings) != maxSkipped+2 {
		t.Fatalf("%d files, err %v, warnings %q", len(got), err, warnings)
	}
	want := []string{
		"attach: more than 1000 files match; only the first 1000 were looked at",
		"attach: 995 more file(s) skipped, too large or not readable",
	}
	if d := cmp.Diff(want, warnings[maxSkipped:]); d != "" {
		t.Errorf("warnings (-want +got)\n%s", d)
	}
}

// TestFindStopsAtTheTimeLimit: an ended context ends the search, with a
// warning and no file.
func TestFindStopsAtTheTimeLimit(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	tr.files("a.png")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, warnings, err := Find(ctx, tr.ws, []string{"*.png"}, Options{})
	if err != nil || len(got) != 0 {
		t.Errorf("files %v, err %v", got, err)
	}
	if d := cmp.Diff([]string{"attach: stopped looking for files at the time limit"}, warnings); d != "" {
		t.Errorf("warnings (-want +got)\n%s", d)
	}
	// Time up after the search, before reading.
	root, err := os.OpenRoot(tr.ws)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, warnings = read(ctx, root, []string{"a.png"}, Options{}.bounded(), false)
	if len(got) != 0 || !cmp.Equal(warnings, []string{"attach: stopped reading files at the time limit; 1 file(s) left out"}) {
		t.Errorf("files %v, warnings %q", got, warnings)
	}
}

// TestNoWorkspace: a workspace that cannot be opened is the one error.
func TestNoWorkspace(t *testing.T) {
	t.Parallel()
	_, _, err := Find(context.Background(), filepath.Join(t.TempDir(), "missing"), []string{"*.png"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot open the workspace") {
		t.Errorf("err = %v", err)
	}
	if got, warnings, err := Find(context.Background(), "", nil, Options{}); got != nil || warnings != nil || err != nil {
		t.Errorf("no globs: %v %q %v", got, warnings, err)
	}
}

func TestCleanGlob(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		glob, want string
		err        bool
	}{
		{glob: " coverage/*.html ", want: "coverage/*.html"},
		{glob: "./a//b/**/*.png", want: "a/b/**/*.png"},
		{glob: "/ws/shots/*.png", want: "shots/*.png"},
		{glob: "/ws", want: "", err: true},
		{glob: "/wsx/a.png", err: true},
		{glob: "/etc/passwd", err: true},
		{glob: "..", err: true},
		{glob: "**/../../x", err: true},
		{glob: "a/[", err: true},
		{glob: "  ", err: true},
	} {
		got, err := CleanGlob("/ws", tc.glob)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("CleanGlob(%q) = %q, %v", tc.glob, got, err)
		}
	}
}
