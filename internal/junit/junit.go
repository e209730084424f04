// Package junit reads JUnit XML test reports — as gotestsum and
// go-junit-report, Jest (jest-junit), pytest, Maven Surefire, PHPUnit and
// most other tools write them — into the event package's Tests: totals and
// the first failed tests with the first line of their failure.
//
// Reports come from the workspace, which a pull request controls: files
// are found (by internal/workspace) and opened through an os.Root (no
// path or link leads outside), only regular files are read, and the
// reading is bounded in files, bytes and directory entries. A report that does not parse is skipped with a
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
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
	"github.com/chatwork-notify/chatwork-notify/internal/workspace"
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

// find returns the reports under fsys matching any glob (see
// workspace.Find), with a warning when the search stopped early.
func find(ctx context.Context, fsys fs.FS, globs []string) ([]string, []string) {
	res := workspace.Find(ctx, fsys, globs, workspace.Options{MaxEntries: maxEntries, MaxFiles: maxFiles})
	var warnings []string
	switch res.Stop {
	case workspace.TimeUp:
		warnings = append(warnings, "test-results: stopped looking for reports at the time limit")
	case workspace.TooManyEntries:
		warnings = append(warnings, fmt.Sprintf("test-results: stopped looking for reports after %d entries", maxEntries))
	case workspace.TooManyFiles:
		warnings = append(warnings, fmt.Sprintf("test-results: more than %d reports match; the rest are left out", maxFiles))
	}
	return res.Files, warnings
}
