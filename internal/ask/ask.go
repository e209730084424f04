// Package ask owns the waiting side of an approval gate: once the action
// has posted a question to a Chatwork room, Wait reads the room at a
// polite pace until an approver answers, the time is up or the job is
// cancelled. Whether one message answers the question is internal/answer's
// decision; posting the question and reporting the outcome belong to the
// caller.
//
// The polling schedule: the first read is at once and the second 5 s
// later; after a read that brought a new message (someone is talking in
// the room) the next is 5 s later; each read that brought nothing new
// adds 2.5 s to the pause, up to 15 s (in a quiet room the reads are at
// 0, 5, 12.5, 22.5, 35, 50, 65… s); a failed read is followed by the
// slowest pace, 15 s. Two reads are never closer than MinInterval: a last
// read is made at the deadline when the one before it is at least that
// long ago. At 15 s a wait spends 20 of the 300 requests per 5 minutes
// that Chatwork allows a token (every job using the token shares them);
// at 5 s, 60.
//
// Failed reads: the chatwork client retries inside one read (a 429 waits
// until x-ratelimit-reset when its budget allows, a 5xx or a network error
// backs off), and that wait is cut 10 s after the deadline at the latest.
// What the client gives up on is reported (ReadFailed) and read again at
// the next poll, 15 s later; only a refusal another read cannot mend (a
// 3xx, or a 4xx other than 408 and 429: a bad token, no access to the
// room, no such room) ends the wait with an error.
package ask

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/answer"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/clock"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// The bounds of the polling schedule (see the package comment).
const (
	MinInterval = 5 * time.Second  // the fastest pace, while the room is active
	MaxInterval = 15 * time.Second // the slowest pace, while nothing happens
	// step is what each read that brought nothing new adds to the interval.
	step = 2500 * time.Millisecond
)

// MaxText is how many characters of an answer's text Result keeps.
const MaxText = 300

const (
	// readGrace is how long a read begun before the deadline may run past
	// it (a read at the deadline needs time to answer); a read still going
	// then, such as the client waiting out a rate limit, is abandoned.
	readGrace = 10 * time.Second
	// window is how many messages a read returns at most (Chatwork's
	// newest 100).
	window = 100
)

// Lister reads a room: the newest (up to 100) messages, as
// chatwork.Client's ListMessages does with force=1. The client's own
// retries run inside one call: give it a time budget that covers the whole
// wait (chatwork.Options.Budget at least Timeout plus a minute), so that
// it waits out a 429 until x-ratelimit-reset instead of failing, and so
// that its budget is not spent before the wait ends.
type Lister interface {
	ListMessages(ctx context.Context, room int64) (chatwork.Messages, error)
}

// Options configure Wait.
type Options struct {
	Lister   Lister          // reads the question's room
	Question answer.Question // the question, its room and its approvers
	// Timeout is how long to wait for an answer, from the call of Wait.
	Timeout time.Duration
	// Clock tells the time and sleeps; clock.Real when nil.
	Clock clock.Clock
	// Log receives what the caller should log (see Event); called on
	// Wait's goroutine. Nil drops the events.
	Log func(Event)
	// Redact removes secrets from the room's text (names, bodies) before
	// anything reads or cuts it, so a cut never leaves part of one; nil
	// leaves text as it is.
	Redact func(string) string
}

// Outcome is how a wait ended.
type Outcome int

// The outcomes.
const (
	Approved  Outcome = iota + 1 // an approver approved
	Rejected                     // an approver rejected
	TimedOut                     // no answer before the timeout
	Cancelled                    // the context ended first (the job was cancelled)
)

// String returns "approved", "rejected", "timed-out" or "cancelled".
func (o Outcome) String() string {
	switch o {
	case Approved:
		return "approved"
	case Rejected:
		return "rejected"
	case TimedOut:
		return "timed-out"
	case Cancelled:
		return "cancelled"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Result is the end of a wait. The answer's fields are set when Outcome is
// Approved or Rejected.
type Result struct {
	Outcome   Outcome
	AccountID int64  // who answered
	Name      string // their name as Chatwork gave it
	MessageID string // the answer's message id
	// Text is the answer as a person reads it (answer.Visible: notation
	// removed, case and width as typed), cut to at most MaxText
	// characters.
	Text string
}

// Wait reads the question's room (see the package comment for the pace)
// and judges, once each, the messages newer than the question with
// answer.Judge, oldest first; the first that approves or rejects ends the
// wait. The ignored messages that looked like answers, and the reads after
// which an answer may have been missed, are reported to o.Log.
//
// A read that fails is reported and tried again at the next poll, until
// the timeout; a refusal that another read cannot mend (401, 403, 404 and
// other 4xx but 408 and 429) ends the wait with the error and a zero
// Result, as do options it cannot work with. The timeout and the context
// ending are outcomes, not errors: Wait returns TimedOut or Cancelled,
// the latter at once, even in the middle of a sleep or a read.
func Wait(ctx context.Context, o Options) (Result, error) {
	if err := o.check(); err != nil {
		return Result{}, err
	}
	w := &waiter{
		o:     o,
		clock: cmp.Or[clock.Clock](o.Clock, clock.Real{}),
		log:   o.Log,
		seen:  map[string]bool{},
		// The question is news: the first quiet read is followed by the
		// fastest pace, as if the one before it had brought something.
		interval: MinInterval - step,
	}
	if w.log == nil {
		w.log = func(Event) {}
	}
	if w.o.Redact == nil {
		w.o.Redact = func(s string) string { return s }
	}
	w.deadline = w.clock.Now().Add(o.Timeout)
	return w.run(ctx)
}

// check reports options Wait cannot work with.
func (o Options) check() error {
	q := o.Question
	switch {
	case o.Lister == nil:
		return errors.New("ask: no Lister to read the room with")
	case o.Timeout <= 0:
		return fmt.Errorf("ask: the timeout must be positive, not %s", o.Timeout)
	case q.Room <= 0:
		return fmt.Errorf("ask: room %d is not a room ID", q.Room)
	case !chatwork.IsMessageID(q.ID):
		return fmt.Errorf("ask: the question's message id %q is not a Chatwork message id", q.ID)
	case len(q.Approvers) == 0:
		return errors.New("ask: no approvers: nobody could answer the question")
	}
	return nil
}

// waiter is one wait in progress.
type waiter struct {
	o        Options
	clock    clock.Clock
	log      func(Event)
	deadline time.Time
	seen     map[string]bool // the messages after the question already judged
	interval time.Duration   // the pause before the next read
	// ownSince: the token's account posted another message after the
	// question, so a TO to it no longer says which message it answers.
	ownSince bool
}

// run reads and sleeps until an answer, the deadline or the context's end.
func (w *waiter) run(ctx context.Context) (Result, error) {
	for {
		res, done, err := w.poll(ctx)
		if done || err != nil {
			return res, err
		}
		pause, last := w.pause()
		if err := w.clock.Sleep(ctx, pause); err != nil || ctx.Err() != nil {
			return Result{Outcome: Cancelled}, nil
		}
		if last {
			return Result{Outcome: TimedOut}, nil
		}
	}
}

// pause is the sleep before the next read; last is true when no read
// follows it (the deadline comes sooner than MinInterval).
func (w *waiter) pause() (d time.Duration, last bool) {
	left := w.deadline.Sub(w.clock.Now())
	switch {
	case left <= 0:
		return 0, true
	case left < MinInterval:
		return left, true
	}
	return min(w.interval, left), false
}

// poll reads the room once and judges what is new. done is true when the
// wait is over, with res saying how.
func (w *waiter) poll(ctx context.Context) (res Result, done bool, err error) {
	rctx, cancel := context.WithTimeout(ctx, w.deadline.Sub(w.clock.Now())+readGrace)
	defer cancel()
	msgs, err := w.o.Lister.ListMessages(rctx, w.o.Question.Room)
	switch {
	case ctx.Err() != nil:
		return Result{Outcome: Cancelled}, true, nil
	case err != nil && permanent(err):
		return Result{}, true, fmt.Errorf("reading room %d for the answer: %w", w.o.Question.Room, err)
	case err != nil && rctx.Err() != nil:
		return Result{Outcome: TimedOut}, true, nil
	case err != nil:
		w.interval = MaxInterval
		w.log(Event{Kind: ReadFailed, Err: err})
		return Result{}, false, nil
	}
	res, done = w.judge(msgs.List)
	return res, done, nil
}

// permanent reports whether err is a refusal that reading again cannot
// mend: a 3xx or 4xx answer other than 408 and 429.
func permanent(err error) bool {
	var ae *chatwork.APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Status < 500 && ae.Status != http.StatusTooManyRequests && ae.Status != http.StatusRequestTimeout
}

// judge reads the messages of one read, oldest first: each one newer than
// the question and not judged before is judged once. It sets the next
// interval from whether anything was new.
func (w *waiter) judge(list []chatwork.Message) (Result, bool) {
	list = slices.SortedStableFunc(slices.Values(list), func(a, b chatwork.Message) int { return compareIDs(a.ID, b.ID) })
	gap := w.checkGap(list)
	q := w.o.Question
	fresh := false
	for _, m := range list {
		if w.seen[m.ID] || compareIDs(m.ID, q.ID) <= 0 {
			continue
		}
		w.seen[m.ID], fresh = true, true
		m.Account.Name, m.Body = w.o.Redact(m.Account.Name), w.o.Redact(m.Body)
		am := answer.Message{ID: m.ID, AccountID: m.Account.AccountID, Name: m.Account.Name, Body: m.Body}
		v, reason := answer.Judge(q, am)
		v, reason = w.doubt(v, reason, am, gap)
		switch {
		case v == answer.Approve || v == answer.Reject:
			return answered(v, m), true
		case reason != "":
			w.log(Event{Kind: Ignored, MessageID: m.ID, AccountID: m.Account.AccountID, Name: m.Account.Name, Reason: reason})
		}
		if m.Account.AccountID == q.Me {
			w.ownSince = true
		}
	}
	if fresh {
		w.interval = MinInterval
	} else {
		w.interval = min(w.interval+step, MaxInterval)
	}
	return Result{}, false
}

// The reasons doubt gives for an approval it does not count.
const (
	// AfterGap: an approval read after a gap, which may hide an earlier
	// rejection.
	AfterGap answer.Reason = "approves, but more than 100 messages came since the last read and an earlier rejection may be among them; answer again"
	// AmbiguousTo: an approval by TO after the token's account posted
	// another message, which it may answer instead.
	AmbiguousTo answer.Reason = "addresses the token's account with TO, but that account posted another message since the question, which this may answer; reply to the question instead"
)

// doubt fails an approval closed when it cannot be sure what it answers:
// read after a gap (an earlier rejection may be hidden), or made with TO
// after the token's account posted something else. A rejection counts
// however it came.
func (w *waiter) doubt(v answer.Verdict, reason answer.Reason, m answer.Message, gap bool) (answer.Verdict, answer.Reason) {
	switch {
	case v != answer.Approve:
		return v, reason
	case gap:
		return answer.None, AfterGap
	case w.ownSince && !answer.Replies(w.o.Question, m):
		return answer.None, AmbiguousTo
	}
	return v, reason
}

// checkGap reports a read whose whole window is new: every message of a
// full read is unseen and newer than the question, so more may have
// arrived since the last read than one read returns, and an answer among
// them would not be read.
func (w *waiter) checkGap(list []chatwork.Message) bool {
	if len(list) < window || compareIDs(list[0].ID, w.o.Question.ID) <= 0 {
		return false
	}
	for _, m := range list {
		if w.seen[m.ID] {
			return false
		}
	}
	w.log(Event{Kind: Gap, MessageID: list[0].ID})
	return true
}

// answered is the Result of the answer m with verdict v.
func answered(v answer.Verdict, m chatwork.Message) Result {
	o := Approved
	if v == answer.Reject {
		o = Rejected
	}
	return Result{
		Outcome:   o,
		AccountID: m.Account.AccountID,
		Name:      m.Account.Name,
		MessageID: m.ID,
		Text:      text.CutRunes(answer.Visible(m.Body), MaxText),
	}
}

// compareIDs orders message ids as numbers (chatwork.CompareMessageIDs);
// ids that are not decimal numbers come first, in string order, so they
// are never after the question.
func compareIDs(a, b string) int {
	if c, ok := chatwork.CompareMessageIDs(a, b); ok {
		return c
	}
	_, okA := chatwork.CompareMessageIDs(a, a)
	_, okB := chatwork.CompareMessageIDs(b, b)
	switch {
	case okA && !okB:
		return 1
	case okB && !okA:
		return -1
	}
	return strings.Compare(a, b)
}
