package deliver_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/clock/clocktest"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
)

const (
	token = "tok-deliver-0123"
	me    = int64(100)
	other = int64(200)
	roomA = int64(11)
	roomB = int64(22)
)

// world is a fake Chatwork with two rooms the token's account belongs to.
type world struct {
	srv   *chatworktest.Server
	c     *chatwork.Client
	clock *clocktest.Clock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := chatworktest.NewInMemory(t)
	srv.AddToken(token, me, "Notifier")
	srv.AddToken("tok-other-0123", other, "Someone")
	srv.AddRoom(roomA, me, other)
	srv.AddRoom(roomB, me, other)
	base, _ := url.Parse(srv.BaseURL())
	clock := clocktest.NewClock()
	c := chatwork.New(base, token, chatwork.Options{HTTPClient: srv.Client(), Clock: clock, Jitter: func() float64 { return 0 }})
	return &world{srv: srv, c: c, clock: clock}
}

func (w *world) deliver(plan deliver.Plan, msg deliver.Message) []deliver.Result {
	if plan.Rooms == nil {
		plan.Rooms = []int64{roomA}
	}
	d := deliver.Start(context.Background(), w.c, plan, deliver.Options{Clock: w.clock, Spread: -1,
		Redact: func(s string) string { return strings.ReplaceAll(s, "s3cret", "***") }})
	return d.Deliver(context.Background(), msg)
}

// TestModes: one row per mode and situation, straight against the fake.
func TestModes(t *testing.T) {
	t.Parallel()
	type seed struct {
		room    int64
		account int64
		body    string
	}
	tests := []struct {
		name   string
		seeds  []seed
		plan   deliver.Plan
		target int // index into seeds whose id becomes the target in roomA; -1 for none
		msg    deliver.Message
		action deliver.Action
		// want is the room's messages afterwards, oldest first.
		want      []string
		bodyStart string            // the body sent starts with this
		event     deliver.EventKind // the room reports this event
		tasks     int
	}{
		{name: "post", plan: deliver.Plan{Mode: deliver.Post}, target: -1,
			msg: deliver.Message{Body: "build failed"}, action: deliver.Posted, want: []string{"build failed"}},
		{name: "post with a task", plan: deliver.Plan{Mode: deliver.Post, TaskTo: []int64{other}}, target: -1,
			msg: deliver.Message{Body: "build failed", Task: "fix it"}, action: deliver.Posted, want: []string{"build failed"}, tasks: 1},
		{name: "update", seeds: []seed{{roomA, me, "old"}}, plan: deliver.Plan{Mode: deliver.Update}, target: 0,
			msg: deliver.Message{Body: "new"}, action: deliver.Updated, want: []string{"new"}},
		{name: "update of someone else's message posts", seeds: []seed{{roomA, other, "theirs"}}, plan: deliver.Plan{Mode: deliver.Update}, target: 0,
			msg: deliver.Message{Body: "new"}, action: deliver.Posted, want: []string{"theirs", "new"}, event: deliver.EditRefused},
		{name: "update without a target posts", plan: deliver.Plan{Mode: deliver.Update}, target: -1,
			msg: deliver.Message{Body: "new"}, action: deliver.Posted, want: []string{"new"}, event: deliver.NoTarget},
		{name: "reply", seeds: []seed{{roomA, other, "deploy?"}}, plan: deliver.Plan{Mode: deliver.Reply}, target: 0,
			msg: deliver.Message{Body: "done"}, action: deliver.Replied, bodyStart: "[rp aid=200 to=11-"},
		{name: "dedupe: own duplicate", seeds: []seed{{roomA, me, "same"}, {roomA, me, "same"}}, plan: deliver.Plan{Mode: deliver.Post, Dedupe: true}, target: -1,
			msg: deliver.Message{Body: "same"}, action: deliver.Duplicate, want: []string{"same", "same"}},
		{name: "dedupe: a look-alike by someone else does not count", seeds: []seed{{roomA, other, "same"}}, plan: deliver.Plan{Mode: deliver.Post, Dedupe: true}, target: -1,
			msg: deliver.Message{Body: "same"}, action: deliver.Posted, want: []string{"same", "same"}, event: deliver.Lookalike},
		{name: "dedupe by key", seeds: []seed{{roomA, me, "run #7 failed (old words)"}}, plan: deliver.Plan{Mode: deliver.Post, Dedupe: true}, target: -1,
			msg: deliver.Message{Body: "run #7 failed, new words", Key: "run #7"}, action: deliver.Duplicate, want: []string{"run #7 failed (old words)"}},
		{name: "dedupe: a duplicate opens no second task", seeds: []seed{{roomA, me, "x"}}, plan: deliver.Plan{Mode: deliver.Post, Dedupe: true, TaskTo: []int64{other}}, target: -1,
			msg: deliver.Message{Body: "x", Task: "t"}, action: deliver.Duplicate, want: []string{"x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			var ids []string
			for _, s := range tc.seeds {
				ids = append(ids, w.srv.Seed(s.room, s.account, s.body))
			}
			if tc.target >= 0 {
				tc.plan.Targets = map[int64]string{roomA: ids[tc.target]}
			}
			res := w.deliver(tc.plan, tc.msg)
			if len(res) != 1 || res[0].Err != nil {
				t.Fatalf("results %+v", res)
			}
			r := res[0]
			if r.Action != tc.action || r.Room != roomA || r.MessageID == "" {
				t.Errorf("action %q room %d id %q; want %q", r.Action, r.Room, r.MessageID, tc.action)
			}
			var bodies []string
			for _, m := range w.srv.Messages(roomA) {
				bodies = append(bodies, m.Body)
			}
			if tc.want != nil && !slices.Equal(bodies, tc.want) {
				t.Errorf("room holds %q, want %q", bodies, tc.want)
			}
			if !strings.HasPrefix(r.Body, tc.bodyStart) || !strings.HasSuffix(r.Body, tc.msg.Body) {
				t.Errorf("body %q", r.Body)
			}
			if tc.event != 0 && !r.Has(tc.event) {
				t.Errorf("events %+v lack kind %d", r.Events, tc.event)
			}
			if len(r.TaskIDs) != tc.tasks || len(w.srv.Tasks(roomA)) != tc.tasks {
				t.Errorf("task ids %v, room tasks %d; want %d", r.TaskIDs, len(w.srv.Tasks(roomA)), tc.tasks)
			}
		})
	}
}

// TestRoomsAreIndependent: every room gets the message in plan order; a
// room that fails does not stop the others.
func TestRoomsAreIndependent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	res := w.deliver(deliver.Plan{Mode: deliver.Post, Rooms: []int64{roomA, 999, roomB}}, deliver.Message{Body: "hi"})
	if len(res) != 3 || res[0].Room != roomA || res[1].Room != 999 || res[2].Room != roomB {
		t.Fatalf("results %+v", res)
	}
	if res[0].Action != deliver.Posted || res[2].Action != deliver.Posted || res[1].Err == nil || res[1].Action != "" {
		t.Errorf("results %+v", res)
	}
	if !strings.Contains(res[1].Err.Error(), "room 999") {
		t.Errorf("error %v does not name the room", res[1].Err)
	}
}

// TestReplyNameIsNeutralisedAndRedacted: the original poster's name is
// untrusted text from Chatwork.
func TestReplyNameIsNeutralisedAndRedacted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.AddToken("tok-evil-0123", 300, "[toall] s3cret\nname")
	w.srv.AddMember(roomA, 300)
	id := w.srv.Seed(roomA, 300, "question")
	res := w.deliver(deliver.Plan{Mode: deliver.Reply, Targets: map[int64]string{roomA: id}}, deliver.Message{Body: "answer"})
	line, _, _ := strings.Cut(res[0].Body, "\n")
	if strings.Contains(line, "[toall]") || strings.Contains(line, "s3cret") || !strings.Contains(line, "***") {
		t.Errorf("reply line %q", line)
	}
}

// TestParallelPostIsAdopted: a job that read the room before another job
// posted the same message deletes its own copy and reports the first.
func TestParallelPostIsAdopted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var first string
	w.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/messages", Before: func() {
		first = w.srv.Seed(roomA, me, "same")
	}})
	res := w.deliver(deliver.Plan{Mode: deliver.Post, Dedupe: true}, deliver.Message{Body: "same"})
	msgs := w.srv.Messages(roomA)
	if res[0].Action != deliver.Adopted || res[0].MessageID != first || len(msgs) != 1 || msgs[0].ID != first {
		t.Errorf("result %+v, room %+v", res[0], msgs)
	}
}

// TestDedupeReadStartsEarly: Start reads the room before the message
// exists, and Deliver uses that read.
func TestDedupeReadStartsEarly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	read := make(chan struct{})
	// The message arrives once the dedupe read has seen the room.
	w.srv.Inject(chatworktest.Fault{Method: "GET", Path: "/messages", After: func() {
		w.srv.Seed(roomA, me, "late")
		close(read)
	}})
	d := deliver.Start(context.Background(), w.c, deliver.Plan{Mode: deliver.Post, Rooms: []int64{roomA}, Dedupe: true}, deliver.Options{Clock: w.clock, Spread: -1})
	<-read // Start read the room before Deliver was called
	res := d.Deliver(context.Background(), deliver.Message{Body: "late"})
	// The read saw an empty room, so it posted, then found the earlier
	// copy on the re-read and kept that one.
	if res[0].Action != deliver.Adopted || len(w.srv.Messages(roomA)) != 1 {
		t.Errorf("action %q, room %+v", res[0].Action, w.srv.Messages(roomA))
	}
}

func TestSameBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"a\r\nb", "a\nb", true},
		{"  a\nb\n\n", "a\nb", true},
		{"a\nb", "a\nc", false},
		{"a b", "a  b", false},
	}
	for _, tc := range tests {
		if got := deliver.SameBody(tc.a, tc.b); got != tc.want {
			t.Errorf("SameBody(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
