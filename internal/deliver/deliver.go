// Package deliver puts one rendered message into every room of a plan:
// post, update or reply; the dedupe read; the race between parallel jobs
// that post the same message; adopting a post whose answer was lost;
// removing a late copy; the failure task. It knows Chatwork (through
// chatwork.Client) and its notation, nothing about events or inputs.
package deliver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Modes: what to do in each room (the values of the mode input).
const (
	Post   = "post"   // a new message
	Update = "update" // edit the target message in place
	Reply  = "reply"  // a new message threaded under the target
)

// Action is what happened in one room.
type Action string

// Actions.
const (
	Posted    Action = "posted"
	Updated   Action = "updated"
	Replied   Action = "replied"
	Duplicate Action = "duplicate" // dedupe found the message already there
	Adopted   Action = "adopted"   // a parallel job posted the same first; ours was deleted
)

// ReplyReserve is the room a reply's body must leave for the [rp …] line:
// the tag with two 19-digit ids and a 20-digit message id, and a name of
// at most replyNameBytes.
const (
	ReplyReserve   = 200
	replyNameBytes = 100
)

// Plan is what to do, known before the message is rendered.
type Plan struct {
	Mode       string           // Post, Update or Reply
	Rooms      []int64          // in order
	Targets    map[int64]string // the message to update or answer, per room
	Dedupe     bool             // read the room first; a duplicate ends the delivery
	SelfUnread bool
	TaskTo     []int64 // assignees of the failure task (Message.Task)
	// TaskDeadline gives the task's deadline for a task created at now
	// (zero: none); nil means none.
	TaskDeadline func(now time.Time) time.Time
	// Members: read every room's members (to name the people addressed
	// and warn about those who are not in the room).
	Members bool
	// CloseTasks is the marker line of the failure tasks a success may
	// close (Delivery.CloseTasks): the open tasks the token's account
	// created whose last line is exactly this. "" closes none.
	CloseTasks string
}

// Message is what to deliver.
type Message struct {
	Body string
	Key  string // dedupe key (normalised); "" compares whole bodies
	Task string // failure task body; "" opens none
	// Attachment is a file to upload after the message; nil for none.
	Attachment *Attachment
}

// Attachment is a text file that follows the message into each room.
type Attachment struct {
	Name    string // the file name
	Content []byte // at most chatwork.MaxFileBytes
	Note    string // the text Chatwork shows with it (already neutralised)
}

// Result is the outcome in one room.
type Result struct {
	Room      int64
	Action    Action // "" when Err is set
	MessageID string
	Body      string   // the body sent (with the reply line, in reply mode)
	Notes     []string // what the log should say about this room
	Warnings  []string // problems that do not fail the delivery
	TaskIDs   []int64
	Closed    []int64 // failure tasks marked done
	FileID    int64   // the attachment, when one was uploaded
	Err       error
}

// Options are the delivery's world.
type Options struct {
	Clock clock.Clock
	// Redact removes secrets from text read back from Chatwork (the reply
	// line holds the original poster's name); nil leaves text as it is.
	Redact func(string) string
	// Spread bounds the random pause before the dedupe read, so parallel
	// jobs that start together read at different moments (1 s when 0; a
	// negative value reads at once).
	Spread time.Duration
}

// defaultSpread is the dedupe read's pause bound when Options.Spread is 0.
const defaultSpread = time.Second

// Delivery is a plan in progress: Start begins the dedupe reads, Deliver
// finishes them with the message.
type Delivery struct {
	c       *chatwork.Client
	plan    Plan
	opts    Options
	reads   map[int64]<-chan roomRead
	members map[int64]*later[memberRead]
	tasks   map[int64]*later[taskRead]

	meOnce sync.Once // the token's account, asked once (myAccount)
	meID   int64
	meErr  error

	closed map[int64]closing // what CloseTasks did, per room
}

// closing is what CloseTasks did in one room.
type closing struct {
	ids      []int64
	warnings []string
}

type roomRead struct {
	msgs chatwork.Messages
	err  error
}

type memberRead struct {
	list []chatwork.Member
	err  error
}

type taskRead struct {
	ids []int64 // open failure tasks with the marker
	err error
}

// Start begins the plan: with Dedupe it reads every room (after a random
// pause within the spread) and learns the token's account, beside
// whatever the caller does before the message is ready.
func Start(ctx context.Context, c *chatwork.Client, plan Plan, opts Options) *Delivery {
	if opts.Redact == nil {
		opts.Redact = func(s string) string { return s }
	}
	if opts.Spread == 0 {
		opts.Spread = defaultSpread
	}
	d := &Delivery{c: c, plan: plan, opts: opts, reads: map[int64]<-chan roomRead{},
		members: map[int64]*later[memberRead]{}, tasks: map[int64]*later[taskRead]{}}
	for _, room := range plan.Rooms {
		if plan.Members {
			d.members[room] = start(func() memberRead {
				list, err := c.Members(ctx, room)
				return memberRead{list, err}
			})
		}
		if plan.CloseTasks != "" {
			d.tasks[room] = start(func() taskRead { return d.failureTasks(ctx, room) })
		}
	}
	if !plan.Dedupe {
		return d
	}
	pause := time.Duration(rand.Float64() * float64(max(opts.Spread, 0)))
	go d.myAccount(ctx) // dedupe counts only our own messages
	for _, room := range plan.Rooms {
		ch := make(chan roomRead, 1)
		d.reads[room] = ch
		go func() {
			if err := opts.Clock.Sleep(ctx, pause); err != nil {
				ch <- roomRead{err: err}
				return
			}
			msgs, err := c.ListMessages(ctx, room)
			ch <- roomRead{msgs, err}
		}()
	}
	return d
}

// Members waits for the member reads of the plan (Plan.Members) and
// returns each room's members; a room whose read failed is in errs.
func (d *Delivery) Members() (members map[int64][]chatwork.Member, errs map[int64]error) {
	members, errs = map[int64][]chatwork.Member{}, map[int64]error{}
	for room, l := range d.members {
		got := l.get()
		if got.err != nil {
			errs[room] = got.err
			continue
		}
		members[room] = got.list
	}
	return members, errs
}

// later is a value being computed in the background; every get waits for
// it and returns the same value.
type later[T any] struct {
	once sync.Once
	ch   chan T
	v    T
}

// start computes f in the background.
func start[T any](f func() T) *later[T] {
	l := &later[T]{ch: make(chan T, 1)}
	go func() { l.ch <- f() }()
	return l
}

func (l *later[T]) get() T {
	l.once.Do(func() { l.v = <-l.ch })
	return l.v
}

// failureTasks finds the open tasks the token's account created in room
// whose body carries the plan's marker.
func (d *Delivery) failureTasks(ctx context.Context, room int64) taskRead {
	me, err := d.myAccount(ctx)
	if err != nil {
		return taskRead{err: err}
	}
	open, err := d.c.ListOpenTasks(ctx, room, me)
	if err != nil {
		return taskRead{err: err}
	}
	var ids []int64
	for _, t := range open {
		if t.AssignedBy.AccountID == me && lastLine(t.Body) == d.plan.CloseTasks {
			ids = append(ids, t.ID)
		}
	}
	return taskRead{ids: ids}
}

// lastLine is the last non-blank line of a task body, trimmed. A marker
// counts only there: quoted anywhere else (a commit title that holds
// one), it does not make the task this action's.
func lastLine(body string) string {
	body = chatwork.NormaliseBody(body)
	return strings.TrimSpace(body[strings.LastIndexByte(body, '\n')+1:])
}

// CloseTasks marks done the failure tasks of every room that the plan's
// marker found (Plan.CloseTasks), and returns how many it closed and the
// rooms whose open tasks could not be read. Call it before Deliver, so
// that a message says only what was done: a task that could not be
// closed is a warning of its room's result, and is not counted.
func (d *Delivery) CloseTasks(ctx context.Context) (int, map[int64]error) {
	n, errs := 0, map[int64]error{}
	d.closed = map[int64]closing{}
	for room, l := range d.tasks {
		got := l.get()
		if got.err != nil {
			errs[room] = got.err
			continue
		}
		var c closing
		for _, id := range got.ids {
			if err := d.c.DoneTask(ctx, room, id); err != nil {
				c.warnings = append(c.warnings, fmt.Sprintf("room %d: could not mark failure task %d done: %v", room, id, err))
				continue
			}
			c.ids = append(c.ids, id)
		}
		d.closed[room] = c
		n += len(c.ids)
	}
	return n, errs
}

// Deliver delivers the message to every room at once; a failure in one
// room does not stop the others. Results are in the plan's room order.
func (d *Delivery) Deliver(ctx context.Context, msg Message) []Result {
	results := make([]Result, len(d.plan.Rooms))
	var wg sync.WaitGroup
	for i, room := range d.plan.Rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = d.room(ctx, room, msg)
		}()
	}
	wg.Wait()
	return results
}

// room posts, edits or answers in one room, honouring dedupe, closes the
// race with parallel jobs and opens the task.
func (d *Delivery) room(ctx context.Context, room int64, msg Message) Result {
	res := Result{Room: room, Closed: d.closed[room].ids, Warnings: d.closed[room].warnings}
	c := d.c
	mode, target := d.plan.Mode, d.plan.Targets[room]
	if mode != Post && target == "" {
		res.Notes = append(res.Notes, fmt.Sprintf("mode is %s but no message-id was given for room %d; posting a new message", mode, room))
		mode = Post
	}
	if mode == Reply {
		orig, err := findMessage(ctx, c, room, target)
		switch {
		case err == nil:
			msg.Body = replyLine(room, target, orig, d.opts.Redact) + msg.Body
		case chatwork.IsGone(err):
			res.Notes = append(res.Notes, fmt.Sprintf("message %s in room %d cannot be found, so the new message is not threaded under it", target, room))
			mode = Post
		default:
			res.Err = fmt.Errorf("room %d: reading message %s to reply to: %w", room, target, err)
			return res
		}
	}
	res.Body = msg.Body

	seen := map[string]bool{} // messages in the room before we posted
	if read := d.reads[room]; read != nil {
		got := <-read
		me, err := d.myAccount(ctx)
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
			res.Action, res.MessageID = Duplicate, oldest(dups).ID
			return res
		}
		if got.msgs.Limited {
			res.Notes = append(res.Notes, fmt.Sprintf("Chatwork's free-plan limit hid part of room %d's history, so an older duplicate cannot be ruled out", room))
		}
	}

	if mode == Update {
		id, err := c.UpdateMessage(ctx, room, target, msg.Body)
		switch {
		case err == nil:
			res.Action, res.MessageID = Updated, id
			d.follow(ctx, msg, &res)
			return res
		case chatwork.IsGone(err):
			res.Notes = append(res.Notes, fmt.Sprintf("message %s in room %d could not be edited (it is gone or not the token owner's: %v); posted a new message instead", target, room, err))
		default:
			res.Err = fmt.Errorf("room %d: editing message %s: %w", room, target, err)
			return res
		}
	}

	since := d.opts.Clock.Now().Add(-time.Minute)
	pr, err := c.PostMessage(ctx, room, msg.Body, chatwork.PostOptions{
		SelfUnread: d.plan.SelfUnread,
		Dedupe:     d.plan.Dedupe,
		Adopt:      d.adopter(room, msg, seen, since),
	})
	if err != nil {
		res.Err = fmt.Errorf("room %d: posting: %w", room, err)
		return res
	}
	res.Action, res.MessageID = Posted, pr.ID
	if mode == Reply {
		res.Action = Replied
	}
	switch {
	case pr.Parallel:
		res.Action = Adopted
		res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) in room %d, so it was not posted again", pr.ID, room))
	case pr.Recovered:
		res.Notes = append(res.Notes, fmt.Sprintf("the answer to the post in room %d was lost; message %s was found in the room, so it was not posted again", room, pr.ID))
	case pr.ID == "":
		res.Warnings = append(res.Warnings, idUnknown(room, d.plan.Dedupe))
	}
	if pr.Uncertain && pr.ID != "" {
		d.removeLateCopies(ctx, msg, seen, since, &res)
	}
	if res.Action == Adopted {
		return res
	}
	if d.plan.Dedupe && d.adoptEarlier(ctx, msg, &res) {
		return res
	}
	d.follow(ctx, msg, &res)
	return res
}

// idUnknown says that a message is in the room but its id is not known,
// and where to find it.
func idUnknown(room int64, dedupe bool) string {
	how := "set dedupe: true so that a run reads it back from the room"
	if dedupe {
		how = "the room did not show it yet"
	}
	return fmt.Sprintf("room %d: Chatwork stored the message, but its answer was cut, so its message id is unknown (%s): find it in the room, https://www.chatwork.com/#!rid%d, and the message-id output is empty", room, how, room)
}

// follow does what comes after a message of ours is in the room: the
// failure task, then the attachment.
func (d *Delivery) follow(ctx context.Context, msg Message, res *Result) {
	d.openTask(ctx, msg.Task, res)
	if a := msg.Attachment; a != nil {
		id, err := d.c.UploadFile(ctx, res.Room, a.Name, a.Content, a.Note)
		if err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("room %d: the message is there (%s) but uploading %s failed: %v", res.Room, res.MessageID, a.Name, err))
			return
		}
		res.FileID = id
	}
}

// myAccount returns the token's account id, asking Chatwork once.
func (d *Delivery) myAccount(ctx context.Context) (int64, error) {
	d.meOnce.Do(func() {
		var a chatwork.Account
		a, d.meErr = d.c.Me(ctx)
		d.meID = a.AccountID
	})
	return d.meID, d.meErr
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
	return chatwork.SameBody(m.Body, msg.Body) && m.SendTime >= since.Unix()
}

// ourCopies reads the room and returns the copies of msg that ours
// accepts.
func (d *Delivery) ourCopies(ctx context.Context, room int64, msg Message, seen map[string]bool, since time.Time) ([]chatwork.Message, error) {
	me, err := d.myAccount(ctx)
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
		res.Notes = append(res.Notes, fmt.Sprintf("could not re-read room %d to remove a late copy of the message: %v", res.Room, err))
		return
	}
	for _, m := range copies {
		if idLess(res.MessageID, m.ID) {
			if err := d.c.DeleteMessage(ctx, res.Room, m.ID); err != nil {
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
func (d *Delivery) adoptEarlier(ctx context.Context, msg Message, res *Result) bool {
	msgs, err := d.c.ListMessages(ctx, res.Room)
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
	if err := d.c.DeleteMessage(ctx, res.Room, own.ID); err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) but deleting ours (%s) failed: %v", earlier.ID, own.ID, err))
		return false
	}
	res.Notes = append(res.Notes, fmt.Sprintf("a parallel job posted the same message first (%s) in room %d; deleted ours (%s)", earlier.ID, res.Room, own.ID))
	res.Action, res.MessageID = Adopted, earlier.ID
	return true
}

// openTask creates the failure task in the room, when there is one to open.
func (d *Delivery) openTask(ctx context.Context, body string, res *Result) {
	if body == "" || len(d.plan.TaskTo) == 0 {
		return
	}
	var deadline time.Time
	if d.plan.TaskDeadline != nil {
		deadline = d.plan.TaskDeadline(d.opts.Clock.Now())
	}
	ids, err := d.c.CreateTask(ctx, res.Room, chatwork.Task{Body: body, ToIDs: d.plan.TaskTo, Limit: deadline})
	if err != nil {
		res.Err = fmt.Errorf("room %d: the message is there (%s) but creating the task failed: %w", res.Room, res.MessageID, err)
		return
	}
	res.TaskIDs = ids
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
		return strings.Contains(chatwork.NormaliseBody(m.Body), msg.Key)
	}
	return chatwork.SameBody(m.Body, msg.Body)
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
