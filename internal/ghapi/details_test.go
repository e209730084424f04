package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

func annotation(level, path string, line int, msg string) *github.CheckRunAnnotation {
	return &github.CheckRunAnnotation{AnnotationLevel: github.String(level), Path: github.String(path), StartLine: github.Int(line), Message: github.String(msg)}
}

// TestAnnotations follows pagination, puts failures first, keeps the first
// line, and drops notices and the runner's own noise.
func TestAnnotations(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "tok", "")
	list := []*github.CheckRunAnnotation{
		annotation("notice", "a.go", 1, "just saying"),
		annotation("warning", ".github", 0, "Node.js 16 actions are deprecated."),
		annotation("failure", ".github", 0, "Process completed with exit code 1."),
		annotation("warning", "lint.go", 3, "exported func Foo should have comment"),
	}
	for i := range 150 {
		list = append(list, annotation("failure", "internal/app/app.go", i+1, fmt.Sprintf("undefined: foo%d\nmore text", i)))
	}
	srv.SetAnnotations(77, list...)
	got, err := client(t, srv, "tok").Annotations(context.Background(), 77)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 151 || got[0] != (event.Annotation{Level: "failure", Path: "internal/app/app.go", Line: 1, Message: "undefined: foo0"}) ||
		got[150].Level != "warning" || got[150].Where() != "lint.go:3" {
		t.Errorf("%d annotations, first %+v, last %+v", len(got), got[0], got[len(got)-1])
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 pages", n)
	}
}

// TestJobLogGoesToStorageWithoutTheToken: GitHub answers the log request
// with a redirect to another host; the token never reaches it (the fake
// storage host refuses any Authorization), and only the tail is asked for.
func TestJobLogGoesToStorageWithoutTheToken(t *testing.T) {
	t.Parallel()
	srv := ghapitest.New(t, "ghs_secret", "")
	head := strings.Repeat("2026-11-30T10:00:00.0000000Z filler line\n", 200_000) // ~8 MB
	srv.SetLog(42, head+"2026-11-30T10:12:11.0000000Z the end\n")
	log, err := client(t, srv, "ghs_secret").JobLog(context.Background(), 42)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) > ghapi.MaxLogBytes || !strings.HasSuffix(log, "the end\n") || !strings.HasPrefix(log, "2026-") {
		t.Errorf("log of %d bytes, ending %q", len(log), log[max(len(log)-20, 0):])
	}
	if auths := srv.StorageAuthorizations(); len(auths) != 1 || auths[0] != "" {
		t.Errorf("the storage host saw Authorization %q", auths)
	}
	if auths := srv.Authorizations(); len(auths) != 1 || auths[0] != "Bearer ghs_secret" {
		t.Errorf("the API saw %q", auths)
	}

	if _, err := client(t, srv, "ghs_secret").JobLog(context.Background(), 43); !errors.Is(err, ghapi.ErrLogGone) {
		t.Errorf("missing log: %v", err)
	}
	srv.Forbid("/logs")
	if _, err := client(t, srv, "ghs_secret").JobLog(context.Background(), 42); !ghapi.IsPermission(err) {
		t.Errorf("forbidden log: %v, want a permission error", err)
	}
}

// TestFailedStepLines cuts a real-shaped job log: only the failed step,
// its last lines, no timestamps, colours, header group or exit-code line.
func TestFailedStepLines(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/job.log")
	if err != nil {
		t.Fatal(err)
	}
	got := ghapi.FailedStepLines(string(b), 5)
	want := []string{
		"::warning::not a command here",
		"[toall] from a test",
		"FAIL",
		"FAIL\tgithub.com/octo-org/octo-repo/internal/app\t0.301s",
		"FAIL",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if all := ghapi.FailedStepLines(string(b), 100); all[0] != "ok  \tgithub.com/octo-org/octo-repo/internal/config\t0.211s" || all[1] != "--- FAIL: TestRetry (0.20s)" {
		t.Errorf("whole step: %q", all)
	}
	if got := ghapi.FailedStepLines("2026-11-30T10:00:00Z ##[group]Run true\n2026-11-30T10:00:00Z ##[endgroup]\nok\n", 5); got != nil {
		t.Errorf("a log without errors gave %q", got)
	}
}
