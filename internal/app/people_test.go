package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/golden"
)

// Chatwork accounts of the people tests, with the names their profiles
// show.
const (
	satoID   = int64(1001) // octocat
	suzukiID = int64(1002) // mona, and in the reviewers team
	tanakaID = int64(1003) // Codertocat, a PR author
)

// withPeople makes the room's members the three people (and the bot).
func withPeople(h *harness) *harness {
	h.srv.AddMember(testRoom, satoID, suzukiID, tanakaID)
	h.srv.SetName(satoID, "Sato Taro")
	h.srv.SetName(suzukiID, "鈴木 花子")
	h.srv.SetName(tanakaID, "Tanaka [toall] Jiro")
	return h
}

// TestPeopleGolden runs whole notifications of the conversation events and
// the values and recovery features in both languages and compares the
// posted message with testdata/golden/<lang>/<case>.txt (go test -update
// rewrites them).
func TestPeopleGolden(t *testing.T) {
	t.Parallel()
	mentions := "octocat: 1001\nmona: 1002\ncodertocat: 1003\n@Octocoders/reviewers: 1001, 1002, 1999\nhubot-unmapped-on-purpose: 1004"
	tests := []struct {
		name    string
		event   string
		fixture string
		inputs  map[string]string
		before  func(t *testing.T, h *harness) // runs before the notification
		want    []string                       // log lines the run must print
	}{
		{name: "review-requested-user", event: "pull_request", fixture: "pull_request.review_requested.json"},
		{name: "review-requested-team", event: "pull_request", fixture: "derived/pull_request.review_requested.team.json",
			want: []string{"account 1999 (mentions: @Octocoders/reviewers) is not a member of room 123456, so [To:1999] there notifies nobody"}},
		{name: "review-approved", event: "pull_request_review", fixture: "derived/pull_request_review.submitted.approved.json"},
		{name: "changes-requested", event: "pull_request_review", fixture: "derived/pull_request_review.submitted.changes_requested.json"},
		{name: "comment-mentions", event: "issue_comment", fixture: "derived/issue_comment.created.mentions.json"},
		{name: "recovered", event: "push", fixture: "push.new-branch.json",
			inputs: map[string]string{"status": "success", "task-to": "1001, 1002"},
			before: func(t *testing.T, h *harness) {
				h.input("status", "failure")
				if err := h.run(); err != nil || len(h.srv.Tasks(testRoom)) != 2 {
					t.Fatalf("the failure run: %v, %d tasks\n%s", err, len(h.srv.Tasks(testRoom)), h.stdout.String())
				}
				h.input("status", "success")
			}},
		{name: "values-hostile", event: "push", fixture: "push.new-branch.json",
			inputs: map[string]string{"status": "success",
				"values":       "version: v1.2.3 [toall]\nnote: ::error::pwned [To:1] [/info]",
				"success-text": "🚀 Deployed {{ .Values.version }} ({{ .Values.note }}) [To:1001]"}},
	}
	for _, lang := range []string{"en", "ja"} {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				h := withPeople(newHarness(t)).event(tc.event, "../../testdata/events/"+tc.fixture).
					input("mentions", mentions).input("language", lang)
				for k, v := range tc.inputs {
					h.input(k, v)
				}
				if tc.before != nil {
					tc.before(t, h)
				}
				if err := h.run(); err != nil {
					t.Fatalf("%v\n%s", err, h.stdout.String())
				}
				for _, w := range tc.want {
					if !strings.Contains(h.stdout.String(), w) {
						t.Errorf("log lacks %q:\n%s", w, h.stdout.String())
					}
				}
				msgs := h.srv.Messages(testRoom)
				compareAppGolden(t, filepath.Join(lang, tc.name), msgs[len(msgs)-1].Body)
				if tc.name == "recovered" {
					for _, task := range h.srv.Tasks(testRoom) {
						if task.Status != "done" {
							t.Errorf("task %d is %s after the recovery", task.ID, task.Status)
						}
					}
				}
			})
		}
	}
}

func compareAppGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), got)
}

// TestCloseTasksOnlyOurs: a success closes the open failure tasks this
// action created for the same repository, workflow and branch, and no
// other: not another branch's, not a person's with the same text, not one
// already done, not without close-tasks.
func TestCloseTasksOnlyOurs(t *testing.T) {
	t.Parallel()
	h := withPeople(newHarness(t)).input("task-to", "1001")
	h.input("status", "failure")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	ours := h.srv.Tasks(testRoom)[0]
	if !strings.HasSuffix(ours.Body, "\nchatwork-notify: octo-org/octo-repo · CI · master") {
		t.Fatalf("the task does not end with its marker:\n%s", ours.Body)
	}
	other := h.srv.SeedTask(testRoom, testAccount, satoID, strings.Replace(ours.Body, "· master", "· release", 1))
	persons := h.srv.SeedTask(testRoom, satoID, suzukiID, ours.Body)

	h.input("status", "success").input("close-tasks", "false")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	for _, task := range h.srv.Tasks(testRoom) {
		if task.Status != "open" {
			t.Fatalf("close-tasks: false closed task %d", task.ID)
		}
	}

	h.input("close-tasks", "")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, task := range h.srv.Tasks(testRoom) {
		if want := map[bool]string{true: "done", false: "open"}[task.ID == ours.ID]; task.Status != want {
			t.Errorf("task %d (ours %d, other branch %d, a person's %d) is %s, want %s", task.ID, ours.ID, other, persons, task.Status, want)
		}
	}
	if body := h.outputs()["body"]; !strings.Contains(body, "Closed 1 failure task opened by the earlier failure.") {
		t.Errorf("body:\n%s", body)
	}
	if !strings.Contains(h.stdout.String(), "closed failure task") {
		t.Errorf("the room line does not say which tasks were closed:\n%s", h.stdout.String())
	}
}

// TestMembersOnlyWhenSomeoneIsAddressed: the room's members are read once
// per room when the message addresses someone, and never otherwise.
func TestMembersOnlyWhenSomeoneIsAddressed(t *testing.T) {
	t.Parallel()
	count := func(h *harness) int {
		n := 0
		for _, r := range h.srv.Requests() {
			if strings.HasSuffix(r.Path, "/members") {
				n++
			}
		}
		return n
	}
	h := withPeople(newHarness(t)).input("status", "success").input("mentions", "octocat: 1001")
	if err := h.run(); err != nil || count(h) != 0 {
		t.Errorf("nobody addressed: %v, %d member reads", err, count(h))
	}
	h.input("status", "failure")
	if err := h.run(); err != nil || count(h) != 1 {
		t.Errorf("octocat addressed: %v, %d member reads", err, count(h))
	}
	if first, _, _ := strings.Cut(h.outputs()["body"], "\n"); first != "[To:1001] Sato Taro" {
		t.Errorf("first line %q", first)
	}
}

// TestCloseTasksOnlyThisFailure: a success closes a failure task only when
// the task's last line is the marker of the same repository, workflow and
// branch — not a branch whose name starts the same, not a fork's branch of
// the same name, not a task that quotes the marker elsewhere — and the
// room hears only of the tasks that were really closed.
func TestCloseTasksOnlyThisFailure(t *testing.T) {
	t.Parallel()
	const marker = "chatwork-notify: octo-org/octo-repo · CI · master"
	h := withPeople(newHarness(t)).input("task-to", "1001").input("status", "success")
	ours := h.srv.SeedTask(testRoom, testAccount, satoID, "❌ CI failed on master\n"+marker)
	notOurs := map[string]int64{}
	for name, body := range map[string]string{
		"master-hotfix":   "❌ CI failed\n" + marker + "-hotfix",
		"maintenance":     "❌ CI failed\nchatwork-notify: octo-org/octo-repo · CI · maintenance",
		"master/v2":       "❌ CI failed\n" + marker + "/v2",
		"fork's master":   "❌ CI failed\nchatwork-notify: octo-org/octo-repo · CI · forker/octo-repo:master",
		"other workflow":  "❌ Deploy failed\nchatwork-notify: octo-org/octo-repo · Deploy · master",
		"quoted marker":   "❌ CI failed on release\nCommit: " + marker + "\nchatwork-notify: octo-org/octo-repo · CI · release",
		"marker mid-body": marker + "\nmore text",
	} {
		notOurs[name] = h.srv.SeedTask(testRoom, testAccount, satoID, body)
	}
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, task := range h.srv.Tasks(testRoom) {
		if want := map[bool]string{true: "done", false: "open"}[task.ID == ours]; task.Status != want {
			t.Errorf("task %d %q is %s, want %s (ours %d, others %v)", task.ID, task.Body, task.Status, want, ours, notOurs)
		}
	}
	if body := h.outputs()["body"]; !strings.Contains(body, "Closed 1 failure task") {
		t.Errorf("body:\n%s", body)
	}
}

// TestForkSuccessClosesNothingOfOurs: a fork's pull request from its own
// master that passes (pull_request_target) does not close this
// repository's master tasks, and does not say "Recovered".
func TestForkSuccessClosesNothingOfOurs(t *testing.T) {
	t.Parallel()
	payload, err := os.ReadFile("../../testdata/events/pull_request.synchronize.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	head := ev["pull_request"].(map[string]any)["head"].(map[string]any)
	head["ref"] = "master"
	head["repo"].(map[string]any)["full_name"] = "forker/octo-repo"
	fork, _ := json.Marshal(ev)
	h := withPeople(newHarness(t)).input("task-to", "1001").input("status", "success").eventJSON("pull_request_target", fork)
	ours := h.srv.SeedTask(testRoom, testAccount, satoID, "❌ CI failed on master\nchatwork-notify: octo-org/octo-repo · CI · master")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if task := h.srv.Tasks(testRoom)[0]; task.ID != ours || task.Status != "open" {
		t.Errorf("the fork's success closed task %+v", task)
	}
	if body := h.outputs()["body"]; strings.Contains(body, "Recovered") || strings.Contains(body, "Closed") {
		t.Errorf("body:\n%s", body)
	}
}

// TestUnclosedTasksAreNotAnnounced: when Chatwork refuses to close a task,
// the message does not count it and a warning names it.
func TestUnclosedTasksAreNotAnnounced(t *testing.T) {
	t.Parallel()
	h := withPeople(newHarness(t)).input("task-to", "1001").input("status", "success")
	id := h.srv.SeedTask(testRoom, testAccount, satoID, "❌ CI failed on master\nchatwork-notify: octo-org/octo-repo · CI · master")
	h.srv.Inject(chatworktest.Fault{Method: "PUT", Path: "/status", Status: 403, Times: chatworktest.Always})
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if body := h.outputs()["body"]; strings.Contains(body, "Closed") || strings.Contains(body, "Recovered") {
		t.Errorf("the message announces tasks that were not closed:\n%s", body)
	}
	if want := fmt.Sprintf("::warning::room %d: could not mark failure task %d done", testRoom, id); !strings.Contains(h.stdout.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, h.stdout.String())
	}
}

// TestWorkflowRunTaskDescribesTheReportedRun: a workflow_run failure's task
// names the reported workflow and links its run, not the notifier's; its
// marker is that workflow's, so another workflow's success does not close
// it.
func TestWorkflowRunTaskDescribesTheReportedRun(t *testing.T) {
	t.Parallel()
	h := withPeople(newHarness(t)).input("task-to", "1001").event("workflow_run", "../../testdata/events/derived/workflow_run.completed.failure.json")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	task := h.srv.Tasks(testRoom)[0]
	for _, want := range []string{"test failed", "https://github.com/octo-org/octo-repo/actions/runs/289782451", "\nchatwork-notify: octo-org/octo-repo · test · master"} {
		if !strings.Contains(task.Body, want) {
			t.Errorf("task lacks %q:\n%s", want, task.Body)
		}
	}
	if strings.Contains(task.Body, "1658821493") || strings.Contains(task.Body, "CI failed") {
		t.Errorf("task describes the notifier's own run:\n%s", task.Body)
	}
	other := h.srv.SeedTask(testRoom, testAccount, satoID, "❌ CI failed\nchatwork-notify: octo-org/octo-repo · CI · master")
	h.input("status", "").event("workflow_run", "../../testdata/events/workflow_run.completed.success.json")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, tk := range h.srv.Tasks(testRoom) {
		if want := map[bool]string{true: "done", false: "open"}[tk.ID == task.ID]; tk.Status != want {
			t.Errorf("task %d is %s, want %s (the reported workflow's %d, another's %d)", tk.ID, tk.Status, want, task.ID, other)
		}
	}
}

// TestEveryOneLinerIsCheckedUpFront: a typo in the one-liner of an
// outcome that is not at hand (failure-text on a green run, a texts line)
// is an input error before any request, not a lost message on the first
// red run.
func TestEveryOneLinerIsCheckedUpFront(t *testing.T) {
	t.Parallel()
	for name, in := range map[string][2]string{
		"failure-text on a success": {"failure-text", "Rolled back {{ .Valuez.previous }}"},
		"texts on a success":        {"texts", "cancelled: {{ .Nope }}"},
		"success-text on a failure": {"success-text", "{{ .Values.version | printf \"%d\" 1 2 }} {{ .Missing }}"},
	} {
		t.Run(name, func(t *testing.T) {
			status := "success"
			if in[0] == "success-text" {
				status = "failure"
			}
			h := newHarness(t).input("status", status).input(in[0], in[1])
			err := h.run()
			if err == nil || !strings.Contains(h.stdout.String(), "::error::") {
				t.Fatalf("no error:\n%s", h.stdout.String())
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests before the error", n)
			}
		})
	}
}
