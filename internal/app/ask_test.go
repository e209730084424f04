package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

// askHarness asks Sato Taro (1001) and Suzuki Hanako (1002) to approve a
// deployment to production; Tanaka (1003) is in the room but no approver.
func askHarness(t *testing.T, lang string) *harness {
	h := withPeople(newHarness(t)).input("mode", "ask").input("approvers", "1001, 1002").
		input("ask-timeout", "10m").input("language", lang).input("status", "").
		input("values", "environment: production")
	h.env["GITHUB_WORKFLOW"] = "Deploy"
	return h
}

// replyTo is what Chatwork's reply button writes before an answer.
func replyTo(h *harness, text string) string {
	q := question(h)
	return fmt.Sprintf("[rp aid=%d to=%d-%s]CI Bot\n%s", testAccount, testRoom, q.ID, text)
}

// question is the action's first message in the room.
func question(h *harness) chatworktest.Message {
	for _, m := range h.srv.Messages(testRoom) {
		if m.AccountID == testAccount {
			return m
		}
	}
	h.t.Fatal("no question in the room")
	return chatworktest.Message{}
}

// answerAt makes people post (account, body) when the room is read for
// the nth time; a body "reply:TEXT" is a reply to the question.
func answerAt(h *harness, n int, posts ...any) {
	h.srv.OnRead(testRoom, func(read int) {
		if read != n {
			return
		}
		for i := 0; i+1 < len(posts); i += 2 {
			body := posts[i+1].(string)
			if text, ok := strings.CutPrefix(body, "reply:"); ok {
				body = replyTo(h, text)
			}
			h.srv.PostAs(testRoom, posts[i].(int64), "", body)
		}
	})
}

// TestAskApproved: the question addresses the approvers, says what is to
// be approved and how to answer; an approver's reply approves it, the
// question is edited to say who did, the outputs say so and the step
// succeeds. Golden in both languages (the question, then as edited).
func TestAskApproved(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := askHarness(t, lang)
			var asked string
			h.srv.OnRead(testRoom, func(n int) {
				if n == 1 {
					asked = question(h).Body
				}
			})
			answerAt(h, 2, satoID, "reply:OK です。お願いします")
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			edited := question(h).Body
			compareAppGolden(t, filepath.Join(lang, "ask-question"), asked)
			compareAppGolden(t, filepath.Join(lang, "ask-approved"), edited)
			out := h.outputs()
			if out["answer"] != "approved" || out["answered-by"] != "1001" || out["answer-text"] != "OK です。お願いします" || out["message-id"] == "" {
				t.Errorf("outputs %q", out)
			}
			if !strings.Contains(h.summary(), map[string]string{"en": "Approved by Sato Taro (account 1001)", "ja": "Sato Taroさん（アカウント ID 1001）が「OK です。お願いします」と返信して承認しました"}[lang]) {
				t.Errorf("summary:\n%s", h.summary())
			}
		})
	}
}

// TestAskCountsOnlyAnApproversAnswer: before an approver decides, the
// answers that do not count are each logged with the reason, and the
// first answer that counts decides.
func TestAskCountsOnlyAnApproversAnswer(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "en")
	h.srv.Seed(testRoom, satoID, "OK") // before the question
	answerAt(h, 2,
		tanakaID, "reply:OK",
		testAccount, "reply:OK",
		satoID, "OK",
		satoID, "reply:maybe later?")
	answerAt(h, 3, suzukiID, "reply:ＮＧ まだテスト中です")
	err := h.run()
	if app.ExitCode(err) != 1 {
		t.Fatalf("exit %d, want 1\n%s", app.ExitCode(err), h.stdout.String())
	}
	log := h.stdout.String()
	for _, want := range []string{
		"not an approver",
		"posted by the token's own account",
		"not a reply to the question",
		"not an approve or reject answer (see docs/ask.md)",
		`::error::rejected by 鈴木 花子 (account 1002): "ＮＧ まだテスト中です"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "posted before the question") {
		t.Errorf("a message older than the question was judged:\n%s", log)
	}
	if out := h.outputs(); out["answer"] != "rejected" || out["answered-by"] != "1002" {
		t.Errorf("outputs %q", out)
	}
	if q := question(h).Body; !strings.Contains(q, "❌ Rejected by 鈴木 花子, who wrote: ＮＧ まだテスト中です") {
		t.Errorf("the question was not edited:\n%s", q)
	}
}

// TestAskTimesOut: nobody answers within ask-timeout: the question says
// so, the step fails with an error saying so.
func TestAskTimesOut(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := askHarness(t, lang)
			err := h.run()
			if app.ExitCode(err) != 1 || !strings.Contains(h.stdout.String(), "::error::no approver answered within 10m0s") {
				t.Fatalf("exit %d\n%s", app.ExitCode(err), h.stdout.String())
			}
			compareAppGolden(t, filepath.Join(lang, "ask-timed-out"), question(h).Body)
			if out := h.outputs(); out["answer"] != "timed-out" || out["answered-by"] != "" {
				t.Errorf("outputs %q", out)
			}
			if reads := h.srv.Reads(testRoom); reads < 10*60/15 || reads > 10*60/5+1 {
				t.Errorf("%d reads in 10 minutes: not between one per 15 s and one per 5 s", reads)
			}
		})
	}
}

// TestAskCancelled: SIGTERM while waiting (the run was cancelled) edits
// the question to say so, answer is cancelled, the step fails.
func TestAskCancelled(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "ja")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.srv.OnRead(testRoom, func(n int) {
		if n == 3 {
			cancel()
		}
	})
	err := h.runCtx(ctx)
	if app.ExitCode(err) != 1 || !strings.Contains(h.stdout.String(), "::error::the run was cancelled while it waited") {
		t.Fatalf("exit %d\n%s", app.ExitCode(err), h.stdout.String())
	}
	if q := question(h).Body; !strings.Contains(q, "🚫 返事を待っている間に実行がキャンセルされました。") {
		t.Errorf("the question was not edited:\n%s", q)
	}
	if out := h.outputs(); out["answer"] != "cancelled" {
		t.Errorf("outputs %q", out)
	}
}

// TestAskThroughARateLimitAndABusyRoom: a 429 while polling is waited
// out, and more than 100 messages between two reads is a warning (an
// answer may be among the ones not read); a full-width answer counts.
func TestAskThroughARateLimitAndABusyRoom(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "en")
	h.srv.OnRead(testRoom, func(n int) {
		if n == 2 {
			h.srv.Inject(chatworktest.Fault{Method: "GET", Path: "/messages", Status: 429,
				Header: map[string]string{"x-ratelimit-remaining": "0"}})
			for i := range 120 {
				h.srv.PostAs(testRoom, tanakaID, "", fmt.Sprintf("chatter %d", i))
			}
		}
	})
	answerAt(h, 4, satoID, "reply:ＯＫ")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	log := h.stdout.String()
	if !strings.Contains(log, "::warning::") || !strings.Contains(log, "100") {
		t.Errorf("no warning about the messages that could not be read:\n%s", log)
	}
	if out := h.outputs(); out["answer"] != "approved" || out["answer-text"] != "ＯＫ" {
		t.Errorf("outputs %q", out)
	}
}

// TestAskDryRunShowsTheQuestion: a dry run renders the question and
// waits for nothing.
func TestAskDryRunShowsTheQuestion(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "en").input("dry-run", "true")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	out := h.outputs()
	if !strings.Contains(out["body"], "approval needed") || out["answer"] != "" || len(h.srv.Requests()) != 0 {
		t.Errorf("outputs %q, %d requests", out, len(h.srv.Requests()))
	}
}

// TestAskWithATemplateOfYourOwn: the question is the user's template; once
// it ends, the built-in outcome line is added below it.
func TestAskWithATemplateOfYourOwn(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "en").input("template", "Deploy {{ .Repo }}?")
	answerAt(h, 2, satoID, "reply:NG")
	if err := h.run(); app.ExitCode(err) != 1 {
		t.Fatalf("exit %d\n%s", app.ExitCode(err), h.stdout.String())
	}
	if q := question(h).Body; !strings.HasSuffix(q, "Deploy octo-org/octo-repo?\n❌ Rejected by Sato Taro, who wrote: NG") {
		t.Errorf("the question was not edited with the outcome line:\n%s", q)
	}
	if strings.Contains(h.stdout.String(), "::warning::") {
		t.Errorf("log:\n%s", h.stdout.String())
	}
}

// TestAskFailsClosed: whatever keeps the gate from hearing an approval
// fails the step, fail-on-error: false or not: a question whose answer
// was cut (its id unknown), a question Chatwork refused, a room that
// cannot be read. Inputs that would skip the question are refused.
func TestAskFailsClosed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault chatworktest.Fault
		want  string
	}{
		{"answer cut", chatworktest.Fault{Method: "POST", Path: "/messages", CutAnswer: true}, "its message id is unknown"},
		{"post refused", chatworktest.Fault{Method: "POST", Path: "/messages", Status: 403, Times: chatworktest.Always}, "the question could not be posted"},
		{"room unreadable", chatworktest.Fault{Method: "GET", Path: "/messages", Status: 403, Times: chatworktest.Always}, "waiting for an answer in room 123456 failed"},
		{"me unreadable", chatworktest.Fault{Method: "GET", Path: "/me", Status: 500, Times: chatworktest.Always}, "the token's account could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := askHarness(t, "en").input("fail-on-error", "false")
			h.srv.Inject(tc.fault)
			err := h.run()
			if app.ExitCode(err) != 1 || !strings.Contains(h.stdout.String(), "::error::") || !strings.Contains(h.stdout.String(), tc.want) {
				t.Errorf("exit %d, want 1 with an error saying %q\n%s", app.ExitCode(err), tc.want, h.stdout.String())
			}
			if out := h.outputs(); out["answer"] == "approved" {
				t.Errorf("outputs %q", out)
			}
		})
	}
	for _, in := range [][2]string{{"on-missing-token", "skip"}, {"notify-when", "failure"}} {
		h := askHarness(t, "en").input(in[0], in[1])
		if err := h.run(); app.ExitCode(err) != 1 || len(h.srv.Requests()) != 0 || !strings.Contains(h.stdout.String(), "::error::input "+in[0]) {
			t.Errorf("%s: %s: exit %d, %d requests\n%s", in[0], in[1], app.ExitCode(err), len(h.srv.Requests()), h.stdout.String())
		}
	}
}

// TestAskSummaryKeepsTheAnswerText: the approver's name and answer are
// untrusted: in the job summary's Markdown they stay one line of text.
func TestAskSummaryKeepsTheAnswerText(t *testing.T) {
	t.Parallel()
	h := askHarness(t, "en")
	h.srv.OnRead(testRoom, func(n int) {
		if n == 1 {
			h.srv.PostAs(testRoom, satoID, "<img src=x onerror=alert(1)>\n- [x](https://evil.example)", replyTo(h, "OK"))
		}
	})
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	line := ""
	for _, l := range strings.Split(h.summary(), "\n") {
		if strings.Contains(l, "Approved by") {
			line = l
		}
	}
	if line == "" || strings.Contains(line, "<img") || strings.Contains(line, "](") || strings.Contains(h.summary(), "\n- [x]") {
		t.Errorf("summary line %q\n%s", line, h.summary())
	}
}
