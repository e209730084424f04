// Package workspace finds files in the workspace by glob, for the inputs
// that name files there (test-results, attach).
//
// The workspace belongs to whoever pushed, so the search goes through an
// fs.FS (an os.Root's in practice: no path leads outside), never follows a
// link, skips .git, and is bounded in directory entries, in matches and
// by a context. Globs are matched in time proportional to the product of
// their segment counts and the path's, whatever "**" they hold.
package workspace

import (
	"context"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Options bound a search and say what it returns besides regular files.
type Options struct {
	MaxEntries int // directory entries visited, for all globs together
	MaxFiles   int // matching files kept; the search stops at the next one
	// Links makes symbolic links that match count as files. The walk never
	// follows them; the caller opens them through its os.Root, which
	// refuses those that lead outside.
	Links bool
	// Dirs lists the directories that match a glob in Result.Dirs, so a
	// caller can say why a glob naming a directory found no file.
	Dirs bool
}

// Stop says why a search ended.
type Stop int

// The ways a search ends.
const (
	Done           Stop = iota // every directory under the globs was searched
	TimeUp                     // the context ended
	TooManyEntries             // Options.MaxEntries entries were visited
	TooManyFiles               // more than Options.MaxFiles files match
)

// Result is what a search found.
type Result struct {
	// Files are the slash-separated paths, relative to the root, of the
	// matching regular files (and links, with Options.Links): the files of
	// the first glob first, each glob's in walk order (lexical in each
	// directory), without repeats.
	Files []string
	// Dirs are the matching directories (with Options.Dirs), in walk order.
	Dirs []string
	Stop Stop
}

// Find returns the files under fsys matching any glob (see Match). Each
// directory is walked once, however many globs start in it, and the walk
// stops at o.MaxEntries entries in all, after o.MaxFiles files, or when
// ctx ends; Result.Stop says which. A directory that cannot be read is
// passed over.
func Find(ctx context.Context, fsys fs.FS, globs []string, o Options) Result {
	s := search{ctx: ctx, globs: globs, o: o, seen: map[string]bool{}}
	for _, start := range walkRoots(globs) {
		_ = fs.WalkDir(fsys, start, s.visit) // visit returns no error but fs.SkipAll and fs.SkipDir
		if s.res.Stop != Done {
			break
		}
	}
	// The files of the first glob come first, as the input lists them.
	slices.SortStableFunc(s.res.Files, func(a, b string) int { return firstMatch(globs, a) - firstMatch(globs, b) })
	return s.res
}

// search is the state of one Find.
type search struct {
	ctx     context.Context
	globs   []string
	o       Options
	seen    map[string]bool
	entries int
	res     Result
}

// visit is the fs.WalkDirFunc of a search.
func (s *search) visit(p string, d fs.DirEntry, err error) error {
	switch {
	case s.ctx.Err() != nil:
		s.res.Stop = TimeUp
		return fs.SkipAll
	case err != nil:
		return nil // a directory we cannot read: go on
	case s.entries >= s.o.MaxEntries:
		s.res.Stop = TooManyEntries
		return fs.SkipAll
	}
	s.entries++
	if d.IsDir() {
		if d.Name() == ".git" {
			return fs.SkipDir
		}
		if s.o.Dirs && p != "." && s.matches(p) {
			s.res.Dirs = append(s.res.Dirs, p)
		}
		return nil
	}
	wanted := d.Type().IsRegular() || s.o.Links && d.Type()&fs.ModeSymlink != 0
	if !wanted || s.seen[p] || !s.matches(p) {
		return nil
	}
	if len(s.res.Files) >= s.o.MaxFiles {
		s.res.Stop = TooManyFiles
		return fs.SkipAll
	}
	s.seen[p] = true
	s.res.Files = append(s.res.Files, p)
	return nil
}

// matches reports whether any glob matches p.
func (s *search) matches(p string) bool {
	return slices.ContainsFunc(s.globs, func(g string) bool { return Match(g, p) })
}

// firstMatch is the index of the first glob that matches name.
func firstMatch(globs []string, name string) int {
	return slices.IndexFunc(globs, func(g string) bool { return Match(g, name) })
}

// walkRoots are the static prefixes of the globs, without one that lies
// inside another ("." covers everything).
func walkRoots(globs []string) []string {
	var roots []string
	for _, g := range globs {
		roots = append(roots, staticPrefix(g))
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	return slices.DeleteFunc(roots, func(r string) bool {
		return slices.ContainsFunc(roots, func(o string) bool { return o != r && (o == "." || strings.HasPrefix(r, o+"/")) })
	})
}

// staticPrefix is the directory part of a glob before its first
// wildcard, where the walk starts ("." for none).
func staticPrefix(glob string) string {
	dir := "."
	parts := strings.Split(glob, "/")
	for i, p := range parts[:len(parts)-1] {
		if strings.ContainsAny(p, "*?[\\") {
			break
		}
		dir = path.Join(parts[:i+1]...)
	}
	return dir
}

// Match reports whether the slash-separated path name matches glob, where
// "**" as a whole segment matches any number of segments (none included)
// and every other segment is a path.Match pattern. It takes time in
// proportion to the product of the segment counts, whatever the globs.
func Match(glob, name string) bool {
	pat, segs := strings.Split(glob, "/"), strings.Split(name, "/")
	// ok[j]: pat[i:] matches segs[j:], computed from the last pattern
	// segment back.
	ok := make([]bool, len(segs)+1)
	ok[len(segs)] = true
	for i := len(pat) - 1; i >= 0; i-- {
		next := make([]bool, len(segs)+1)
		for j := len(segs); j >= 0; j-- {
			switch {
			case pat[i] == "**":
				next[j] = ok[j] || j < len(segs) && next[j+1]
			case j < len(segs):
				m, err := path.Match(pat[i], segs[j])
				next[j] = err == nil && m && ok[j+1]
			}
		}
		ok = next
	}
	return ok[0]
}
