package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

func TestDeployStartedThenFinishedInOneMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("template", "🚀 deploying {{.Repo}} run {{.RunID}}…")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	id := h.outputs()["message-id"]

	h.input("mode", "update").input("message-id", id).input("status", "success").
		input("template", "{{.StatusIcon}} deployed {{.Repo}} run {{.RunID}}")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	msgs := h.srv.Messages(testRoom)
	if len(msgs) != 1 || msgs[0].ID != id || msgs[0].Body != "✅ deployed octo-org/octo-repo run 1658821493" || msgs[0].UpdateTime == 0 {
		t.Fatalf("room holds %+v; want the one message edited", msgs)
	}
	out := h.outputs()
	if out["message-id"] != id || out["skipped"] != "false" || out["message-ids"] != `{"123456":"`+id+`"}` {
		t.Errorf("outputs %q", out)
	}
	reqs := h.srv.Requests()
	if last := reqs[len(reqs)-1]; last.Method != "PUT" || last.Form.Get("body") != msgs[0].Body {
		t.Errorf("last request %s %s %v", last.Method, last.Path, last.Form)
	}
	if !strings.Contains(h.summary(), "updated message "+id) {
		t.Errorf("summary %q", h.summary())
	}
}

func TestUpdateFallsBackToPosting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target func(h *harness) string
	}{
		{"vanished message", func(*harness) string { return "1897000000000009999" }},
		{"someone else's message", func(h *harness) string {
			h.srv.AddMember(testRoom, 77)
			return h.srv.Seed(testRoom, 77, "not ours")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			target := tc.target(h)
			h.input("mode", "update").input("message-id", target).input("template", "deployed")
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			out := h.outputs()
			if out["message-id"] == target || out["message-id"] == "" || h.posts() != 1 {
				t.Errorf("outputs %q after %d posts; want a new message", out, h.posts())
			}
			if !strings.Contains(h.stdout.String(), "could not be edited") || !strings.Contains(h.stdout.String(), "posted a new message instead") {
				t.Errorf("the log does not say why a new message was posted:\n%s", h.stdout.String())
			}
		})
	}
}

func TestReplyIsThreaded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddToken("other-token-0000", 555, "Deploy [Bot]")
	h.srv.AddMember(testRoom, 555)
	orig := h.srv.Seed(testRoom, 555, "deploying…")
	h.input("mode", "reply").input("message-id", "https://www.chatwork.com/#!rid123456-"+orig).input("template", "done")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	msgs := h.srv.Messages(testRoom)
	want := "[rp aid=555 to=123456-" + orig + "]Deploy [Bot]\ndone"
	if len(msgs) != 2 || msgs[1].Body != want {
		t.Fatalf("posted %q, want %q", msgs[len(msgs)-1].Body, want)
	}
	if out := h.outputs(); out["body"] != want || out["message-id"] != msgs[1].ID {
		t.Errorf("outputs %q", out)
	}
}

func TestReplyToAMissingMessagePostsPlainly(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("mode", "reply").input("message-id", "1897000000000009999").input("template", "done")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(testRoom); len(msgs) != 1 || msgs[0].Body != "done" {
		t.Errorf("%+v", msgs)
	}
	if !strings.Contains(h.stdout.String(), "cannot be found") {
		t.Errorf("log:\n%s", h.stdout.String())
	}
}

func TestTaskOnFailureOnly(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"failure", "success"} {
		t.Run(status, func(t *testing.T) {
			h := newHarness(t).input("status", status).input("task-to", "111, 222").input("task-limit", "24h")
			h.srv.AddMember(testRoom, 111, 222)
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			tasks := h.srv.Tasks(testRoom)
			out := h.outputs()
			if status == "success" {
				if len(tasks) != 0 || out["task-ids"] != "" {
					t.Errorf("tasks %+v on success", tasks)
				}
				return
			}
			if len(tasks) != 2 || tasks[0].AccountID != 111 || tasks[1].AccountID != 222 {
				t.Fatalf("tasks %+v", tasks)
			}
			deadline := h.clock.Now().Add(24 * time.Hour).Unix()
			if tasks[0].LimitType != "time" || tasks[0].Limit < deadline-5 || tasks[0].Limit > deadline+5 {
				t.Errorf("deadline %d (%s), want about %d", tasks[0].Limit, tasks[0].LimitType, deadline)
			}
			for _, want := range []string{"❌", "octo-org/octo-repo", "failed", "https://github.com/octo-org/octo-repo/actions/runs/1658821493"} {
				if !strings.Contains(tasks[0].Body, want) {
					t.Errorf("task body lacks %q: %q", want, tasks[0].Body)
				}
			}
			if want := fmt.Sprintf("%d,%d", tasks[0].ID, tasks[1].ID); out["task-ids"] != want {
				t.Errorf("task-ids %q, want %q", out["task-ids"], want)
			}
		})
	}
}

func TestTaskWithoutDeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "failure").input("task-to", "111")
	h.srv.AddMember(testRoom, 111)
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if tasks := h.srv.Tasks(testRoom); len(tasks) != 1 || tasks[0].LimitType != "none" || tasks[0].Limit != 0 {
		t.Errorf("%+v", tasks)
	}
}

func TestSeveralRoomsOneFailing(t *testing.T) {
	t.Parallel()
	for _, failOnError := range []string{"true", "false"} {
		t.Run("fail-on-error="+failOnError, func(t *testing.T) {
			h := newHarness(t).input("fail-on-error", failOnError)
			h.srv.AddRoom(222, testAccount)
			h.input("room", "123456, https://www.chatwork.com/#!rid999\n222 123456")
			err := h.run()
			wantExit := map[string]int{"true": 1, "false": 0}[failOnError]
			if app.ExitCode(err) != wantExit {
				t.Fatalf("exit %d, want %d\n%s", app.ExitCode(err), wantExit, h.stdout.String())
			}
			if len(h.srv.Messages(testRoom)) != 1 || len(h.srv.Messages(222)) != 1 {
				t.Fatal("the working rooms did not get the message")
			}
			out := h.outputs()
			var ids map[string]string
			json.Unmarshal([]byte(out["message-ids"]), &ids)
			if len(ids) != 2 || ids["123456"] != out["message-id"] || ids["222"] == "" {
				t.Errorf("outputs %q", out)
			}
			var urls map[string]string
			json.Unmarshal([]byte(out["message-urls"]), &urls)
			if want := "https://www.chatwork.com/#!rid123456-" + ids["123456"]; out["message-url"] != want || urls["123456"] != want ||
				urls["222"] != "https://www.chatwork.com/#!rid222-"+ids["222"] || len(urls) != 2 {
				t.Errorf("message-url %q, message-urls %q", out["message-url"], out["message-urls"])
			}
			log := h.stdout.String()
			for _, want := range []string{"room 999", "404", "Room 123456: posted", "Room 222: posted", "Room 999: failed"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			for _, want := range []string{"Room 123456: posted", "Room 222: posted", "Room 999: failed"} {
				if !strings.Contains(h.summary(), want) {
					t.Errorf("summary lacks %q", want)
				}
			}
		})
	}
}

func TestForkPullRequestWithoutTokenIsSkipped(t *testing.T) {
	t.Parallel()
	h := newHarness(t).event("pull_request", "../../testdata/events/pull_request.opened.json").
		input("token", "").input("on-missing-token", "skip")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
	out := h.outputs()
	if out["skipped"] != "true" || out["message-id"] != "" || out["body"] == "" {
		t.Errorf("outputs %q", out)
	}
	if strings.Count(h.stdout.String(), "::notice::") != 1 || strings.Contains(h.stdout.String(), "::error") {
		t.Errorf("want one notice:\n%s", h.stdout.String())
	}
	// Without the switch, an empty token is an input error.
	h.input("on-missing-token", "fail")
	if err := h.run(); app.ExitCode(err) != 1 || !strings.Contains(h.stdout.String(), "input token") {
		t.Errorf("exit %d\n%s", app.ExitCode(err), h.stdout.String())
	}
}

func TestUpdateAcrossRoomsWithMessageIDsJSON(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("template", "deploying")
	h.srv.AddRoom(222, testAccount)
	h.input("room", "123456,222")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	ids := h.outputs()["message-ids"]
	h.input("mode", "update").input("message-id", ids).input("template", "deployed")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, room := range []int64{testRoom, 222} {
		msgs := h.srv.Messages(room)
		if len(msgs) != 1 || msgs[0].Body != "deployed" {
			t.Errorf("room %d: %+v", room, msgs)
		}
	}
	if h.outputs()["message-ids"] != ids {
		t.Errorf("message-ids changed: %s vs %s", h.outputs()["message-ids"], ids)
	}
}

// TestRaceAdoptsTheEarlierMessage: a parallel job posts the same message
// after our dedupe read but before our post; ours is deleted and theirs
// adopted.
func TestRaceAdoptsTheEarlierMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("dedupe", "true").input("template", "build {{.RunID}} failed")
	var theirs string
	h.srv.Inject(chatworktest.Fault{Method: "POST", Before: func() {
		theirs = h.srv.Seed(testRoom, testAccount, "build 1658821493 failed")
	}})
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	msgs := h.srv.Messages(testRoom)
	if len(msgs) != 1 || msgs[0].ID != theirs {
		t.Fatalf("room holds %+v, want only %s", msgs, theirs)
	}
	out := h.outputs()
	if out["message-id"] != theirs || out["skipped"] != "true" {
		t.Errorf("outputs %q, want the earlier message adopted", out)
	}
	if !strings.Contains(h.stdout.String(), "a parallel job posted the same message first") {
		t.Errorf("log:\n%s", h.stdout.String())
	}
	var deletes []string
	for _, r := range h.srv.Requests() {
		if r.Method == "DELETE" {
			deletes = append(deletes, r.Path)
		}
	}
	if len(deletes) != 1 || strings.HasSuffix(deletes[0], theirs) {
		t.Errorf("deletes %v", deletes)
	}
}

// TestRaceIgnoresOtherAccounts: an earlier identical message from another
// account is not ours to adopt after posting (dedupe already saw none).
func TestRaceIgnoresOtherAccounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("dedupe", "true").input("template", "same text")
	h.srv.AddMember(testRoom, 77)
	h.srv.Inject(chatworktest.Fault{Method: "POST", Before: func() { h.srv.Seed(testRoom, 77, "same text") }})
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(testRoom); len(msgs) != 2 || h.outputs()["skipped"] != "false" {
		t.Errorf("%+v %q", msgs, h.outputs())
	}
}

// TestReplyFindsTheMessageInTheRoom: when Chatwork will not return the
// message alone, the reply still threads it by finding it in the room.
func TestReplyFindsTheMessageInTheRoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	orig := h.srv.Seed(testRoom, testAccount, "deploying…")
	h.srv.Inject(chatworktest.Fault{Method: "GET", Path: "/messages/" + orig, Status: 404})
	h.input("mode", "reply").input("message-id", orig).input("template", "done")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(testRoom)
	if want := "[rp aid=4242001 to=123456-" + orig + "]CI Bot\ndone"; len(msgs) != 2 || msgs[1].Body != want {
		t.Errorf("posted %q, want %q", msgs[len(msgs)-1].Body, want)
	}
}

// TestDryRunStillReadsGitHub: the dry-run body is what a real run would
// post, job details included, and Chatwork hears nothing.
func TestDryRunStillReadsGitHub(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("dry-run", "true").input("status", "failure")
	gh := withGitHub(h)
	gh.SetJobs(1658821493, ghJob("test", "completed", "failure", "r1", "go test"))
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("%d Chatwork requests in a dry run", n)
	}
	if body := h.outputs()["body"]; !strings.Contains(body, "- test (failed step: go test)") {
		t.Errorf("body %q", body)
	}
}

// TestCutSuccessIsNotPostedAgain: Chatwork stored the message but its
// answer was cut. Without dedupe the step succeeds without an id and says
// so; with dedupe the id comes from the room. Either way one message.
func TestCutSuccessIsNotPostedAgain(t *testing.T) {
	t.Parallel()
	for _, dedupe := range []string{"false", "true"} {
		t.Run("dedupe="+dedupe, func(t *testing.T) {
			h := newHarness(t).input("dedupe", dedupe).input("status", "success")
			h.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/messages", CutAnswer: true})
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			msgs := h.srv.Messages(testRoom)
			if len(msgs) != 1 || h.posts() != 1 {
				t.Fatalf("%d messages after %d posts, want 1 and 1", len(msgs), h.posts())
			}
			out := h.outputs()
			want := ""
			if dedupe == "true" {
				want = msgs[0].ID
			}
			if out["message-id"] != want || out["skipped"] != "false" {
				t.Errorf("outputs %q, want message-id %q", out, want)
			}
			if dedupe == "false" && !strings.Contains(h.stdout.String(), "::warning::room 123456: Chatwork stored the message, but its answer was cut, so its message id is unknown") {
				t.Errorf("no warning says the id is unknown:\n%s", h.stdout.String())
			}
			if strings.Contains(h.stdout.String(), "posted message .") {
				t.Errorf("the log prints an empty message id:\n%s", h.stdout.String())
			}
		})
	}
}

// TestStalledSuccessAnswer: Chatwork sends a success status, then the body
// never completes. The message is stored, so the step succeeds without
// posting again, and a warning says the id is unknown and where to find
// it; no line prints an empty id.
func TestStalledSuccessAnswer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, stalledSuccessAnswer)
}

func stalledSuccessAnswer(t *testing.T) {
	h := newHarness(t).input("status", "success")
	h.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/messages", StallAnswer: true})
	h.stdout.Reset()
	err := app.Run(context.Background(), app.Deps{
		Getenv: func(k string) string { return h.env[k] }, Stdout: &h.stdout, HTTPClient: h.srv.Client(),
		Clock: h.clock, AttemptTimeout: 100 * time.Millisecond, Version: "test",
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if msgs := h.srv.Messages(testRoom); len(msgs) != 1 || h.posts() != 1 {
		t.Fatalf("%d messages after %d posts, want 1 and 1", len(msgs), h.posts())
	}
	log := h.stdout.String()
	for _, want := range []string{"::warning::room 123456: Chatwork stored the message, but its answer was cut, so its message id is unknown", "#!rid123456", "Room 123456: posted (message id unknown)."} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "message .") || h.outputs()["message-id"] != "" {
		t.Errorf("an empty id is printed, or message-id is set:\n%s", log)
	}
}

// TestLateOriginalIsRemoved: the first attempt times out but is stored
// later than the retry; the late copy is deleted and the first stored
// message stays.
func TestLateOriginalIsRemoved(t *testing.T) {
	t.Parallel()
	synctest.Test(t, lateOriginalIsRemoved)
}

func lateOriginalIsRemoved(t *testing.T) {
	h := newHarness(t).input("status", "success")
	h.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/messages", StoreAfter: 600 * time.Millisecond})
	h.stdout.Reset()
	err := app.Run(context.Background(), app.Deps{
		Getenv: func(k string) string { return h.env[k] }, Stdout: &h.stdout, HTTPClient: h.srv.Client(),
		Clock: clock.Real{}, AttemptTimeout: 300 * time.Millisecond, Version: "test",
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	msgs := h.srv.Messages(testRoom)
	if len(msgs) != 1 || h.outputs()["message-id"] != msgs[0].ID {
		t.Errorf("%d messages %+v, outputs %q\n%s", len(msgs), msgs, h.outputs(), h.stdout.String())
	}
}

// TestLateInputErrorsComeBeforeAnyRequest: a deadline already past, and a
// template that fails only once job details are there, are reported
// before Chatwork hears anything.
func TestLateInputErrorsComeBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ input, value, want string }{
		"past task deadline":     {"task-limit", "2020-01-01T00:00:00Z", "input task-limit"},
		"template fails on jobs": {"template", "{{ .Repo }}{{ range .FailedJobs }}{{ .NoSuchField }}{{ end }}", "NoSuchField"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t).input("status", "failure").input("task-to", fmt.Sprint(testAccount)).input(tc.input, tc.value)
			err := h.run()
			if err == nil || !strings.Contains(h.stdout.String(), tc.want) {
				t.Errorf("err %v, log:\n%s", err, h.stdout.String())
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests were made before the input error", n)
			}
		})
	}
}

// TestReplyLineFitsTheLimit: the reply line, with a long multi-byte name,
// still leaves the body within Chatwork's 65,535 bytes.
func TestReplyLineFitsTheLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "success")
	h.srv.AddToken("other-token-0123456789", 9100000000000000001, strings.Repeat("𝕏", 60))
	h.srv.AddMember(testRoom, 9100000000000000001)
	orig := h.srv.Seed(testRoom, 9100000000000000001, "please deploy")
	h.input("mode", "reply").input("message-id", orig).input("template", `{{ index .Payload "big" }}`)
	h.eventJSON("push", []byte(`{"big":"`+strings.Repeat("a", 70000)+`"}`))
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%.2000s", err, h.stdout.String())
	}
	msgs := h.srv.Messages(testRoom)
	last := msgs[len(msgs)-1].Body
	if len(last) > 65535 || !strings.HasPrefix(last, "[rp aid=9100000000000000001 to=") {
		t.Errorf("reply of %d bytes: %.120q", len(last), last)
	}
}
