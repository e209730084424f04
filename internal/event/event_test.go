package event

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, name, fixture string, env map[string]string, status string) (*Summary, []Note) {
	t.Helper()
	s, warnings, err := Load(Options{
		Getenv:    func(k string) string { return env[k] },
		EventName: name,
		EventPath: fixture,
		Status:    status,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, warnings
}

const fixtures = "../../testdata/events/"

// TestOutcomePrecedence: an event that reports on something that ran
// keeps its own outcome whatever the status input says (with a notice);
// otherwise the input is the outcome; with neither, none.
func TestOutcomePrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, fixture, input, want string
		class                      Class
		notice                     bool
	}{
		{"event wins over the input", "derived/workflow_run.completed.failure.json", "success", "failure", ClassFailed, true},
		{"agreeing input: no notice", "derived/workflow_run.completed.failure.json", "failure", "failure", ClassFailed, false},
		{"workflow_run conclusion", "derived/workflow_run.completed.failure.json", "", "failure", ClassFailed, false},
		{"workflow_run success", "workflow_run.completed.success.json", "", "success", ClassSucceeded, false},
		{"check_suite conclusion", "check_suite.completed.json", "", "success", ClassSucceeded, false},
		{"workflow_job conclusion", "workflow_job.completed.failure.json", "", "failure", ClassFailed, false},
		{"deployment failure", "derived/deployment_status.created.failure.json", "success", "failure", ClassFailed, true},
		{"deployment in progress", "deployment_status.created.in_progress.json", "", "in_progress", ClassInProgress, false},
		{"push: the input", "push.new-branch.json", "failure", "failure", ClassFailed, false},
		{"push without input: none", "push.new-branch.json", "", "", ClassNone, false},
		{"pull request opened: none", "pull_request.opened.json", "", "", ClassNone, false},
		{"timed_out is a failure", "push.new-branch.json", "timed_out", "timed_out", ClassFailed, false},
		{"action_required needs attention", "push.new-branch.json", "action_required", "action_required", ClassAttention, false},
		{"canceled spelling", "push.new-branch.json", "Canceled", "cancelled", ClassCancelled, false},
		{"skipped", "push.new-branch.json", "skipped", "skipped", ClassNeutral, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, _, _ := strings.Cut(filepath.Base(tc.fixture), ".")
			s, notes := load(t, ev, fixtures+tc.fixture, nil, tc.input)
			if s.Status != tc.want || s.Outcome != tc.class || s.StatusIcon != tc.class.Icon() {
				t.Errorf("status %q class %q icon %q, want %q %q", s.Status, s.Outcome, s.StatusIcon, tc.want, tc.class)
			}
			notice := false
			for _, n := range notes {
				notice = notice || n.Notice
			}
			if notice != tc.notice {
				t.Errorf("notes %+v, want a notice: %v", notes, tc.notice)
			}
		})
	}
}

func TestPullRequestTargetIsItsOwnType(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"pull_request", "pull_request_target"} {
		s, w := load(t, name, fixtures+"derived/pull_request.closed.merged.json", map[string]string{"GITHUB_HEAD_REF": "changes"}, "")
		if len(w) != 0 || !s.PR.Merged || s.PR.Number != 2 || s.PR.MergedBy != "Codertocat" || s.Branch != "changes" {
			t.Errorf("%s: %+v, warnings %v", name, s.PR, w)
		}
	}
}

func TestNullsAndBarePayloads(t *testing.T) {
	t.Parallel()
	env := map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": "abcdef0123456789"}
	s, _ := load(t, "push", fixtures+"push.tag-deleted.json", nil, "")
	if s.Commit != (Commit{}) || s.SHA != "" || s.Tag != "simple-tag" {
		t.Errorf("tag delete: commit %+v sha %q tag %q", s.Commit, s.SHA, s.Tag)
	}
	s, w := load(t, "schedule", fixtures+"schedule.json", env, "")
	if len(w) != 0 || s.Repo != "o/r" || s.Branch != "main" || s.ShortSHA != "abcdef0" || s.Payload["schedule"] != "*/15 * * * *" {
		t.Errorf("schedule: %+v, %v", s, w)
	}
	s, _ = load(t, "pull_request", fixtures+"pull_request.opened.null-body.json", nil, "")
	if s.PR.Title == "" {
		t.Error("null body broke the PR")
	}
	s, _ = load(t, "dynamic", "", env, "")
	if s.Event != "dynamic" || s.Repo != "o/r" || len(s.Payload) != 0 {
		t.Errorf("no event file: %+v", s)
	}
}

func TestCreateAndDeleteDescribeTheirRef(t *testing.T) {
	t.Parallel()
	s, _ := load(t, "create", fixtures+"create.tag.json", map[string]string{"GITHUB_REF": "refs/tags/simple-tag"}, "")
	if s.Tag != "simple-tag" || s.Branch != "" || s.Ref != "refs/tags/simple-tag" {
		t.Errorf("%+v", s)
	}
}

func TestWorkflowRunDescribesTheReportedRun(t *testing.T) {
	t.Parallel()
	env := map[string]string{"GITHUB_REF": "refs/heads/default", "GITHUB_SHA": "ffffffffffffffffff"}
	s, _ := load(t, "workflow_run", fixtures+"workflow_run.completed.success.with-pull-requests.json", env, "")
	if s.WorkflowRun.Name != "test" || s.WorkflowRun.RunNumber != 163 || s.Branch != "master" || s.ShortSHA != "3484a3f" {
		t.Errorf("%+v / %+v", s.WorkflowRun, s)
	}
	if s.PR.Number != 2 || s.PR.Head != "changes" || s.Commit.Title != "build(test): check workflow run event payload" {
		t.Errorf("PR %+v commit %+v", s.PR, s.Commit)
	}
}

func TestLinksHonourTheServerURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{"GITHUB_SERVER_URL": "https://ghe.example.com/", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "77", "GITHUB_RUN_ATTEMPT": "3"}
	s, _ := load(t, "push", fixtures+"push.new-branch.json", env, "")
	if s.RepoURL != "https://ghe.example.com/o/r" || s.RunURL != "https://ghe.example.com/o/r/actions/runs/77" || s.RunAttempt != 3 {
		t.Errorf("%q %q", s.RepoURL, s.RunURL)
	}
}

func TestPayloadKeepsNumbers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "e.json")
	os.WriteFile(path, []byte(`{"id": 1897000000000000001, "x": null}`), 0o644)
	s, _ := load(t, "custom", path, nil, "")
	if n, ok := s.Payload["id"].(json.Number); !ok || n.String() != "1897000000000000001" {
		t.Errorf("payload id %#v", s.Payload["id"])
	}
}

func TestBadEventFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"ref": `), 0o644)
	for _, path := range []string{bad, filepath.Join(dir, "missing.json")} {
		_, _, err := Load(Options{Getenv: func(string) string { return "" }, EventName: "push", EventPath: path})
		if err == nil || !strings.Contains(err.Error(), "event file") {
			t.Errorf("%s: err %v", path, err)
		}
	}
	mismatched := filepath.Join(dir, "m.json")
	os.WriteFile(mismatched, []byte(`{"ref": 5}`), 0o644)
	s, w, err := Load(Options{Getenv: func(string) string { return "" }, EventName: "push", EventPath: mismatched})
	if err != nil || len(w) != 1 || s == nil {
		t.Errorf("a payload of the wrong shape should warn, not fail: %v %v", w, err)
	}
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	if _, _, err := Load(Options{Getenv: func(string) string { return "" }, EventName: "push", EventPath: empty}); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

// TestReportRun: jobs counted by result, most severe first, without the
// notifier's own job; unfinished jobs count only when the notifier's job
// is known (else one of them is it).
func TestReportRun(t *testing.T) {
	t.Parallel()
	jobs := []Job{
		{Name: "a", Conclusion: "success"}, {Name: "b", Conclusion: "skipped"}, {Name: "c", Conclusion: "timed_out"},
		{Name: "d", Conclusion: "failure"}, {Name: "e", Conclusion: "success"}, {Name: "f", Status: "in_progress"},
		{Name: "me", Status: "in_progress", Conclusion: "success", Current: true},
	}
	rep, worst := ReportRun(jobs)
	got := ""
	for _, r := range rep.Results {
		got += fmt.Sprintf("%s%s=%d ", r.Icon, r.Result, r.Count)
	}
	if worst != "failure" || rep.Jobs != 6 || got != "❌failure=1 ❌timed_out=1 ⏳in_progress=1 ✅success=2 ⏭️skipped=1 " {
		t.Errorf("worst %q, %d jobs: %s", worst, rep.Jobs, got)
	}
	jobs[6].Current = false
	jobs[6].Conclusion = ""
	if rep, worst := ReportRun(jobs); worst != "failure" || rep.Jobs != 5 {
		t.Errorf("notifier unknown: worst %q, %d jobs", worst, rep.Jobs)
	}
	if rep, worst := ReportRun([]Job{{Current: true}}); worst != "" || rep.Jobs != 0 {
		t.Errorf("no other job: %q %d", worst, rep.Jobs)
	}
}

// TestDeletingPushNamesTheDeletedRef: for a push that deletes a branch or
// tag the runner sets GITHUB_REF and GITHUB_SHA to the default branch; the
// summary names the ref the payload says was deleted.
func TestDeletingPushNamesTheDeletedRef(t *testing.T) {
	t.Parallel()
	env := map[string]string{"GITHUB_REF": "refs/heads/master", "GITHUB_REF_NAME": "master", "GITHUB_SHA": "6113728f27ae82c7b1a177c8d03f9e96e0adf246"}
	tests := []struct{ name, payload, ref, refName, branch, tag string }{
		{"tag", `{"ref":"refs/tags/simple-tag","deleted":true,"after":"0000000000000000000000000000000000000000","head_commit":null}`,
			"refs/tags/simple-tag", "simple-tag", "", "simple-tag"},
		{"branch", `{"ref":"refs/heads/feature/x","deleted":true,"after":"0000000000000000000000000000000000000000","head_commit":null}`,
			"refs/heads/feature/x", "feature/x", "feature/x", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, err := Load(Options{Getenv: func(k string) string { return env[k] }, EventName: "push", Payload: []byte(tc.payload)})
			if err != nil {
				t.Fatal(err)
			}
			if s.Ref != tc.ref || s.RefName != tc.refName || s.Branch != tc.branch || s.Tag != tc.tag || s.SHA != "" || !s.Push.Deleted {
				t.Errorf("ref %q name %q branch %q tag %q sha %q deleted %v; want %q %q %q %q, no SHA",
					s.Ref, s.RefName, s.Branch, s.Tag, s.SHA, s.Push.Deleted, tc.ref, tc.refName, tc.branch, tc.tag)
			}
		})
	}
	s, _ := load(t, "push", fixtures+"push.tag-deleted.json", env, "")
	if s.Tag != "simple-tag" || s.RefName != "simple-tag" {
		t.Errorf("push.tag-deleted.json: tag %q ref name %q, want simple-tag", s.Tag, s.RefName)
	}
}
