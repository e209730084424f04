package render

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghapi"
	"github.com/chatwork-notify/chatwork-notify/internal/junit"
)

// TestDetailsGolden renders the failures that details explain, in every
// language, from what the readers really produce: a failed Go test job
// (its gotestsum report), a failed lint job (annotations and the log's
// last lines), report: run over a six-job matrix, and a cancelled run
// whose job had annotations.
func TestDetailsGolden(t *testing.T) {
	t.Parallel()
	for _, l := range Languages {
		for name, build := range map[string]func(*testing.T) *event.Summary{
			"details.go-test":    goTestFailure,
			"details.lint":       lintFailure,
			"details.report-run": matrixReport,
			"details.cancelled":  cancelledRun,
		} {
			t.Run(l+"/"+name, func(t *testing.T) {
				s := build(t)
				s.Language = l
				compareGolden(t, l+"/"+name, renderBuiltin(t, s))
			})
		}
	}
}

const runURL = "https://github.com/octo-org/octo-repo/actions/runs/1658821493"

// goTestFailure: the notifier is the last step of the job whose go test
// step failed; test-results names gotestsum's report.
func goTestFailure(t *testing.T) *event.Summary {
	s := loadFixture(t, "../../testdata/events/push.new-branch.json", "failure", nil)
	s.Jobs = []event.Job{{ID: 901, Name: "test", Status: "in_progress", Conclusion: "failure", Current: true, URL: runURL + "/job/901",
		FailedSteps: []event.Step{{Name: "go test", Number: 4}}}}
	tests, warnings := junit.Read(context.Background(), junit.Options{Workspace: "../junit/testdata", Globs: []string{"gotestsum.xml", "go-junit-report.xml"}, MaxBytes: 50 << 20})
	if len(warnings) > 0 {
		t.Fatal(warnings)
	}
	s.Tests = tests
	return s
}

// lintFailure: a separate lint job failed; its annotations (as
// golangci-lint writes them through the problem matcher) and the last
// lines of its failed step are the reasons.
func lintFailure(t *testing.T) *event.Summary {
	s := loadFixture(t, "../../testdata/events/push.new-branch.json", "failure", nil)
	log := strings.Join([]string{
		"2026-11-30T10:12:04.0000000Z ##[group]Run golangci-lint run ./...",
		"2026-11-30T10:12:04.0000000Z golangci-lint run ./...",
		"2026-11-30T10:12:04.0000000Z ##[endgroup]",
		"2026-11-30T10:12:30.0000000Z internal/app/app.go:42:12: Error return value of `f.Close` is not checked (errcheck)",
		"2026-11-30T10:12:30.0000000Z \tdefer f.Close()",
		"2026-11-30T10:12:30.0000000Z \t           ^",
		"2026-11-30T10:12:30.0000000Z internal/config/config.go:88:2: ineffectual assignment to err (ineffassign) [toall]",
		"2026-11-30T10:12:30.0000000Z 2 issues:",
		"2026-11-30T10:12:30.0000000Z * errcheck: 1",
		"2026-11-30T10:12:30.0000000Z * ineffassign: 1",
		"2026-11-30T10:12:30.1000000Z ##[error]Process completed with exit code 1.",
	}, "\n")
	lint := event.Job{ID: 902, Name: "lint", Status: "completed", Conclusion: "failure", URL: runURL + "/job/902",
		FailedSteps: []event.Step{{Name: "golangci-lint", Number: 3}},
		Annotations: []event.Annotation{
			{Level: "failure", Path: "internal/app/app.go", Line: 42, Message: "Error return value of `f.Close` is not checked (errcheck)"},
			{Level: "failure", Path: "internal/config/config.go", Line: 88, Message: "ineffectual assignment to err (ineffassign) [toall]"},
			{Level: "warning", Path: ".golangci.yml", Line: 3, Message: "the linter 'golint' is deprecated"},
		},
		Log: strings.Join(ghapi.FailedStepLines(log, 5), "\n"),
	}
	s.Jobs = []event.Job{lint, {ID: 903, Name: "notify", Status: "in_progress", Conclusion: "failure", Current: true}}
	s.FailedJobs = s.Jobs[:1]
	return s
}

// cancelledRun: a run cancelled while its lint job had already written
// annotations; the box lists them as the job's details (no tests, and no
// failure to explain).
func cancelledRun(t *testing.T) *event.Summary {
	s := lintFailure(t)
	c := loadFixture(t, "../../testdata/events/push.new-branch.json", "cancelled", nil)
	c.Jobs = s.Jobs
	c.Jobs[0].Conclusion, c.Jobs[0].Log = "cancelled", ""
	c.Jobs[1].Conclusion = "cancelled"
	return c
}

// matrixReport: a final notify job (needs: all, if: always()) reports on
// the run: six jobs, one failed with an annotation, one skipped.
func matrixReport(t *testing.T) *event.Summary {
	s := loadFixture(t, "../../testdata/events/push.new-branch.json", "success", nil)
	job := func(id int64, name, conclusion string) event.Job {
		return event.Job{ID: id, Name: name, Status: "completed", Conclusion: conclusion, URL: fmt.Sprintf("%s/job/%d", runURL, id)}
	}
	s.Jobs = []event.Job{
		job(911, "test (ubuntu-latest, 1.25)", "success"),
		job(912, "test (ubuntu-latest, 1.26)", "success"),
		job(913, "test (macos-latest, 1.26)", "failure"),
		job(914, "test (windows-latest, 1.26)", "success"),
		job(915, "lint", "success"),
		job(916, "deploy-docs", "skipped"),
		{ID: 917, Name: "notify", Status: "in_progress", Conclusion: "success", Current: true},
	}
	s.Jobs[2].FailedSteps = []event.Step{{Name: "go test", Number: 4}}
	s.Jobs[2].Annotations = []event.Annotation{{Level: "failure", Path: "internal/app/app_test.go", Line: 120, Message: "TestTempDir: open /tmp/x: operation not permitted"}}
	rep, worst := event.ReportRun(s.Jobs)
	s.Report = rep
	s.SetOutcome(worst)
	s.FailedJobs = []event.Job{s.Jobs[2]}
	return s
}

// TestDetailsGiveWayFirst: a message too long for Chatwork loses its
// details first; the facts of the main box stay whole.
func TestDetailsGiveWayFirst(t *testing.T) {
	t.Parallel()
	s := lintFailure(t)
	b, err := os.ReadFile("../ghapi/testdata/job.log")
	if err != nil {
		t.Fatal(err)
	}
	s.Jobs[0].Log = strings.Repeat(string(b), 200) // ~400 KB
	s.Commit.Message = strings.Repeat("a long commit message ", 1000)
	got := renderBuiltin(t, s)
	if len(got) > MaxBodyBytes {
		t.Fatalf("%d bytes", len(got))
	}
	for _, want := range []string{"Commit: Initial commit", "Failed jobs:", "Run: " + runURL, "🔍 Why it failed", "internal/app/app.go:42"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if !strings.Contains(got, "[code]") || strings.Count(got, "Requested labels") > 150 {
		t.Errorf("the log was not shortened to fit")
	}
}
