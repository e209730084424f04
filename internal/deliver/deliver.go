// Package deliver puts one rendered message into every room of a plan:
// post, update or reply; the dedupe read; the race between parallel jobs
// that post the same message; adopting a post whose answer was lost;
// removing a late copy; the failure task and closing the ones a success
// makes moot. It knows Chatwork (through chatwork.Client) and its
// notation, nothing about events or inputs, and reports what happened as
// typed events (Event) that its caller words.
package deliver

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/clock"
)

// Mode is what to do in each room (the mode input).
type Mode string

// The modes.
const (
	Post   Mode = "post"   // a new message
	Update Mode = "update" // edit the target message in place
	Reply  Mode = "reply"  // a new message threaded under the target
	// Ask posts a question (a new message, like Post) and waits for an
	// approver's answer; the waiting is the caller's (internal/ask).
	Ask Mode = "ask"
)

// Modes are the modes in the order help texts name them.
var Modes = []Mode{Post, Update, Reply, Ask}

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
	Mode       Mode
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
	// Attachments are files to upload after the message, in order.
	Attachments []Attachment
	// FollowUp, when set, is posted after a successful edit (mode update)
	// as a reply to the edited message: Chatwork does not notify an edit,
	// so a failure that only edits a message could pass unseen.
	FollowUp string
}

// Attachment is a file that follows the message into each room.
type Attachment struct {
	Name    string // the file name
	Content []byte // at most chatwork.MaxFileBytes
	Note    string // the text Chatwork shows with it (already neutralised); "" for none
}

// Result is the outcome in one room.
type Result struct {
	Room      int64
	Action    Action // "" when Err is set
	MessageID string
	Body      string  // the body sent (with the reply line, in reply mode)
	Events    []Event // what the log should say about this room
	TaskIDs   []int64
	Closed    []int64 // failure tasks marked done
	// FollowUpID is the reply posted after an edit (Message.FollowUp).
	FollowUpID string
	FileIDs    []int64 // the attachments uploaded, in order
	Err        error
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

// Delivery is a plan in progress: Start begins the reads the plan needs,
// Deliver finishes them with the message.
type Delivery struct {
	c    *chatwork.Client
	plan Plan
	opts Options

	// What Start prefetches, per room.
	reads   perRoom[roomRead]
	members perRoom[memberRead]
	tasks   perRoom[taskRead]

	me     *later[meRead] // the token's account, asked once
	closed map[int64]closing
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

type meRead struct {
	id   int64
	name string
	err  error
}

// closing is what CloseTasks did in one room.
type closing struct {
	ids    []int64
	events []Event
}

// Start begins the plan: it reads, beside whatever the caller does before
// the message is ready, every room's members (Plan.Members), the open
// failure tasks (Plan.CloseTasks), and with Dedupe every room's messages
// (after a random pause within the spread) and the token's account.
func Start(ctx context.Context, c *chatwork.Client, plan Plan, opts Options) *Delivery {
	if opts.Redact == nil {
		opts.Redact = func(s string) string { return s }
	}
	if opts.Spread == 0 {
		opts.Spread = defaultSpread
	}
	d := &Delivery{c: c, plan: plan, opts: opts}
	d.me = lazy(func() meRead {
		a, err := c.Me(ctx)
		return meRead{a.AccountID, a.Name, err}
	})
	if plan.Members {
		d.members = prefetch(plan.Rooms, func(room int64) memberRead {
			list, err := c.Members(ctx, room)
			return memberRead{list, err}
		})
	}
	if plan.CloseTasks != "" {
		d.tasks = prefetch(plan.Rooms, func(room int64) taskRead { return d.failureTasks(ctx, room) })
	}
	if plan.Dedupe {
		d.me.begin()                                                          // dedupe counts only our own messages
		pause := time.Duration(rand.Float64() * float64(max(opts.Spread, 0))) //nolint:gosec // spreads reads in time; nothing secret
		d.reads = prefetch(plan.Rooms, func(room int64) roomRead {
			if err := opts.Clock.Sleep(ctx, pause); err != nil {
				return roomRead{err: err}
			}
			msgs, err := c.ListMessages(ctx, room)
			return roomRead{msgs, err}
		})
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

// myAccount returns the token's account id, asking Chatwork once.
func (d *Delivery) myAccount() (int64, error) {
	got := d.me.get()
	return got.id, got.err
}
