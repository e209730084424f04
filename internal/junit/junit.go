// Package junit reads JUnit XML test reports — as gotestsum and
// go-junit-report, Jest (jest-junit), pytest, Maven Surefire, PHPUnit and
// most other tools write them — into the event package's Tests: totals and
// the first failed tests with the first line of their failure.
//
// Reports come from the workspace, which a pull request controls: files
// are found and opened through an os.Root (no path or link leads outside),
// only regular files are read, and the reading is bounded in files, bytes
// and directory entries. A report that does not parse is skipped with a
// warning; nothing here fails the notification.
package junit

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// Bounds of one Read.
const (
	maxFiles       = 1000
	maxEntries     = 200_000 // directory entries visited, for all globs together
	maxDepth       = 64      // nested XML elements; JUnit needs a handful
	maxMessageLen  = 300     // bytes of a failure message kept (after redaction)
	genericMessage = "failed"
)

// Options say what to read and how far.
type Options struct {
	Workspace string   // the directory the globs are relative to
	Globs     []string // slash-separated; "**" matches any number of directories
	MaxBytes  int64    // all reports together
	// Redact removes secrets from a failure message before it is cut, so
	// a cut never leaves part of one; nil keeps messages as they are.
	Redact func(string) string
}

// Read finds the reports matching the globs and sums them up, reading at
// most MaxBytes in all, until ctx ends (what was read by then counts).
// Warnings say what was skipped and why.
func Read(ctx context.Context, o Options) (event.Tests, []string) {
	var tests event.Tests
	if len(o.Globs) == 0 {
		return tests, nil
	}
	root, err := os.OpenRoot(o.Workspace)
	if err != nil {
		return tests, []string{fmt.Sprintf("test-results: cannot open the workspace: %v", err)}
	}
	defer root.Close()
	files, warnings := find(ctx, root.FS(), o.Globs)
	if len(files) == 0 {
		return tests, append(warnings, fmt.Sprintf("test-results: no file matches %s", strings.Join(o.Globs, ", ")))
	}
	left := o.MaxBytes
	skipped := 0
	for _, name := range files {
		if left <= 0 || ctx.Err() != nil {
			skipped++
			continue
		}
		n, err := readOne(root, name, left, &tests)
		left -= n
		switch {
		case errors.Is(err, errTooLarge):
			skipped++
		case err != nil:
			warnings = append(warnings, fmt.Sprintf("test-results: %s skipped: %v", name, err))
		default:
			tests.Reports++
		}
	}
	switch {
	case ctx.Err() != nil:
		warnings = append(warnings, fmt.Sprintf("test-results: stopped reading reports at the time limit; %d report(s) left out", skipped))
	case skipped > 0:
		warnings = append(warnings, fmt.Sprintf("test-results: %d report(s) skipped: the reports read add up to the %d MB limit", skipped, o.MaxBytes>>20))
	}
	redactMessages(&tests, o.Redact)
	return tests, warnings
}

// redactMessages redacts, then cuts, every failure message.
func redactMessages(tests *event.Tests, redact func(string) string) {
	for i := range tests.Failures {
		m := tests.Failures[i].Message
		if redact != nil {
			m = redact(m)
		}
		tests.Failures[i].Message = text.Cut(m, maxMessageLen+len(text.Ellipsis))
	}
}

var errTooLarge = errors.New("over the size limit")

// readOne parses one report into tests and returns the bytes it read.
func readOne(root *os.Root, name string, limit int64, tests *event.Tests) (int64, error) {
	f, err := root.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return 0, err
	case !st.Mode().IsRegular():
		return 0, errors.New("not a regular file")
	case st.Size() > limit:
		return 0, errTooLarge
	}
	r := &countingReader{r: io.LimitReader(f, limit)}
	var one event.Tests
	if err := Parse(r, &one); err != nil {
		return r.n, err
	}
	merge(tests, one)
	return r.n, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func merge(into *event.Tests, t event.Tests) {
	into.Total += t.Total
	into.Failed += t.Failed
	into.Skipped += t.Skipped
	for _, f := range t.Failures {
		if len(into.Failures) < event.MaxTestFailures {
			into.Failures = append(into.Failures, f)
		}
	}
}

// Parse reads one JUnit XML document into tests: every testcase counts,
// whatever the counts in attributes say; a testcase with a failure or an
// error element failed, one with a skipped element was skipped.
// testsuites may nest, and the root may be testsuites or testsuite.
func Parse(r io.Reader, tests *event.Tests) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	var (
		suites  []string // names of the enclosing testsuite elements
		inCase  bool
		tc      testCase
		inFail  bool
		sawRoot bool
		depth   int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not JUnit XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return fmt.Errorf("elements nested deeper than %d: not a test report", maxDepth)
			}
			switch t.Name.Local {
			case "testsuites":
				sawRoot = true
			case "testsuite":
				sawRoot = true
				suites = append(suites, attr(t, "name"))
			case "testcase":
				inCase = true
				tc = testCase{name: attr(t, "name"), class: attr(t, "classname")}
				if len(suites) > 0 {
					tc.suite = suites[len(suites)-1]
				}
			case "failure", "error":
				if inCase {
					if !tc.failed {
						tc.message = attr(t, "message")
					}
					tc.failed, inFail = true, true
				}
			case "skipped":
				if inCase {
					tc.skipped = true
				}
			}
		case xml.CharData:
			if inFail && tc.text.Len() < 64<<10 {
				tc.text.Write(t)
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "testsuite":
				if len(suites) > 0 {
					suites = suites[:len(suites)-1]
				}
			case "failure", "error":
				inFail = false
			case "testcase":
				if inCase {
					tc.add(tests)
				}
				inCase = false
			}
		}
	}
	if !sawRoot {
		return errors.New("not JUnit XML: no testsuites or testsuite element")
	}
	return nil
}

type testCase struct {
	suite, class, name string
	failed, skipped    bool
	message            string
	text               strings.Builder
}

func (tc *testCase) add(tests *event.Tests) {
	tests.Total++
	switch {
	case tc.failed:
		tests.Failed++
		if len(tests.Failures) < event.MaxTestFailures {
			tests.Failures = append(tests.Failures, event.TestFailure{Suite: tc.suiteName(), Name: tc.name, Message: tc.firstLine()})
		}
	case tc.skipped:
		tests.Skipped++
	}
}

// suiteName is the class (pytest, Surefire, PHPUnit, Go's package), unless
// it only repeats the test's name (Jest), then the enclosing suite (Jest's
// file).
func (tc *testCase) suiteName() string {
	if tc.class != "" && tc.class != tc.name {
		return tc.class
	}
	return tc.suite
}

// firstLine (not yet redacted, so not yet cut) is the failure's message attribute, unless it is generic
// ("Failed", as Go's converters write), else the first line of its text
// that says something: not blank, not Go's === RUN / --- FAIL markers,
// not the test's own id (PHPUnit starts with Class::test).
func (tc *testCase) firstLine() string {
	if m := strings.TrimSpace(tc.message); m != "" && !strings.EqualFold(m, genericMessage) {
		return event.FirstLine(m)
	}
	for _, line := range strings.Split(tc.text.String(), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "",
			strings.HasPrefix(line, "=== "), strings.HasPrefix(line, "--- FAIL"),
			tc.name != "" && (strings.HasSuffix(line, "::"+tc.name) || line == tc.name):
			continue
		}
		return line
	}
	return "" // only a generic "Failed": nothing worth saying
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// find returns the regular files under fsys matching any glob, in the
// order of the globs and then in walk (lexical) order, without repeats. Each directory is walked once, however
// many globs start in it, and the walk stops at maxEntries entries in all,
// at maxFiles files, or when ctx ends.
func find(ctx context.Context, fsys fs.FS, globs []string) ([]string, []string) {
	var files, warnings []string
	seen := map[string]bool{}
	entries := 0
	for _, start := range walkRoots(globs) {
		err := fs.WalkDir(fsys, start, func(p string, d fs.DirEntry, err error) error {
			switch {
			case ctx.Err() != nil:
				warnings = append(warnings, "test-results: stopped looking for reports at the time limit")
				return fs.SkipAll
			case err != nil:
				return nil // a directory we cannot read: go on
			case entries >= maxEntries:
				warnings = append(warnings, fmt.Sprintf("test-results: stopped looking for reports after %d entries", maxEntries))
				return fs.SkipAll
			}
			entries++
			if d.IsDir() {
				if d.Name() == ".git" {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || seen[p] || !slices.ContainsFunc(globs, func(g string) bool { return Match(g, p) }) {
				return nil
			}
			if len(files) >= maxFiles {
				warnings = append(warnings, fmt.Sprintf("test-results: more than %d reports match; the rest are left out", maxFiles))
				return fs.SkipAll
			}
			seen[p] = true
			files = append(files, p)
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			warnings = append(warnings, fmt.Sprintf("test-results: %s: %v", start, err))
		}
		if len(warnings) > 0 && (ctx.Err() != nil || entries >= maxEntries || len(files) >= maxFiles) {
			break
		}
	}
	// The files of the first glob come first, as the input lists them.
	slices.SortStableFunc(files, func(a, b string) int { return firstMatch(globs, a) - firstMatch(globs, b) })
	return files, warnings
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
