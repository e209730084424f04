package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/answer"
	"github.com/chatwork-notify/chatwork-notify/internal/ask"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// The time the steps after a wait may take: the edit that records the
// outcome (within a few seconds of a cancellation, before the runner
// kills the step), and the wait's reads beyond ask-timeout.
const (
	recordTimeout = 5 * time.Second
	waitMargin    = 2 * time.Minute
)

// answered is how an approval question ended, for outputs, log and
// summary.
type answered struct {
	Outcome string // event.AskApproved, …
	ByID    int64
	By      string // the approver's name, neutralised
	Text    string // what they wrote, neutralised
}

// gateError is an approval question that did not end in approval: the
// step fails whatever fail-on-error says.
type gateError struct{ error }

func (e gateError) Unwrap() error { return e.error }

// askAndWait posts the question of mode: ask to its one room, waits for an
// approver's answer, and edits the question to record the outcome. It
// fails closed: whatever keeps it from hearing an approval (the question
// not posted, its id unknown, the room unreadable) is a gateError, which
// fails the step whatever fail-on-error says.
func (r *run) askAndWait(ctx context.Context, d *deliver.Delivery, sum *event.Summary) runResult {
	if r.cfg.Run.DryRun {
		r.out.Notice("dry run: the question was not asked, so nothing is approved (answer is empty)")
		return r.deliver(ctx, d, sum, nil) // shows the question, waits for nothing
	}
	me := make(chan meResult, 1)
	go func() { // the token's account, beside the post: answers from it never count
		acc, err := r.newClient(0).Me(ctx)
		me <- meResult{acc.AccountID, err}
	}()
	res := r.deliver(ctx, d, sum, nil)
	if err := notAsked(res); err != nil {
		res.Err = gateError{err}
		return res
	}
	room, id := res.Rooms[0].Room, res.Rooms[0].MessageID
	who := <-me
	if who.err != nil {
		res.Err = gateError{fmt.Errorf("the question was posted (message %s), but the token's account could not be read to tell its messages from the approvers' (%w); nothing was approved", id, who.err)}
		return res
	}
	q := answer.Question{Room: room, ID: id, Me: who.id, Approvers: r.cfg.Delivery.Ask.Approvers}
	r.out.Info(fmt.Sprintf("waiting up to %s for an answer to message %s in room %d (%s)", r.cfg.Delivery.Ask.Timeout, id, room, chatwork.MessageURL(room, id)))
	got, err := ask.Wait(ctx, ask.Options{
		Lister: r.newClient(r.cfg.Delivery.Ask.Timeout + waitMargin), Question: q,
		Timeout: r.cfg.Delivery.Ask.Timeout, Clock: r.deps.Clock, Log: r.logWait, Redact: r.out.Redact,
	})
	if err != nil {
		res.Err = gateError{fmt.Errorf("waiting for an answer in room %d failed: %w; nothing was approved", room, err)}
		return res
	}
	res.AskTimeout = r.cfg.Delivery.Ask.Timeout
	res.Answer = &answered{Outcome: got.Outcome.String(), ByID: got.AccountID,
		By: notation.Neutralise(r.out.Redact(got.Name)), Text: notation.Neutralise(r.out.Redact(got.Text))}
	r.record(ctx, sum, q, *res.Answer)
	res.Err = gateOutcome(*res.Answer, r.cfg.Delivery.Ask.Timeout)
	return res
}

// notAsked says why the question cannot be waited on: it was not
// rendered or posted, or Chatwork stored it without telling its id (an
// answer that was cut), so no reply could be matched to it.
func notAsked(res runResult) error {
	switch {
	case res.Err != nil:
		return res.Err
	case len(res.Rooms) == 0:
		return errors.New("the question was not posted; nothing was approved")
	case res.Rooms[0].Err != nil:
		return fmt.Errorf("the question could not be posted (%w); nothing was approved", res.Rooms[0].Err)
	case res.Rooms[0].MessageID == "":
		return fmt.Errorf("the question was stored in room %d, but Chatwork's answer was cut, so its message id is unknown and no reply can be matched to it; nothing was approved", res.Rooms[0].Room)
	}
	return nil
}

type meResult struct {
	id  int64
	err error
}

// logWait writes what the wait noticed: an ignored would-be answer, a
// read that failed, more messages than one read returns.
func (r *run) logWait(e ask.Event) {
	line := r.out.Redact(e.String())
	if e.Kind == ask.Gap {
		r.out.Warning(line)
		return
	}
	r.out.Info(line)
}

// record edits the question to say how it ended. It runs after a
// cancellation too, on a context of its own, within recordTimeout.
func (r *run) record(ctx context.Context, sum *event.Summary, q answer.Question, a answered) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	c := *sum
	c.Ask = event.Ask{Timeout: r.cfg.Delivery.Ask.Timeout, Outcome: a.Outcome, ByID: a.ByID, By: a.By, Text: a.Text}
	body, err := r.answeredBody(&c)
	if err == nil {
		_, err = r.newClient(recordTimeout).UpdateMessage(ctx, q.Room, q.ID, body)
	}
	if err != nil {
		r.out.Warning(fmt.Sprintf("the question (message %s in room %d) could not be edited to record that it was %s: %v", q.ID, q.Room, a.Outcome, err))
	}
}

// answeredBody is the question with its outcome: the built-in question
// shows it in place; a question of the user's template that does not read
// .Ask gets the built-in outcome line at its end.
func (r *run) answeredBody(sum *event.Summary) (string, error) {
	msg, err := r.compose(sum)
	if err != nil || r.cfg.Message.Template == "" || r.tmpl.message.Reads("Ask") {
		return msg.Body, err
	}
	t, err := render.BuiltinAnswer(r.cfg.Message.Language)
	if err != nil {
		return "", err
	}
	line, err := t.Fit(sum, render.MaxBodyBytes-len(msg.Body)-1)
	return r.out.Redact(msg.Body + "\n" + strings.TrimSpace(line)), err
}

// gateOutcome is the error of an answer that is not an approval.
func gateOutcome(a answered, timeout time.Duration) error {
	switch a.Outcome {
	case event.AskApproved:
		return nil
	case event.AskRejected:
		return gateError{fmt.Errorf("rejected by %s (account %d): %q", a.By, a.ByID, a.Text)}
	case event.AskTimedOut:
		return gateError{fmt.Errorf("no approver answered within %s, so it was not approved", timeout)}
	}
	return gateError{errors.New("the run was cancelled while it waited for an answer, so it was not approved")}
}
