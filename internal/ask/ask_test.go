package ask_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chatwork-notify/chatwork-notify/internal/answer"
	"github.com/chatwork-notify/chatwork-notify/internal/ask"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/clock"
)

const (
	token    = "0123456789abcdef0123456789abcdef"
	me       = int64(4242001) // the token's account, which asks
	approver = int64(1001)
	second   = int64(1003) // another approver
	stranger = int64(2002) // a member who is not an approver
	room     = int64(123456)
)

// names are the accounts' names in the room.
var names = map[int64]string{me: "CI Bot", approver: "Sato", second: "Suzuki", stranger: "Tanaka"}

// fixture is a room with an earlier conversation and the question, a
// client of the fake Chatwork, and the events of a wait. It runs in a
// synctest bubble: time is virtual, and clock.Real sleeps on it.
type fixture struct {
	srv    *chatworktest.Server
	client *chatwork.Client
	q      answer.Question
	start  time.Time
	events []ask.Event // appended on Wait's goroutine

	mu    sync.Mutex
	ids   []string    // the messages posted by post, in order
	reads []time.Time // when the server answered each read
}

func newFixture(t *testing.T, budget time.Duration) *fixture {
	t.Helper()
	srv := chatworktest.NewInMemory(t)
	srv.AddToken(token, me, names[me])
	srv.AddRoom(room, me, approver, second, stranger)
	// Would-be answers from before the question (an earlier gate's): they
	// never count and are not reported.
	srv.PostAs(room, approver, names[approver], "[To:4242001]CI Bot\nOK")
	srv.PostAs(room, second, names[second], "[rp aid=4242001 to=123456-1897000000000000001]CI Bot\nNG")
	qid := srv.Seed(room, me, "[info][title]Deploy to production?[/title]Reply OK or NG.[/info]")
	u, err := url.Parse(srv.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		srv: srv,
		client: chatwork.New(u, token, chatwork.Options{
			HTTPClient: srv.Client(), Clock: clock.Real{}, Budget: budget,
			Jitter: func() float64 { return 0.5 }, Logf: func(format string, a ...any) { t.Logf("client: "+format, a...) },
		}),
		q:     answer.Question{Room: room, ID: qid, Me: me, Approvers: []int64{approver, second}},
		start: time.Now(),
	}
	srv.OnRead(room, func(int) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.reads = append(f.reads, time.Now())
	})
	return f
}

// reply is body as the reply button writes it under the question.
func (f *fixture) reply(body string) string {
	return fmt.Sprintf("[rp aid=%d to=%d-%s]CI Bot\n%s", me, room, f.q.ID, body)
}

// post makes account post body when the room's nth read happens (so the
// read after it sees the message).
func (f *fixture) post(n int, account int64, body string) {
	f.srv.OnRead(room, func(read int) {
		if read != n {
			return
		}
		id := f.srv.PostAs(room, account, names[account], body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.ids = append(f.ids, id)
	})
}

func (f *fixture) posted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ids...)
}

// readTimes are the times of the reads the server answered, from the
// start of the test.
func (f *fixture) readTimes() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ds []time.Duration
	for _, at := range f.reads {
		ds = append(ds, at.Sub(f.start))
	}
	return ds
}

func (f *fixture) wait(ctx context.Context, timeout time.Duration) (ask.Result, error) {
	return ask.Wait(ctx, ask.Options{
		Lister: f.client, Question: f.q, Timeout: timeout, Clock: clock.Real{},
		Log: func(e ask.Event) { f.events = append(f.events, e) },
	})
}

// event is the part of an ask.Event the tests compare.
type event struct {
	Kind    ask.EventKind
	Account int64
	Name    string
	Reason  answer.Reason
}

func (f *fixture) eventList() []event {
	var es []event
	for _, e := range f.events {
		es = append(es, event{e.Kind, e.AccountID, e.Name, e.Reason})
	}
	return es
}

// post is a message someone posts when the room's nth read happens; its
// body's "RP " becomes the reply tag to the question.
type post struct {
	read    int
	account int64
	body    string
}

func TestWaitDecides(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		posts []post
		want  ask.Result // MessageID is not compared: see decider
		// decider is the index in posts of the answer that decides.
		decider int
		events  []event
	}{
		{name: "approve by reply", posts: []post{{2, approver, "RP OK"}},
			want: ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "OK"}},
		{name: "reject by reply", posts: []post{{2, approver, "RP NG, not today"}},
			want: ask.Result{Outcome: ask.Rejected, AccountID: approver, Name: "Sato", Text: "NG, not today"}},
		{name: "approve with To", posts: []post{{1, second, "[To:4242001]CI Botさん\nはい、お願いします"}},
			want: ask.Result{Outcome: ask.Approved, AccountID: second, Name: "Suzuki", Text: "はい、お願いします"}},
		{name: "full-width ＯＫ", posts: []post{{1, approver, "RP ＯＫ"}},
			want: ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "ＯＫ"}},
		{name: "承認します", posts: []post{{1, second, "RP 承認します"}},
			want: ask.Result{Outcome: ask.Approved, AccountID: second, Name: "Suzuki", Text: "承認します"}},
		{name: "a non-approver's OK is ignored, then an approver decides",
			posts:   []post{{1, stranger, "RP OK"}, {3, approver, "RP 却下"}},
			decider: 1,
			want:    ask.Result{Outcome: ask.Rejected, AccountID: approver, Name: "Sato", Text: "却下"},
			events:  []event{{ask.Ignored, stranger, "Tanaka", answer.NotApprover}}},
		{name: "the token's own account is ignored",
			posts:   []post{{1, me, "RP OK"}, {2, approver, "RP NG"}},
			decider: 1,
			want:    ask.Result{Outcome: ask.Rejected, AccountID: approver, Name: "Sato", Text: "NG"},
			events:  []event{{ask.Ignored, me, "CI Bot", answer.TokenAccount}}},
		{name: "a TO after the token's account posted again does not approve",
			posts:   []post{{1, me, "another notification"}, {1, approver, "[To:4242001]CI Botさん\nOK"}, {2, approver, "RP OK"}},
			decider: 2,
			want:    ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "OK"},
			events:  []event{{ask.Ignored, approver, "Sato", ask.AmbiguousTo}}},
		{name: "a TO rejection counts whatever came before",
			posts:   []post{{1, me, "another notification"}, {1, approver, "[To:4242001]CI Botさん\nNG"}},
			decider: 1,
			want:    ask.Result{Outcome: ask.Rejected, AccountID: approver, Name: "Sato", Text: "NG"}},
		{name: "a plain OK that is not a reply is ignored",
			posts:   []post{{1, approver, "OK"}, {2, approver, "RP OK"}},
			decider: 1,
			want:    ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "OK"},
			events:  []event{{ask.Ignored, approver, "Sato", answer.NotAReply}}},
		{name: "a reply that is not an answer is ignored",
			posts:   []post{{1, approver, "RP checking the diff"}, {2, approver, "RP LGTM"}},
			decider: 1,
			want:    ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "LGTM"},
			events:  []event{{ask.Ignored, approver, "Sato", answer.UnknownWord}}},
		{name: "chatter is neither an answer nor reported",
			posts:   []post{{1, stranger, "lunch?"}, {1, approver, "sure"}, {2, second, "RP yes"}},
			decider: 2,
			want:    ask.Result{Outcome: ask.Approved, AccountID: second, Name: "Suzuki", Text: "yes"}},
		{name: "the oldest answer of a read decides",
			posts: []post{{1, approver, "RP NG"}, {1, second, "RP OK"}},
			want:  ask.Result{Outcome: ask.Rejected, AccountID: approver, Name: "Sato", Text: "NG"}},
		{name: "a long answer is cut to 300 characters",
			posts: []post{{1, approver, "RP OK\n" + strings.Repeat("あ", 400)}},
			want:  ask.Result{Outcome: ask.Approved, AccountID: approver, Name: "Sato", Text: "OK " + strings.Repeat("あ", 296) + "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, time.Hour)
				for _, p := range tt.posts {
					f.post(p.read, p.account, strings.Replace(p.body, "RP ", f.reply(""), 1))
				}
				res, err := f.wait(context.Background(), 10*time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				if ids := f.posted(); len(ids) == len(tt.posts) {
					want.MessageID = ids[tt.decider]
				}
				if diff := cmp.Diff(want, res); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.events, f.eventList()); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestOlderMessagesAndTimeout: the room holds would-be answers older than
// the question and nobody answers: the wait times out at its deadline,
// with no error and nothing reported.
func TestOlderMessagesAndTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, time.Hour)
		res, err := f.wait(context.Background(), time.Minute)
		if err != nil || res != (ask.Result{Outcome: ask.TimedOut}) {
			t.Fatalf("res %+v, err %v; want timed-out", res, err)
		}
		if took := time.Since(f.start); took != time.Minute {
			t.Errorf("timed out after %s, want 1m0s", took)
		}
		if len(f.events) != 0 {
			t.Errorf("events %v, want none", f.events)
		}
	})
}

// TestAnswerJustBeforeTheDeadline: an answer posted after the last regular
// read is found by the read at the deadline.
func TestAnswerJustBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, time.Hour)
		f.post(6, approver, f.reply("OK")) // the read at 50 s; the next is at 60 s
		res, err := f.wait(context.Background(), time.Minute)
		if err != nil || res.Outcome != ask.Approved {
			t.Fatalf("res %+v, err %v; want approved", res, err)
		}
		if took := time.Since(f.start); took != time.Minute {
			t.Errorf("approved after %s, want at the deadline, 1m0s", took)
		}
	})
}

// seconds turns seconds into durations.
func seconds(ss ...float64) []time.Duration {
	var ds []time.Duration
	for _, s := range ss {
		ds = append(ds, time.Duration(s*float64(time.Second)))
	}
	return ds
}

// TestPollSchedule counts the reads of a 2-minute wait: never closer than
// 5 s, never further apart than 15 s; a quiet room slows down by 2.5 s a
// read, a busy one stays at (or comes back to) 5 s; no read is made less
// than 5 s after the one before, even at the deadline.
func TestPollSchedule(t *testing.T) {
	t.Parallel()
	every5s := func(from, to time.Duration) []time.Duration {
		var ds []time.Duration
		for d := from; d <= to; d += 5 * time.Second {
			ds = append(ds, d)
		}
		return ds
	}
	tests := []struct {
		name     string
		chatFrom int // someone chats at every read from this one on; 0: never
		timeout  time.Duration
		reads    []time.Duration
	}{
		{"quiet room", 0, 2 * time.Minute, seconds(0, 5, 12.5, 22.5, 35, 50, 65, 80, 95, 110, 120)},
		{"busy room", 1, 2*time.Minute + 3*time.Second, every5s(0, 2*time.Minute)},
		{"a room that wakes up", 4, 2 * time.Minute, append(seconds(0, 5, 12.5, 22.5), every5s(35*time.Second, 2*time.Minute)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, time.Hour)
				if tt.chatFrom > 0 {
					f.srv.OnRead(room, func(n int) {
						if n >= tt.chatFrom {
							f.srv.PostAs(room, stranger, "Tanaka", "message "+strconv.Itoa(n))
						}
					})
				}
				res, err := f.wait(context.Background(), tt.timeout)
				if err != nil || res.Outcome != ask.TimedOut {
					t.Fatalf("res %+v, err %v; want timed-out", res, err)
				}
				if took := time.Since(f.start); took != tt.timeout {
					t.Errorf("timed out after %s, want %s", took, tt.timeout)
				}
				reads := f.readTimes()
				if n := len(reads); n < 8 || n > 25 {
					t.Errorf("%d reads in 2 minutes, want between 2m/15s = 8 and 2m/5s + 1 = 25", n)
				}
				for i := 1; i < len(reads); i++ {
					if gap := reads[i] - reads[i-1]; gap < ask.MinInterval || gap > ask.MaxInterval {
						t.Errorf("reads at %s and %s: %s apart", reads[i-1], reads[i], gap)
					}
				}
				if diff := cmp.Diff(tt.reads, reads); diff != "" {
					t.Errorf("read times (-want +got):\n%s", diff)
				}
				for _, r := range f.srv.Requests() {
					if r.Method != http.MethodGet || r.Query.Get("force") != "1" {
						t.Errorf("request %s %s?%s, want GET with force=1", r.Method, r.Path, r.Query.Encode())
					}
				}
			})
		})
	}
}

// TestRateLimit: a read that meets the account's rate limit (429) waits
// until x-ratelimit-reset, or, when the client cannot wait that long,
// is reported and tried again at the slowest pace; the wait neither gives
// up nor asks again before it should.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		budget time.Duration // the client's
		reset  time.Duration // from the 429, which is the second read
		times  int           // of the 429
		answer bool          // the approver answers after the first read
		want   ask.Outcome
		reads  []time.Duration // those the server answered
		failed int             // ReadFailed events
		took   time.Duration   // when the wait ended; 0: not checked
	}{
		{name: "the client waits until the reset", budget: time.Hour, reset: time.Minute, times: 1, answer: true,
			want: ask.Approved, reads: seconds(0, 61)},
		{name: "a reset beyond the client's budget is read again after 15 s", budget: 2 * time.Minute, reset: 10 * time.Minute,
			times: 1, answer: true, want: ask.Approved, reads: seconds(0, 20), failed: 1},
		{name: "a limit that stays is read at 15 s until the timeout", budget: 2 * time.Minute, reset: 10 * time.Minute,
			times: chatworktest.Always, want: ask.TimedOut, reads: seconds(0), failed: 5, took: time.Minute},
		{name: "a reset after the deadline: the client's wait ends 10 s after it", budget: time.Hour, reset: 5 * time.Minute,
			times: 1, answer: true, want: ask.TimedOut, reads: seconds(0), took: 70 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, tt.budget)
				f.srv.OnRead(room, func(n int) {
					if n != 1 {
						return
					}
					reset := strconv.FormatInt(time.Now().Add(tt.reset).Unix(), 10)
					f.srv.Inject(chatworktest.Fault{Method: http.MethodGet, Path: "/messages", Status: http.StatusTooManyRequests,
						Times: tt.times, Header: map[string]string{"x-ratelimit-reset": reset}})
					if tt.answer {
						f.srv.PostAs(room, approver, "Sato", f.reply("OK"))
					}
				})
				res, err := f.wait(context.Background(), time.Minute)
				if err != nil || res.Outcome != tt.want {
					t.Fatalf("res %+v, err %v; want %s", res, err, tt.want)
				}
				if diff := cmp.Diff(tt.reads, f.readTimes()); diff != "" {
					t.Errorf("read times (-want +got):\n%s", diff)
				}
				if took := time.Since(f.start); tt.took != 0 && took != tt.took {
					t.Errorf("the wait ended after %s, want %s", took, tt.took)
				}
				failed := 0
				for _, e := range f.events {
					var ae *chatwork.APIError
					if e.Kind != ask.ReadFailed || !errors.As(e.Err, &ae) || ae.Status != http.StatusTooManyRequests {
						t.Errorf("event %v, want a failed read with a 429", e)
					}
					failed++
				}
				if failed != tt.failed {
					t.Errorf("%d failed reads reported, want %d", failed, tt.failed)
				}
				if got, want := len(f.srv.Requests()), len(tt.reads)+1; tt.times == 1 && got != want {
					t.Errorf("%d requests, want %d: the 429 is asked once", got, want)
				}
			})
		})
	}
}

// TestFailures: a read Chatwork refuses for good ends the wait at once
// with the error; a server error is retried.
func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		token  string
		room   int64
		fault  *chatworktest.Fault
		status int // of the error; 0: no error, approved
	}{
		{name: "a bad token", token: "ffffffffffffffffffffffffffffffff", room: room, status: http.StatusUnauthorized},
		{name: "not a member", token: token, room: 777, status: http.StatusForbidden},
		{name: "no such room", token: token, room: 888, status: http.StatusNotFound},
		{name: "a bad request", token: token, room: room, status: http.StatusBadRequest,
			fault: &chatworktest.Fault{Method: http.MethodGet, Status: http.StatusBadRequest}},
		{name: "a server error is retried", token: token, room: room,
			fault: &chatworktest.Fault{Method: http.MethodGet, Status: http.StatusBadGateway, Times: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, time.Hour)
				f.srv.AddRoom(777, approver)
				u, _ := url.Parse(f.srv.BaseURL())
				f.client = chatwork.New(u, tt.token, chatwork.Options{HTTPClient: f.srv.Client(), Clock: clock.Real{}, Budget: time.Hour})
				f.q.Room = tt.room
				if tt.fault != nil {
					f.srv.Inject(*tt.fault)
				}
				f.post(1, approver, f.reply("OK"))
				res, err := f.wait(context.Background(), 10*time.Minute)
				var ae *chatwork.APIError
				switch {
				case tt.status == 0 && (err != nil || res.Outcome != ask.Approved):
					t.Errorf("res %+v, err %v; want approved", res, err)
				case tt.status != 0 && (!errors.As(err, &ae) || ae.Status != tt.status || res != ask.Result{}):
					t.Errorf("res %+v, err %v; want an error with status %d", res, err, tt.status)
				case tt.status != 0 && time.Since(f.start) != 0:
					t.Errorf("the error came after %s, want at once", time.Since(f.start))
				}
			})
		})
	}
}

// TestCancel: the context ending (the job cancelled) ends the wait at
// once, whatever it is doing.
func TestCancel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault func() chatworktest.Fault // on the second read
	}{
		{name: "between reads"},
		{name: "while the client waits out a rate limit", fault: func() chatworktest.Fault {
			reset := strconv.FormatInt(time.Now().Add(2*time.Minute).Unix(), 10)
			return chatworktest.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, Header: map[string]string{"x-ratelimit-reset": reset}}
		}},
		{name: "while a read is held", fault: func() chatworktest.Fault {
			return chatworktest.Fault{Method: http.MethodGet, Hold: 30 * time.Second}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, time.Hour)
				if tt.fault != nil {
					f.srv.OnRead(room, func(n int) {
						if n == 1 {
							f.srv.Inject(tt.fault())
						}
					})
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				const cancelAt = 8 * time.Second // the second read is at 5 s, the third at 12.5 s
				time.AfterFunc(cancelAt, cancel)
				res, err := f.wait(ctx, 10*time.Minute)
				if err != nil || res != (ask.Result{Outcome: ask.Cancelled}) {
					t.Fatalf("res %+v, err %v; want cancelled", res, err)
				}
				if took := time.Since(f.start); took != cancelAt {
					t.Errorf("cancelled after %s, want at once, %s", took, cancelAt)
				}
			})
		})
	}
}

// TestGap: when a read's 100 messages are all new, an answer may have been
// missed: one notice each time it happens.
func TestGap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		burst  []int // messages posted after the first, second… read
		answer bool  // an approver answers before the first burst
		gaps   int
	}{
		{name: "99 new messages", burst: []int{98}, answer: true, gaps: 0},
		{name: "150 new messages", burst: []int{150}, gaps: 1},
		{name: "an answer under 120 messages is missed", burst: []int{120}, answer: true, gaps: 1},
		{name: "twice", burst: []int{150, 0, 200}, gaps: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newFixture(t, time.Hour)
				var oldest []string // the oldest message each burst leaves in the window
				var mu sync.Mutex
				f.srv.OnRead(room, func(n int) {
					if n > len(tt.burst) {
						return
					}
					if n == 1 && tt.answer {
						f.srv.PostAs(room, approver, "Sato", f.reply("OK"))
					}
					var ids []string
					for i := range tt.burst[n-1] {
						ids = append(ids, f.srv.PostAs(room, stranger, "Tanaka", "chatter "+strconv.Itoa(i)))
					}
					if len(ids) >= 100 {
						mu.Lock()
						oldest = append(oldest, ids[len(ids)-100])
						mu.Unlock()
					}
				})
				res, err := f.wait(context.Background(), time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				want := ask.TimedOut
				if tt.answer && tt.gaps == 0 {
					want = ask.Approved
				}
				if res.Outcome != want {
					t.Errorf("outcome %s, want %s", res.Outcome, want)
				}
				var got []string
				for _, e := range f.events {
					if e.Kind != ask.Gap {
						t.Errorf("event %v, want only gaps", e)
					}
					got = append(got, e.MessageID)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(got) != tt.gaps || !cmp.Equal(got, oldest) {
					t.Errorf("gap notices at %v, want %d at the oldest messages read, %v", got, tt.gaps, oldest)
				}
			})
		})
	}
}

// TestApprovalAfterAGapDoesNotCount: an approval read together with more
// than 100 new messages may come after a rejection the read cannot see,
// so it does not count (fail closed); a later approval does.
func TestApprovalAfterAGapDoesNotCount(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, time.Hour)
		f.srv.OnRead(room, func(n int) {
			switch n {
			case 1:
				for i := range 150 {
					f.srv.PostAs(room, stranger, "Tanaka", "chatter "+strconv.Itoa(i))
				}
				f.srv.PostAs(room, approver, "Sato", f.reply("OK"))
			case 2:
				f.srv.PostAs(room, approver, "Sato", f.reply("承認します"))
			}
		})
		res, err := f.wait(context.Background(), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != ask.Approved || res.Text != "承認します" {
			t.Errorf("result %+v, want the second approval", res)
		}
		var kinds []string
		for _, e := range f.events {
			kinds = append(kinds, e.Kind.String()+":"+string(e.Reason))
		}
		if want := []string{"gap:", "ignored:" + string(ask.AfterGap)}; !cmp.Equal(kinds, want) {
			t.Errorf("events %q, want %q", kinds, want)
		}
	})
}

// countingLister counts the reads it is asked for.
type countingLister struct{ calls int }

func (l *countingLister) ListMessages(context.Context, int64) (chatwork.Messages, error) {
	l.calls++
	return chatwork.Messages{}, nil
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	q := answer.Question{Room: room, ID: "1897000000000000001", Me: me, Approvers: []int64{approver}}
	tests := []struct {
		name   string
		change func(*ask.Options)
		want   string
	}{
		{"no lister", func(o *ask.Options) { o.Lister = nil }, "no Lister"},
		{"no timeout", func(o *ask.Options) { o.Timeout = 0 }, "timeout must be positive"},
		{"no room", func(o *ask.Options) { o.Question.Room = 0 }, "not a room ID"},
		{"a bad question id", func(o *ask.Options) { o.Question.ID = "rid123" }, "not a Chatwork message id"},
		{"no approvers", func(o *ask.Options) { o.Question.Approvers = nil }, "no approvers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := &countingLister{}
			o := ask.Options{Lister: l, Question: q, Timeout: time.Minute}
			tt.change(&o)
			_, err := ask.Wait(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one saying %q", err, tt.want)
			}
			if l.calls != 0 {
				t.Errorf("%d reads before the options were checked", l.calls)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got, want string
	}{
		{ask.Approved.String(), "approved"},
		{ask.Rejected.String(), "rejected"},
		{ask.TimedOut.String(), "timed-out"},
		{ask.Cancelled.String(), "cancelled"},
		{ask.Event{Kind: ask.Ignored, MessageID: "1897000000000000008", AccountID: stranger, Name: "Tanaka\n::warning::x",
			Reason: answer.NotApprover}.String(),
			"ignored message 1897000000000000008 from Tanaka ::warning::x (account 2002): not an approver"},
		{ask.Event{Kind: ask.Gap, MessageID: "1897000000000000008"}.String(),
			"100 or more messages arrived between two reads of the room: an answer posted before message 1897000000000000008 would not have been read"},
		{ask.Event{Kind: ask.ReadFailed, Err: errors.New("boom")}.String(), "reading the room failed, trying again at the next poll: boom"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
