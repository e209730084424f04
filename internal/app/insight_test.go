package app_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/ghapi/ghapitest"
	"github.com/google/go-github/v60/github"
)

const ghToken = "ghs_fakeinstallationtoken0123456789"

// withGitHub points the harness at a fake GitHub API (GHES-style path)
// holding the current run 1658821493 of workflow 77 on main.
func withGitHub(h *harness) *ghapitest.Server {
	gh := ghapitest.New(h.t, ghToken, "/api/v3")
	h.env["GITHUB_API_URL"] = gh.APIURL()
	h.env["RUNNER_NAME"] = "GitHub Actions 3"
	h.input("github-token", ghToken)
	gh.AddRun(ghRun(1658821493, 42, "in_progress", ""))
	h.clock.Set(start.Add(3*time.Minute + 12*time.Second)) // the run started 3m12s ago
	return gh
}

// start is when the runs and jobs of the fake GitHub began; withGitHub
// puts the harness clock 3m12s after it.
var start = time.Now().Add(-3*time.Minute - 12*time.Second)

func ghRun(id int64, number int, status, conclusion string) *github.WorkflowRun {
	r := &github.WorkflowRun{
		ID: github.Int64(id), WorkflowID: github.Int64(77), RunNumber: github.Int(number),
		HeadBranch: github.String("main"), Status: github.String(status),
		RunStartedAt: &github.Timestamp{Time: start}, UpdatedAt: &github.Timestamp{Time: start.Add(time.Minute)},
	}
	if conclusion != "" {
		r.Conclusion = github.String(conclusion)
	}
	return r
}

func ghJob(name, status, conclusion, runner string, failedSteps ...string) *github.WorkflowJob {
	j := &github.WorkflowJob{
		Name: github.String(name), Status: github.String(status), RunnerName: github.String(runner),
		HTMLURL:   github.String("https://github.com/octo-org/octo-repo/actions/runs/1658821493/job/" + strings.ReplaceAll(name, " ", "-")),
		StartedAt: &github.Timestamp{Time: start},
	}
	if conclusion != "" {
		j.Conclusion = github.String(conclusion)
		j.CompletedAt = &github.Timestamp{Time: start.Add(time.Minute)}
	}
	for i, s := range failedSteps {
		j.Steps = append(j.Steps, &github.TaskStep{Name: github.String(s), Number: github.Int64(int64(i + 2)), Conclusion: github.String("failure")})
	}
	return j
}

func TestFailureListsFailedJobs(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure")
	gh := withGitHub(h)
	gh.SetJobs(1658821493,
		ghJob("lint", "completed", "success", "r1"),
		ghJob("test (ubuntu, 20)", "completed", "failure", "r2", "npm test"),
		ghJob("test (windows, 20)", "completed", "failure", "r3", "npm ci", "npm test"),
		ghJob("notify", "in_progress", "", "GitHub Actions 3"),
	)
	h.input("template", "{{ template \"x\" . }}{{ define \"x\" }}{{ .Duration }}|{{ range .Jobs }}{{ .Name }}={{ .Conclusion }}/{{ .Duration }} {{ end }}{{ end }}")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.outputs()["body"]
	if body != "3m12s|lint=success/1m test (ubuntu, 20)=failure/1m test (windows, 20)=failure/1m notify=failure/3m12s " {
		t.Errorf("custom template: %q", body)
	}

	h.input("template", "")
	h.srv.AddRoom(testRoom, testAccount)
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	body = h.outputs()["body"]
	for _, want := range []string{
		"Failed jobs:",
		"- test (ubuntu, 20) (failed step: npm test) https://github.com/octo-org/octo-repo/actions/runs/1658821493/job/test-(ubuntu,-20)",
		"- test (windows, 20) (failed steps: npm ci, npm test)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("built-in failure message lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "- lint") || strings.Contains(body, "- notify") {
		t.Errorf("a successful job is listed as failed:\n%s", body)
	}
	if strings.Contains(h.stdout.String(), "::warning::") {
		t.Errorf("unexpected warning:\n%s", h.stdout.String())
	}
	noToken(t, h)
	if strings.Contains(strings.ReplaceAll(h.stdout.String(), "::add-mask::"+ghToken+"\n", "")+h.readFile("output")+h.summary(), ghToken) {
		t.Error("the GitHub token leaked")
	}
}

func TestNotifyWhenChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("notify-when", "change")
	gh := withGitHub(h)
	gh.SetJobs(1658821493)
	steps := []struct {
		name       string
		prevRuns   []*github.WorkflowRun // completed runs before this one
		status     string
		wantPosted bool
	}{
		{"first failure after success", []*github.WorkflowRun{ghRun(10, 38, "completed", "success")}, "failure", true},
		{"second consecutive failure", []*github.WorkflowRun{ghRun(11, 39, "completed", "failure")}, "failure", false},
		{"recovery (a cancelled run in between)", []*github.WorkflowRun{ghRun(12, 40, "completed", "cancelled")}, "success", true},
		{"success again", []*github.WorkflowRun{ghRun(13, 41, "completed", "success")}, "success", false},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			for _, r := range st.prevRuns {
				gh.AddRun(r)
			}
			h.input("status", st.status).input("template", "run {{.RunID}} "+st.status+" step "+string(rune('0'+i)))
			before := h.posts()
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			posted := h.posts() > before
			out := h.outputs()
			if posted != st.wantPosted || out["skipped"] != map[bool]string{true: "false", false: "true"}[st.wantPosted] {
				t.Fatalf("posted=%v outputs %q, want posted=%v\n%s", posted, out, st.wantPosted, h.stdout.String())
			}
			if !posted && !strings.Contains(h.stdout.String(), "notify-when is change") {
				t.Errorf("the log does not say why nothing was posted:\n%s", h.stdout.String())
			}
		})
	}
}

func TestNotifyWhenChangeWithoutHistoryPosts(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("notify-when", "change").input("status", "failure")
	gh := withGitHub(h)
	gh.SetJobs(1658821493)
	if err := h.run(); err != nil || h.posts() != 1 {
		t.Fatalf("first ever run: %v, %d posts", err, h.posts())
	}
}

func TestNotifyWhenFailure(t *testing.T) {
	t.Parallel()
	for status, wantPost := range map[string]bool{"success": false, "skipped": false, "action_required": false, "failure": true, "timed_out": true, "cancelled": true} {
		h := newHarness(t).input("notify-when", "failure").input("status", status)
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if (h.posts() == 1) != wantPost {
			t.Errorf("%s: %d posts", status, h.posts())
		}
		if !wantPost {
			out := h.outputs()
			if out["skipped"] != "true" || out["body"] == "" || len(h.srv.Requests()) != 0 {
				t.Errorf("%s: outputs %q, %d requests", status, out, len(h.srv.Requests()))
			}
			if !strings.Contains(h.stdout.String(), "notify-when is failure and the outcome is "+status) {
				t.Errorf("%s: log %q", status, h.stdout.String())
			}
		}
	}
}

func TestMentionsOfAMappedPRAuthorOnFailureOnly(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"failure", "success"} {
		h := newHarness(t).event("pull_request", "../../testdata/events/pull_request.opened.json").
			input("status", status).
			input("mentions", "codertocat: 1234567\nsomeone-else: 42").
			input("to", "999")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		body := h.outputs()["body"]
		first, _, _ := strings.Cut(body, "\n")
		want := "[To:999]"
		if status == "failure" {
			want = "[To:999] [To:1234567] Codertocat"
		}
		if first != want {
			t.Errorf("%s: first line %q, want %q\n%s", status, first, want, body)
		}
		if strings.Contains(body, "[To:42]") {
			t.Errorf("unrelated person mentioned")
		}
	}
}

func TestNoPermissionStillPostsWithOneWarning(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("notify-when", "change")
	gh := withGitHub(h)
	gh.Forbid()
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if h.posts() != 1 {
		t.Fatalf("%d posts", h.posts())
	}
	log := h.stdout.String()
	if n := strings.Count(log, "::warning::"); n != 1 || !strings.Contains(log, "actions: read") || !strings.Contains(log, "Resource not accessible by integration") {
		t.Errorf("want exactly one warning naming the permission:\n%s", log)
	}
	if strings.Contains(h.outputs()["body"], "Failed jobs") {
		t.Error("job details without permission?")
	}
}

func TestNoGitHubTokenWarnsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(h.stdout.String(), "::warning::"); n != 1 || !strings.Contains(h.stdout.String(), "github-token is empty") {
		t.Errorf("log:\n%s", h.stdout.String())
	}
}

func TestWorkflowRunEventDescribesThatRun(t *testing.T) {
	t.Parallel()
	var ev map[string]any
	b, _ := os.ReadFile("../../testdata/events/derived/workflow_run.completed.failure.json")
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	reported := int64(ev["workflow_run"].(map[string]any)["id"].(float64))
	h := newHarness(t).event("workflow_run", "../../testdata/events/derived/workflow_run.completed.failure.json")
	gh := withGitHub(h)
	done := ghRun(reported, 163, "completed", "failure")
	done.UpdatedAt = &github.Timestamp{Time: start.Add(2*time.Minute + 5*time.Second)}
	gh.AddRun(done)
	gh.SetJobs(reported, ghJob("build", "completed", "failure", "r9", "make"), ghJob("lint", "completed", "success", "r8"))
	h.input("template", "{{.Status}} {{.Duration}} {{range .FailedJobs}}{{.Name}}:{{join \",\" .FailedSteps}}{{end}}")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if got := h.outputs()["body"]; got != "failure 2m5s build:make" {
		t.Errorf("body %q", got)
	}
}

func TestCustomTemplateWithoutMentionsStillAddresses(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("to", "999").input("mentions", "octocat: 5").input("template", "build broke")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if got := h.outputs()["body"]; got != "[To:999] [To:5] octocat\nbuild broke" {
		t.Errorf("body %q", got)
	}
	h.input("template", "{{.Mentions}} — build broke")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if got := h.outputs()["body"]; got != "[To:999] [To:5] octocat — build broke" {
		t.Errorf("a template that places .Mentions itself: %q", got)
	}
}

// TestGiteaAPIWithoutActionsEndpoints: Gitea and Forgejo run the action
// with a GitHub-like API that lacks some Actions endpoints (404) or has
// nothing to list: the message is posted without job details, the log
// says so in a notice, and there is no warning or error.
func TestGiteaAPIWithoutActionsEndpoints(t *testing.T) {
	t.Parallel()
	for _, variable := range []string{"GITEA_ACTIONS", "FORGEJO_ACTIONS"} {
		t.Run(variable, func(t *testing.T) {
			h := newHarness(t).input("status", "failure").input("log-lines", "5")
			h.env[variable] = "true"
			gh := withGitHub(h)
			gh.Lack("/actions/runs/1658821493", "/check-runs/")
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			log := h.stdout.String()
			if strings.Contains(log, "::warning") || strings.Contains(log, "::error") || !strings.Contains(log, "::notice::this server's API does not answer for the workflow run") {
				t.Errorf("log:\n%s", log)
			}
			if len(h.srv.Messages(testRoom)) != 1 {
				t.Error("nothing was posted")
			}
		})
	}
}
