package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// replyReserve is room kept free in the body for the [rp …] line: the tag
// with two 19-digit ids and a 20-digit message id, and a name of at most
// replyNameBytes.
const (
	replyReserve   = 200
	replyNameBytes = 100
)

// What happened in one room.
const (
	ActionPosted    = "posted"
	ActionUpdated   = "updated"
	ActionReplied   = "replied"
	ActionDuplicate = "duplicate" // dedupe found the message already there
	ActionAdopted   = "adopted"   // a parallel job posted the same first; ours was deleted
)

// RoomResult is the outcome in one room.
type RoomResult struct {
	Room      int64
	Action    string // one of the Action constants; "" when Err is set
	MessageID string
	Body      string   // the body sent (with the reply line, in reply mode)
	Notes     []string // what the log should say about this room
	TaskIDs   []int64
	Err       error
}

// deliverAll delivers the message to every room at once; a failure in one
// room does not stop the others.
func (r *run) deliverAll(ctx context.Context, c *chatwork.Client, msg message, task string, reads map[int64]<-chan roomRead) []RoomResult {
	results := make([]RoomResult, len(r.cfg.Rooms))
	var wg sync.WaitGroup
	for i, room := range r.cfg.Rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = r.deliver(ctx, c, room, msg, task, reads[room])
		}()
	}
	wg.Wait()
	return results
}

// deliver posts, edits or answers in one room, honouring dedupe, closes the
// race with parallel jobs and opens the task.
func (r *run) deliver(ctx context.Context, c *chatwork.Client, room int64, msg message, task string, read <-chan roomRead) RoomResult {
	res := RoomResult{Room: room}
	mode, target := r.cfg.Mode, r.cfg.MessageIDs[room]
	if mode != config.ModePost && target == "" {
		res.Notes = append(res.Notes, fmt.Sprintf("mode is %s but no message-id was given for room %d; posting a new message", mode, room))
		mode = config.ModePost
	}
	if mode == config.ModeReply {
		orig, err := findMessage(ctx, c, room, target)
		switch {
		case err == nil:
			msg.body = r.out.Redact(replyLine(room, target, orig)) + msg.body
		case chatwork.IsGone(err):
			res.Notes = append(res.Notes, fmt.Sprintf("message %s in room %d cannot be found, so the new message is not threaded under it", target, room))
			mode = config.ModePost
		default:
			res.Err = fmt.Errorf("room %d: reading message %s to reply to: %w", room, target, err)
			return res
		}
	}
	res.Body = msg.body

	seen := map[string]bool{} // messages in the room before we posted
	if read != nil {
		got := <-read
		me, err := r.myAccount(ctx, c)
		if got.err == nil && err != nil {
			got.err = fmt.Errorf("learning the token's account (GET /me): %w", err)
		}
		if got.err != nil {
			res.Err = fmt.Errorf("room %d: reading the room for dedupe: %w", room, got.err)
			return res
		}
		for _, m := range got.msgs.List {
			seen[m.ID] = true
		}
		dups, others := duplicates(got.msgs.List, msg, me)
		for _, o := range others {
			res.Notes = append(res.Notes, fmt.Sprintf("room %d: message %s by %s (account %d) looks like this notification but was not posted by this token's account, so it does not count as a duplicate",
				room, o.ID, notation.Neutralise(o.Account.Name), o.Account.AccountID))
		}
		if len(dups) > 0 {
			res.Action, res.MessageID = ActionDuplicate, oldest(dups).ID
			return res
		}
		if got.msgs.Limited {
			res.Notes = append(res.Notes, fmt.Sprintf("Chatwork's free-plan limit hid part of room %d's history, so an older duplicate cannot be ruled out", room))
		}
	}

	if mode == config.ModeUpdate {
		id, err := c.UpdateMessage(ctx, room, target, msg.body)
		switch {
		case err == nil:
			res.Action, res.MessageID = ActionUpdated, id
			r.openTask(ctx, c, task, &res)
			return res
		case chatwork.IsGone(err):
			res.Notes = append(res.Notes, fmt.Sprintf("message %s in room %d could not be edited (it is gone or not the token owner's: %v); posted a new message instead", target, room, err))
		default:
			res.Err = fmt.Errorf("room %d: editing message %s: %w", room, target, err)
			return res
		}
	}

	since := r.deps.Clock.Now().Add(-time.Minute)
	pr, err := c.PostMessage(ctx, room, msg.body, chatwork.PostOptions{
		SelfUnread: r.cfg.SelfUnread,
		Dedupe:     r.cfg.Dedupe,
		Adopt:      r.adopter(c, room, msg, seen, since),
	})
	if err != nil {
		res.Err = fmt.Errorf("room %d: posting: %w", room, err)
		return res
	}
	res.Action, res.MessageID = ActionPosted, pr.ID
	if mode == config.ModeReply {
		res.Action = ActionReplied
	}
	switch {
	case pr.Parallel:
		res.Action = ActionAdopted
		res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) in room %d, so it was not posted again", pr.ID, room))
	case pr.Recovered:
		res.Notes = append(res.Notes, fmt.Sprintf("the answer to the post in room %d was lost; message %s was found in the room, so it was not posted again", room, pr.ID))
	case pr.ID == "":
		res.Notes = append(res.Notes, fmt.Sprintf("Chatwork stored the message in room %d but its answer was cut, so its message id is unknown (set dedupe: true to look it up)", room))
	}
	if pr.Uncertain && pr.ID != "" {
		r.removeLateCopies(ctx, c, msg, seen, since, &res)
	}
	if res.Action == ActionAdopted {
		return res
	}
	if r.cfg.Dedupe && r.adoptEarlier(ctx, c, msg, &res) {
		return res
	}
	r.openTask(ctx, c, task, &res)
	return res
}

// myAccount returns the token's account id, asking Chatwork once per run.
func (r *run) myAccount(ctx context.Context, c *chatwork.Client) (int64, error) {
	r.meOnce.Do(func() {
		var a chatwork.Account
		a, r.meErr = c.Me(ctx)
		r.meID = a.AccountID
	})
	return r.meID, r.meErr
}

// ours reports whether m is a copy of msg that this run may have posted or
// may adopt: posted by the token's account, absent from the room before
// the post, and (without dedupe) sent since the post began.
func (r *run) ours(m chatwork.Message, msg message, me int64, seen map[string]bool, since time.Time) bool {
	if m.Account.AccountID != me || seen[m.ID] {
		return false
	}
	if r.cfg.Dedupe {
		return isDuplicate(m, msg)
	}
	return chatwork.SameBody(m.Body, msg.body) && m.SendTime >= since.Unix()
}

// ourCopies reads the room and returns the copies of msg that ours
// accepts, oldest first.
func (r *run) ourCopies(ctx context.Context, c *chatwork.Client, room int64, msg message, seen map[string]bool, since time.Time) ([]chatwork.Message, error) {
	me, err := r.myAccount(ctx, c)
	if err != nil {
		return nil, err
	}
	msgs, err := c.ListMessages(ctx, room)
	if err != nil {
		return nil, err
	}
	var copies []chatwork.Message
	for _, m := range msgs.List {
		if r.ours(m, msg, me, seen, since) {
			copies = append(copies, m)
		}
	}
	return copies, nil
}

// adopter reads the room for PostMessage before it posts again: the
// oldest copy of the message that ours accepts ends the post.
func (r *run) adopter(c *chatwork.Client, room int64, msg message, seen map[string]bool, since time.Time) func(context.Context) (string, bool, error) {
	return func(ctx context.Context) (string, bool, error) {
		copies, err := r.ourCopies(ctx, c, room, msg, seen, since)
		if err != nil || len(copies) == 0 {
			return "", false, err
		}
		return oldest(copies).ID, true, nil
	}
}

// lateCopyWait is how long a run waits for a post whose attempt timed out
// to arrive before it looks for it, within the retry budget.
const lateCopyWait = 2 * time.Second

// removeLateCopies deletes copies of the message that arrived after ours
// (an attempt that timed out but was stored later): of the copies, the
// oldest stays, as everywhere else.
func (r *run) removeLateCopies(ctx context.Context, c *chatwork.Client, msg message, seen map[string]bool, since time.Time, res *RoomResult) {
	if err := r.deps.Clock.Sleep(ctx, lateCopyWait); err != nil {
		return
	}
	copies, err := r.ourCopies(ctx, c, res.Room, msg, seen, since)
	if err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("could not re-read room %d to remove a late copy of the message: %v", res.Room, err))
		return
	}
	for _, m := range copies {
		if idLess(res.MessageID, m.ID) {
			if err := c.DeleteMessage(ctx, res.Room, m.ID); err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("a late copy of the message (%s) arrived in room %d; deleting it failed: %v", m.ID, res.Room, err))
				continue
			}
			res.Notes = append(res.Notes, fmt.Sprintf("a timed-out attempt arrived late in room %d as message %s; deleted it, %s stays", res.Room, m.ID, res.MessageID))
		}
	}
}

// adoptEarlier closes the race between parallel jobs that read the room
// before any of them posted: it reads the room again and, when a duplicate
// from the same account has a smaller id, deletes our message and adopts
// that one. Of several racing posts only the first survives, because each
// later poster sees it.
func (r *run) adoptEarlier(ctx context.Context, c *chatwork.Client, msg message, res *RoomResult) bool {
	msgs, err := c.ListMessages(ctx, res.Room)
	if err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("could not re-read room %d to check for a parallel duplicate: %v", res.Room, err))
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
	if err := c.DeleteMessage(ctx, res.Room, own.ID); err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) but deleting ours (%s) failed: %v", earlier.ID, own.ID, err))
		return false
	}
	res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) in room %d; deleted ours (%s)", earlier.ID, res.Room, own.ID))
	res.Action, res.MessageID = ActionAdopted, earlier.ID
	return true
}

// openTask creates the failure task in the room, when there is one to open.
func (r *run) openTask(ctx context.Context, c *chatwork.Client, task string, res *RoomResult) {
	if task == "" {
		return
	}
	ids, err := c.CreateTask(ctx, res.Room, chatwork.Task{Body: task, ToIDs: r.cfg.TaskTo, Limit: r.cfg.TaskLimit.Deadline(r.deps.Clock.Now())})
	if err != nil {
		res.Err = fmt.Errorf("room %d: the message is there (%s) but creating the task failed: %w", res.Room, res.MessageID, err)
		return
	}
	res.TaskIDs = ids
}

// taskBody renders the failure task, or "" when no task is due.
func (r *run) taskBody() (string, error) {
	if len(r.cfg.TaskTo) == 0 || r.sum.Outcome != event.ClassFailed {
		return "", nil
	}
	t, err := render.BuiltinTask(r.cfg.Language)
	if err != nil {
		return "", err
	}
	body, err := t.Fit(r.sum, render.MaxBodyBytes)
	if err != nil {
		return "", inputError{err}
	}
	return r.out.Redact(strings.TrimSpace(body)), nil
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
// as Chatwork's own reply button writes it.
func replyLine(room int64, id string, orig chatwork.Message) string {
	name := notation.Cut(notation.Neutralise(strings.ReplaceAll(orig.Account.Name, "\n", " ")), replyNameBytes)
	return fmt.Sprintf("[rp aid=%d to=%d-%s]%s\n", orig.Account.AccountID, room, id, name)
}

// duplicates returns the messages of list that duplicate msg (see
// isDuplicate) and were posted by the account me, and the look-alikes
// posted by anyone else, which never count: a person pasting the same text
// must not silence a notification.
func duplicates(list []chatwork.Message, msg message, me int64) (dups, others []chatwork.Message) {
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
func isDuplicate(m chatwork.Message, msg message) bool {
	if msg.key != "" {
		return strings.Contains(chatwork.NormaliseBody(m.Body), msg.key)
	}
	return chatwork.SameBody(m.Body, msg.body)
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

// idLess compares decimal message ids without converting them to numbers
// that could overflow.
func idLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
