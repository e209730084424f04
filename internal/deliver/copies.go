package deliver

import (
	"context"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
)

// SameBody reports whether two message bodies are the same text, ignoring
// surrounding whitespace and CRLF versus LF.
func SameBody(a, b string) bool { return NormaliseBody(a) == NormaliseBody(b) }

// NormaliseBody trims surrounding whitespace and turns CRLF into LF: a
// body as Chatwork gives it back compares equal to the one sent.
func NormaliseBody(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// ours reports whether m is a copy of msg that this delivery may have
// posted or may adopt: posted by the token's account, absent from the room
// before the post, and (without dedupe) sent since the post began.
func (d *Delivery) ours(m chatwork.Message, msg Message, me int64, seen map[string]bool, since time.Time) bool {
	if m.Account.AccountID != me || seen[m.ID] {
		return false
	}
	if d.plan.Dedupe {
		return isDuplicate(m, msg)
	}
	return SameBody(m.Body, msg.Body) && m.SendTime >= since.Unix()
}

// ourCopies reads the room and returns the copies of msg that ours
// accepts.
func (d *Delivery) ourCopies(ctx context.Context, room int64, msg Message, seen map[string]bool, since time.Time) ([]chatwork.Message, error) {
	me, err := d.myAccount()
	if err != nil {
		return nil, err
	}
	msgs, err := d.c.ListMessages(ctx, room)
	if err != nil {
		return nil, err
	}
	var copies []chatwork.Message
	for _, m := range msgs.List {
		if d.ours(m, msg, me, seen, since) {
			copies = append(copies, m)
		}
	}
	return copies, nil
}

// adopter reads the room for PostMessage before it posts again: the
// oldest copy of the message that ours accepts ends the post.
func (d *Delivery) adopter(room int64, msg Message, seen map[string]bool, since time.Time) func(context.Context) (string, bool, error) {
	return func(ctx context.Context) (string, bool, error) {
		copies, err := d.ourCopies(ctx, room, msg, seen, since)
		if err != nil || len(copies) == 0 {
			return "", false, err
		}
		return oldest(copies).ID, true, nil
	}
}

// lateCopyWait is how long a delivery waits for a post whose attempt
// timed out to arrive before it looks for it, within the retry budget.
const lateCopyWait = 2 * time.Second

// removeLateCopies deletes copies of the message that arrived after ours
// (an attempt that timed out but was stored later): of the copies, the
// oldest stays, as everywhere else.
func (d *Delivery) removeLateCopies(ctx context.Context, msg Message, seen map[string]bool, since time.Time, res *Result) {
	if err := d.opts.Clock.Sleep(ctx, lateCopyWait); err != nil {
		return
	}
	copies, err := d.ourCopies(ctx, res.Room, msg, seen, since)
	if err != nil {
		res.event(Event{Kind: RereadFailed, Err: err})
		return
	}
	for _, m := range copies {
		if !idLess(res.MessageID, m.ID) {
			continue
		}
		if err := d.c.DeleteMessage(ctx, res.Room, m.ID); err != nil {
			res.event(Event{Kind: LateCopyKept, Message: res.MessageID, Other: m.ID, Err: err})
			continue
		}
		res.event(Event{Kind: LateCopyDeleted, Message: res.MessageID, Other: m.ID})
	}
}

// adoptEarlier closes the race between parallel jobs that read the room
// before any of them posted: it reads the room again and, when a duplicate
// from the same account has a smaller id, deletes our message and adopts
// that one. Of several racing posts only the first survives, because each
// later poster sees it.
func (d *Delivery) adoptEarlier(ctx context.Context, msg Message, res *Result) bool {
	msgs, err := d.c.ListMessages(ctx, res.Room)
	if err != nil {
		res.event(Event{Kind: RereadFailed, Err: err})
		return false
	}
	var own *chatwork.Message
	for i := range msgs.List {
		if msgs.List[i].ID == res.MessageID {
			own = &msgs.List[i]
		}
	}
	if own == nil {
		return false
	}
	var same []chatwork.Message
	for _, m := range msgs.List {
		if m.Account.AccountID == own.Account.AccountID && idLess(m.ID, own.ID) {
			same = append(same, m)
		}
	}
	dups, _ := duplicates(same, msg, own.Account.AccountID)
	if len(dups) == 0 {
		return false
	}
	earlier := oldest(dups)
	if err := d.c.DeleteMessage(ctx, res.Room, own.ID); err != nil {
		res.event(Event{Kind: ParallelKept, Message: earlier.ID, Other: own.ID, Err: err})
		return false
	}
	res.event(Event{Kind: ParallelDeleted, Message: earlier.ID, Other: own.ID})
	res.Action, res.MessageID = Adopted, earlier.ID
	return true
}

// duplicates returns the messages of list that duplicate msg (see
// isDuplicate) and were posted by the account me, and the look-alikes
// posted by anyone else, which never count: a person pasting the same text
// must not silence a notification.
func duplicates(list []chatwork.Message, msg Message, me int64) (dups, others []chatwork.Message) {
	for _, m := range list {
		switch {
		case !isDuplicate(m, msg):
		case m.Account.AccountID == me:
			dups = append(dups, m)
		default:
			others = append(others, m)
		}
	}
	return dups, others
}

// isDuplicate reports whether m says what msg says: it contains the key,
// or, without a key, has the same body.
func isDuplicate(m chatwork.Message, msg Message) bool {
	if msg.Key != "" {
		return strings.Contains(NormaliseBody(m.Body), msg.Key)
	}
	return SameBody(m.Body, msg.Body)
}

// oldest returns the message with the smallest id: of several copies, the
// oldest is the one kept everywhere (dedupe, the parallel-job race, a late
// arrival).
func oldest(list []chatwork.Message) chatwork.Message {
	best := list[0]
	for _, m := range list[1:] {
		if idLess(m.ID, best.ID) {
			best = m
		}
	}
	return best
}

// idLess reports whether message id a is older than b (both come from
// Chatwork, which only answers decimal ids).
func idLess(a, b string) bool {
	c, _ := chatwork.CompareMessageIDs(a, b)
	return c < 0
}
