package junit

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/google/go-cmp/cmp"
)

// TestRealDialects reads each tool's report: every testcase counts
// (attributes are not trusted), failures and errors both fail, and the
// message is the line that says what went wrong.
func TestRealDialects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want event.Tests
	}{
		{"gotestsum.xml", event.Tests{Reports: 1, Total: 6, Failed: 1, Skipped: 1, Failures: []event.TestFailure{
			{Suite: "github.com/octo-org/octo-repo/internal/app", Name: "TestRetry", Message: "app_test.go:42: retries = 3, want 2"},
		}}},
		{"go-junit-report.xml", event.Tests{Reports: 1, Total: 3, Failed: 2, Failures: []event.TestFailure{
			{Suite: "github.com/octo-org/octo-repo/internal/render", Name: "TestGolden/push", Message: "golden_test.go:88: push.txt differs:"},
			{Suite: "github.com/octo-org/octo-repo/internal/render", Name: "TestGolden"},
		}}},
		{"jest-junit.xml", event.Tests{Reports: 1, Total: 4, Failed: 1, Skipped: 1, Failures: []event.TestFailure{
			{Suite: "src/cart.test.js", Name: "cart applies the [toall] discount", Message: "Error: expect(received).toBe(expected) // Object.is equality"},
		}}},
		{"pytest.xml", event.Tests{Reports: 1, Total: 5, Failed: 2, Skipped: 1, Failures: []event.TestFailure{
			{Suite: "tests.test_api", Name: "test_create_user", Message: "AssertionError: assert 500 == 201"},
			{Suite: "tests.test_db", Name: "test_migrate", Message: `failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"`},
		}}},
		{"surefire.xml", event.Tests{Reports: 1, Total: 3, Failed: 1, Failures: []event.TestFailure{
			{Suite: "com.example.shop.CartTest", Name: "appliesDiscount", Message: "expected: <90> but was: <100>"},
		}}},
		{"phpunit.xml", event.Tests{Reports: 1, Total: 4, Failed: 2, Failures: []event.TestFailure{
			{Suite: "Tests.Unit.CartTest", Name: "testAppliesDiscount", Message: "Failed asserting that 100 matches expected 90."},
			{Suite: "Tests.Unit.CartTest", Name: "testTotals", Message: "TypeError: App\\Cart::total(): Return value must be of type int, null returned"},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			got, warnings := Read(context.Background(), Options{Workspace: "testdata", Globs: []string{tc.file}, MaxBytes: 50 << 20})
			if len(warnings) > 0 {
				t.Errorf("warnings %q", warnings)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// TestManyReports: globs with ** find reports in any directory, totals add
// up, and only the first five failed tests are listed.
func TestManyReports(t *testing.T) {
	t.Parallel()
	got, warnings := Read(context.Background(), Options{Workspace: "testdata", Globs: []string{"**/*.xml", "pytest.xml"}, MaxBytes: 50 << 20})
	if len(warnings) > 0 {
		t.Errorf("warnings %q", warnings)
	}
	if got.Reports != 6 || got.Total != 25 || got.Failed != 9 || len(got.Failures) != event.MaxTestFailures || got.More() != 4 {
		t.Errorf("reports %d, %d tests, %d failed, %d listed, %d more", got.Reports, got.Total, got.Failed, len(got.Failures), got.More())
	}
}

// TestHostileWorkspace: the workspace belongs to whoever pushed, so links
// out of it, non-regular files, broken XML and floods of data are skipped
// with a warning, never read or fatal.
func TestHostileWorkspace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	secret := filepath.Join(dir, "secret.xml")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(ws, "reports"), 0o755))
	must(os.WriteFile(secret, []byte(`<testsuite><testcase name="secret"><failure message="TOKEN=abc"/></testcase></testsuite>`), 0o644))
	must(os.Symlink(secret, filepath.Join(ws, "reports", "link.xml")))
	must(os.Symlink("../../secret.xml", filepath.Join(ws, "reports", "rel.xml")))
	must(os.WriteFile(filepath.Join(ws, "reports", "broken.xml"), []byte("<testsuite><testcase name=\"x\"><failure>"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "reports", "notjunit.xml"), []byte("<html><body>hi</body></html>"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "reports", "ok.xml"), []byte(`<testsuite name="s"><testcase name="a"/><testcase name="b"><error message="boom"/></testcase></testsuite>`), 0o644))
	big := `<testsuite name="big">` + strings.Repeat(`<testcase name="t"/>`, 100_000) + `</testsuite>`
	must(os.WriteFile(filepath.Join(ws, "reports", "zbig.xml"), []byte(big), 0o644))

	got, warnings := Read(context.Background(), Options{Workspace: ws, Globs: []string{"reports/*.xml"}, MaxBytes: 1 << 20})
	if got.Total != 2 || got.Failed != 1 || got.Reports != 1 {
		t.Errorf("got %+v", got)
	}
	text := strings.Join(warnings, "\n")
	for _, want := range []string{"broken.xml skipped", "notjunit.xml skipped", "1 report(s) skipped: the reports read add up to the 1 MB limit"} {
		if !strings.Contains(text, want) {
			t.Errorf("warnings lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text+got.Failures[0].Message, "TOKEN") || strings.Contains(text, "secret") {
		t.Errorf("read a file outside the workspace:\n%s\n%+v", text, got)
	}

	if _, warnings := Read(context.Background(), Options{Workspace: ws, Globs: []string{"nothing/*.xml"}, MaxBytes: 1 << 20}); len(warnings) != 1 || !strings.Contains(warnings[0], "no file matches") {
		t.Errorf("warnings %q", warnings)
	}
}

// TestMessagesAreRedactedBeforeTheCut: a secret that straddles the
// 300-byte cut of a failure message leaves no piece behind.
func TestMessagesAreRedactedBeforeTheCut(t *testing.T) {
	t.Parallel()
	const token = "f00dfacecafebeef0123456789abcdef"
	ws := t.TempDir()
	for at := 280; at <= 300; at += 4 {
		msg := strings.Repeat("x", at) + token + " trailing"
		report := `<testsuite name="s"><testcase name="t"><failure message="` + msg + `"/></testcase></testsuite>`
		if err := os.WriteFile(filepath.Join(ws, "r.xml"), []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
		redact := func(s string) string { return strings.ReplaceAll(s, token, "***") }
		got, _ := Read(context.Background(), Options{Workspace: ws, Globs: []string{"r.xml"}, MaxBytes: 1 << 20, Redact: redact})
		m := got.Failures[0].Message
		for n := 6; n <= len(token); n++ {
			if strings.Contains(m, token[:n]) {
				t.Fatalf("at %d: %d characters of the token remain: %q", at, n, m)
			}
		}
		if len(m) > maxMessageLen+len("…") {
			t.Errorf("message of %d bytes", len(m))
		}
	}
}

// TestDeepNestingIsRefused: a report of deeply nested elements is
// skipped at once instead of making the decoder keep every level.
func TestDeepNestingIsRefused(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	deep := "<testsuites>" + strings.Repeat("<a>", 2_000_000) // 6 MB, unclosed
	if err := os.WriteFile(filepath.Join(ws, "deep.xml"), []byte(deep), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, warnings := Read(context.Background(), Options{Workspace: ws, Globs: []string{"*.xml"}, MaxBytes: 50 << 20})
	runtime.ReadMemStats(&after)
	if got.Reports != 0 || len(warnings) != 1 || !strings.Contains(warnings[0], "nested deeper than 64") {
		t.Errorf("reports %d, warnings %q", got.Reports, warnings)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("reading a 6 MB nested report allocated %d MB", alloc>>20)
	}
}

// TestSearchIsBounded: deep trees and many ** segments cost time in
// proportion to what is walked, and the search stops when its time is up.
func TestSearchIsBounded(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	dir := ws
	for range 40 {
		dir = filepath.Join(dir, "d")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "r.xml"), []byte(`<testsuite><testcase name="a"/></testsuite>`), 0o644); err != nil {
		t.Fatal(err)
	}
	globs := []string{strings.Repeat("**/", 12) + "x.xml", strings.Repeat("**/", 12) + "r.xml"}
	got, warnings := Read(context.Background(), Options{Workspace: ws, Globs: globs, MaxBytes: 1 << 20})
	if got.Reports != 1 || len(warnings) != 0 {
		t.Errorf("reports %d, warnings %q", got.Reports, warnings)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, warnings := Read(ctx, Options{Workspace: ws, Globs: globs, MaxBytes: 1 << 20}); !strings.Contains(strings.Join(warnings, "\n"), "time limit") {
		t.Errorf("an ended context: warnings %q", warnings)
	}
}
