package deliver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// room posts, edits or answers in one room, honouring dedupe, closes the
// race with parallel jobs and opens the task.
func (d *Delivery) room(ctx context.Context, room int64, msg Message) Result {
	res := Result{Room: room, Closed: d.closed[room].ids, Events: d.closed[room].events}
	mode, body, err := d.target(ctx, room, msg.Body, &res)
	if err != nil {
		res.Err = err
		return res
	}
	msg.Body, res.Body = body, body
	seen, duplicate := d.dedupe(room, msg, &res)
	if res.Err != nil || duplicate {
		return res
	}
	if mode == Update && d.update(ctx, msg, &res) {
		return res
	}
	d.post(ctx, mode, msg, seen, &res)
	return res
}

// target settles the mode in the room and the body to send: a mode that
// needs a message-id posts without one, and a reply starts with the reply
// line for its target (or posts when the target is gone).
func (d *Delivery) target(ctx context.Context, room int64, body string, res *Result) (Mode, string, error) {
	mode, target := d.plan.Mode, d.plan.Targets[room]
	if mode != Post && target == "" {
		res.event(Event{Kind: NoTarget, Mode: mode})
		return Post, body, nil
	}
	if mode != Reply {
		return mode, body, nil
	}
	orig, err := findMessage(ctx, d.c, room, target)
	switch {
	case err == nil:
		return Reply, replyLine(room, target, orig, d.opts.Redact) + body, nil
	case chatwork.IsGone(err):
		res.event(Event{Kind: TargetGone, Message: target})
		return Post, body, nil
	}
	return mode, body, fmt.Errorf("room %d: reading message %s to reply to: %w", room, target, err)
}

// dedupe waits for the room's dedupe read (when the plan has one) and
// reports the messages it saw and whether one of ours already says what
// msg says (res then holds the duplicate).
func (d *Delivery) dedupe(room int64, msg Message, res *Result) (seen map[string]bool, duplicate bool) {
	seen = map[string]bool{} // messages in the room before we posted
	read := d.reads[room]
	if read == nil {
		return seen, false
	}
	got := read.get()
	me, err := d.myAccount()
	if got.err == nil && err != nil {
		got.err = fmt.Errorf("learning the token's account (GET /me): %w", err)
	}
	if got.err != nil {
		res.Err = fmt.Errorf("room %d: reading the room for dedupe: %w", room, got.err)
		return seen, false
	}
	for _, m := range got.msgs.List {
		seen[m.ID] = true
	}
	dups, others := duplicates(got.msgs.List, msg, me)
	for _, o := range others {
		res.event(Event{Kind: Lookalike, Other: o.ID, Account: o.Account.AccountID, Name: o.Account.Name})
	}
	if len(dups) > 0 {
		res.Action, res.MessageID = Duplicate, oldest(dups).ID
		return seen, true
	}
	if got.msgs.Limited {
		res.event(Event{Kind: HistoryHidden})
	}
	return seen, false
}

// update edits the target in place and reports whether the room is done
// (edited, or failed); a target that is gone or not ours falls back to a
// post.
func (d *Delivery) update(ctx context.Context, msg Message, res *Result) bool {
	target := d.plan.Targets[res.Room]
	id, err := d.c.UpdateMessage(ctx, res.Room, target, msg.Body)
	switch {
	case err == nil:
		res.Action, res.MessageID = Updated, id
		d.followUp(ctx, msg, res)
		d.follow(ctx, msg, res)
		return true
	case chatwork.IsGone(err):
		res.event(Event{Kind: EditRefused, Message: target, Err: err})
		return false
	}
	res.Err = fmt.Errorf("room %d: editing message %s: %w", res.Room, target, err)
	return true
}

// post posts the message (a reply in reply mode), adopting a copy that
// makes the post unnecessary, then removes late or parallel copies and
// does what follows a message.
func (d *Delivery) post(ctx context.Context, mode Mode, msg Message, seen map[string]bool, res *Result) {
	since := d.opts.Clock.Now().Add(-time.Minute)
	pr, err := d.c.PostMessage(ctx, res.Room, msg.Body, chatwork.PostOptions{
		SelfUnread: d.plan.SelfUnread,
		Dedupe:     d.plan.Dedupe,
		Adopt:      d.adopter(res.Room, msg, seen, since),
	})
	if err != nil {
		res.Err = fmt.Errorf("room %d: posting: %w", res.Room, err)
		return
	}
	res.Action, res.MessageID = Posted, pr.ID
	if mode == Reply {
		res.Action = Replied
	}
	switch {
	case pr.Parallel:
		res.Action = Adopted
		res.event(Event{Kind: ParallelFirst, Message: pr.ID})
	case pr.Recovered:
		res.event(Event{Kind: LostAnswerFound, Message: pr.ID})
	case pr.ID == "":
		res.event(Event{Kind: IDUnknown})
	}
	if pr.Uncertain && pr.ID != "" {
		d.removeLateCopies(ctx, msg, seen, since, res)
	}
	if res.Action == Adopted || d.plan.Dedupe && d.adoptEarlier(ctx, msg, res) {
		return
	}
	d.follow(ctx, msg, res)
}

// follow does what comes after a message of ours is in the room: the
// failure task, then the attachments (one that fails does not stop the
// others).
func (d *Delivery) follow(ctx context.Context, msg Message, res *Result) {
	d.openTask(ctx, msg, res)
	for _, a := range msg.Attachments {
		id, err := d.c.UploadFile(ctx, res.Room, a.Name, a.Content, a.Note)
		if err != nil {
			res.event(Event{Kind: UploadFailed, Message: res.MessageID, File: a.Name, Err: err})
			continue
		}
		res.FileIDs = append(res.FileIDs, id)
	}
}

// followUp posts msg.FollowUp as a reply to the message just edited, so
// the room is notified of what the edit says.
func (d *Delivery) followUp(ctx context.Context, msg Message, res *Result) {
	if msg.FollowUp == "" {
		return
	}
	me := d.me.get()
	if me.err != nil {
		res.event(Event{Kind: FollowUpFailed, Message: res.MessageID, Err: me.err})
		return
	}
	own := chatwork.Message{Account: chatwork.Account{AccountID: me.id, Name: me.name}}
	body := replyLine(res.Room, res.MessageID, own, d.opts.Redact) + msg.FollowUp
	since := d.opts.Clock.Now().Add(-time.Minute)
	pr, err := d.c.PostMessage(ctx, res.Room, body, chatwork.PostOptions{
		SelfUnread: d.plan.SelfUnread,
		Adopt:      d.adopter(res.Room, Message{Body: body}, map[string]bool{}, since),
	})
	if err != nil {
		res.event(Event{Kind: FollowUpFailed, Message: res.MessageID, Err: err})
		return
	}
	res.FollowUpID = pr.ID
}

// findMessage reads one message, to learn who posted it. When Chatwork
// will not return it alone, the room's newest messages are searched.
func findMessage(ctx context.Context, c *chatwork.Client, room int64, id string) (chatwork.Message, error) {
	m, err := c.GetMessage(ctx, room, id)
	if err == nil || !chatwork.IsGone(err) {
		return m, err
	}
	msgs, lerr := c.ListMessages(ctx, room)
	if lerr != nil {
		return m, err
	}
	for _, m := range msgs.List {
		if m.ID == id {
			return m, nil
		}
	}
	return m, err
}

// replyLine is Chatwork's reply notation for orig, with the poster's name
// as Chatwork's own reply button writes it (redacted, then cut).
func replyLine(room int64, id string, orig chatwork.Message, redact func(string) string) string {
	name := notation.Cut(notation.Neutralise(redact(strings.ReplaceAll(orig.Account.Name, "\n", " "))), replyNameBytes)
	return fmt.Sprintf("[rp aid=%d to=%d-%s]%s\n", orig.Account.AccountID, room, id, name)
}
