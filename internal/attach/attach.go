// Package attach finds the files the attach input names (globs, one a
// line, relative to the workspace) and reads them for upload after the
// message: a coverage report, a screenshot.
//
// The workspace belongs to whoever pushed, so files are found (by
// internal/workspace) and read through an os.Root: no glob or link leads
// outside, only regular files are read, and what is read is bounded: at
// most MaxFiles files of at most MaxFileBytes each. What is skipped is said
// in a warning; only a workspace that cannot be opened is an error.
package attach

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/workspace"
)

// Bounds of one Find. MaxFiles × MaxFileBytes bounds the memory it takes.
const (
	MaxFiles     = 10      // files attached
	MaxFileBytes = 5 << 20 // one file: Chatwork's limit on an upload (5 MB)

	maxEntries  = 200_000 // directory entries visited, for all globs together
	maxMatches  = 1000    // matching paths considered (only the first MaxFiles are read)
	maxSkipped  = 5       // files skipped with a warning of their own; the rest are counted
	inputPrefix = "attach: "
)

// File is one file to upload.
type File struct {
	Name    string // the base name, for the upload
	Path    string // slash-separated, relative to the workspace
	Content []byte // at most MaxFileBytes
}

// Options lower the bounds of a Find; zero (or a value above the bound)
// means the bound itself.
type Options struct {
	MaxFiles     int   // at most MaxFiles
	MaxFileBytes int64 // at most MaxFileBytes
}

// bounded returns o with every zero or excessive field at its bound.
func (o Options) bounded() Options {
	if o.MaxFiles <= 0 || o.MaxFiles > MaxFiles {
		o.MaxFiles = MaxFiles
	}
	if o.MaxFileBytes <= 0 || o.MaxFileBytes > MaxFileBytes {
		o.MaxFileBytes = MaxFileBytes
	}
	return o
}

// Find returns the regular files under the workspace directory dir that
// match globs (see CleanGlob and workspace.Match), each once, in the order
// of the globs and then in walk (lexical) order, read until ctx ends.
// Warnings say what was left out and why: a glob refused or matching no
// file, a file too large, a link leading outside, files beyond the
// MaxFiles first. The error is for a workspace that cannot be opened.
func Find(ctx context.Context, dir string, globs []string, o Options) ([]File, []string, error) {
	o = o.bounded()
	clean, warnings := cleanGlobs(dir, globs)
	if len(clean) == 0 {
		return nil, warnings, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, warnings, fmt.Errorf("attach: cannot open the workspace: %w", err)
	}
	defer root.Close()
	res := workspace.Find(ctx, root.FS(), clean, workspace.Options{MaxEntries: maxEntries, MaxFiles: maxMatches, Links: true, Dirs: true})
	warnings = append(warnings, searchWarnings(clean, res)...)
	files, more := read(ctx, root, res.Files, o, res.Stop == workspace.TooManyFiles)
	return files, append(warnings, more...), nil
}

// CleanGlob returns glob as Find uses it: slash-separated, cleaned, and
// relative to the workspace directory dir. An absolute glob inside dir is
// made relative to it (the runner rewrites ${{ github.workspace }} to
// the container's workspace path, which is dir there). The error, for a
// glob that is not valid or leads outside dir, says what to write instead.
func CleanGlob(dir, glob string) (string, error) {
	g := filepath.ToSlash(strings.TrimSpace(glob))
	if g == "" {
		return "", errors.New("an empty glob")
	}
	if path.IsAbs(g) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("%q: cannot tell where the workspace is: %w", g, err)
		}
		ws := strings.TrimSuffix(filepath.ToSlash(abs), "/")
		rel, ok := strings.CutPrefix(g, ws+"/")
		switch {
		case g == ws:
			return "", fmt.Errorf("%q is the workspace itself; name files in it, e.g. coverage/index.html or **/*.png", g)
		case !ok:
			return "", fmt.Errorf("%q is outside the workspace (%s); give a path relative to it, e.g. coverage/index.html or **/*.png", g, abs)
		}
		g = rel
	}
	if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
		return "", fmt.Errorf("%q is not a valid glob (an unclosed [ or a \\ at the end?)", g)
	}
	if !filepath.IsLocal(filepath.FromSlash(strings.ReplaceAll(g, "**", "x"))) {
		return "", fmt.Errorf("%q leads outside the workspace; give a path inside it, e.g. coverage/index.html or **/*.png", g)
	}
	return path.Clean(g), nil
}

// cleanGlobs cleans every glob (see CleanGlob), dropping blank lines and
// repeats, with a warning for each glob refused.
func cleanGlobs(dir string, globs []string) ([]string, []string) {
	var clean, warnings []string
	for _, g := range globs {
		if strings.TrimSpace(g) == "" {
			continue
		}
		c, err := CleanGlob(dir, g)
		switch {
		case err != nil:
			warnings = append(warnings, inputPrefix+err.Error()+"; skipped")
		case !slices.Contains(clean, c):
			clean = append(clean, c)
		}
	}
	return clean, warnings
}

// searchWarnings say why a search stopped early, or else which globs
// matched no file (and, when a glob names directories, how to name their
// files instead).
func searchWarnings(globs []string, res workspace.Result) []string {
	switch res.Stop {
	case workspace.TimeUp:
		return []string{inputPrefix + "stopped looking for files at the time limit"}
	case workspace.TooManyEntries:
		return []string{fmt.Sprintf("%sstopped looking for files after %d directory entries; narrow the globs", inputPrefix, maxEntries)}
	case workspace.TooManyFiles:
		return nil // read counts the files left out
	}
	var warnings []string
	for _, g := range globs {
		if slices.ContainsFunc(res.Files, func(p string) bool { return workspace.Match(g, p) }) {
			continue
		}
		dirs := slices.DeleteFunc(slices.Clone(res.Dirs), func(p string) bool { return !workspace.Match(g, p) })
		if len(dirs) == 0 {
			warnings = append(warnings, fmt.Sprintf("%sno file matches %s", inputPrefix, g))
			continue
		}
		warnings = append(warnings, fmt.Sprintf("%s%s matches only directories (%s); attach takes files: name them, e.g. %s/*",
			inputPrefix, g, strings.Join(dirs[:min(len(dirs), 3)], ", "), dirs[0]))
	}
	return warnings
}
