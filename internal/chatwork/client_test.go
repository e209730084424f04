package chatwork_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"
	"github.com/chatwork-notify/chatwork-notify/internal/clock/clocktest"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

const (
	token   = "0123456789abcdef0123456789abcdef"
	account = int64(4242001)
	room    = int64(123456)
)

type env struct {
	srv   *chatworktest.Server
	clock *clocktest.Clock
	logs  *logs
}

type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(f string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(f, a...))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := chatworktest.NewInMemory(t)
	srv.AddToken(token, account, "CI Bot")
	srv.AddRoom(room, account)
	return &env{srv: srv, clock: clocktest.NewClock(), logs: &logs{}}
}

func (e *env) client(t *testing.T, tok string, budget time.Duration) *chatwork.Client {
	t.Helper()
	u, err := url.Parse(e.srv.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	return chatwork.New(u, tok, chatwork.Options{
		HTTPClient: e.srv.Client(),
		UserAgent:  "chatwork-notify/test",
		Clock:      e.clock,
		Budget:     budget,
		Logf:       e.logs.logf,
		Jitter:     func() float64 { return 0.5 },
	})
}

func TestPostMessageSendsWhatChatworkExpects(t *testing.T) {
	t.Parallel()
	for _, selfUnread := range []bool{false, true} {
		t.Run("self_unread="+strconv.FormatBool(selfUnread), func(t *testing.T) {
			e := newEnv(t)
			body := "[info]build passed[/info]\nsecond line & more"
			res, err := e.client(t, token, 0).PostMessage(context.Background(), room, body, chatwork.PostOptions{SelfUnread: selfUnread})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.ID) < 19 {
				t.Errorf("message id %q: want the 19-digit string the server sent", res.ID)
			}
			msgs := e.srv.Messages(room)
			if len(msgs) != 1 || msgs[0].Body != body || msgs[0].ID != res.ID {
				t.Fatalf("stored %+v, want one message with the body and id %s", msgs, res.ID)
			}
			req := e.srv.Requests()[0]
			want := "0"
			if selfUnread {
				want = "1"
			}
			if got := req.Form.Get("self_unread"); got != want {
				t.Errorf("self_unread = %q, want %q", got, want)
			}
			if req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
				t.Errorf("content type %q", req.Header.Get("Content-Type"))
			}
			if req.UserAgent != "chatwork-notify/test" {
				t.Errorf("user agent %q", req.UserAgent)
			}
			if len(req.Query) != 0 {
				t.Errorf("POST carried query parameters %v; Chatwork ignores them", req.Query)
			}
		})
	}
}

func TestFinalErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		token    string
		room     int64
		fault    *chatworktest.Fault
		status   int
		wantText []string
	}{
		{name: "bad token", token: "wrong-token-value-1234", room: room, status: 401, wantText: []string{"401", "Invalid API token", "check the token"}},
		{name: "unknown room", token: token, room: 999, status: 404, wantText: []string{"404", "room ID", "member"}},
		{name: "not a member", token: token, room: 777, status: 403, wantText: []string{"403", "permission", "member"}},
		{name: "bad request", token: token, room: room, fault: &chatworktest.Fault{Status: 400, Body: `{"errors":["Parameter 'body' is required"]}`}, status: 400, wantText: []string{"400", "Parameter 'body' is required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.AddRoom(777, 1)
			if tc.fault != nil {
				e.srv.Inject(*tc.fault)
			}
			_, err := e.client(t, tc.token, 0).PostMessage(context.Background(), tc.room, "hello", chatwork.PostOptions{})
			var apiErr *chatwork.APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tc.status {
				t.Fatalf("err = %v, want an APIError with status %d", err, tc.status)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), tc.token) {
				t.Errorf("error shows the token: %v", err)
			}
			if n := len(e.srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1 (no retry of a %d)", n, tc.status)
			}
			if len(e.clock.Slept()) != 0 {
				t.Errorf("slept %v", e.clock.Slept())
			}
		})
	}
}

func TestRoomRateLimitWaitsTenSeconds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Inject(chatworktest.Fault{Method: "POST", Status: 429, Body: `{"errors":["Rate limit for message posting per room exceeded."]}`})
	res, err := e.client(t, token, 0).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 10 s, plus up to 3 s of jitter (0.5 in these tests).
	if got := e.clock.Slept(); len(got) != 1 || got[0] != 11500*time.Millisecond {
		t.Errorf("slept %v, want [11.5s]", got)
	}
	if len(e.srv.Messages(room)) != 1 || res.ID == "" {
		t.Errorf("want one message posted after the wait")
	}
}

func TestRealRoomLimitFromTheServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Now = e.clock.Now // the server's window follows the fake clock
	c := e.client(t, token, time.Minute)
	for i := 0; i < 11; i++ {
		if _, err := c.PostMessage(context.Background(), room, fmt.Sprintf("m%d", i), chatwork.PostOptions{}); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if got := e.clock.Slept(); len(got) != 1 || got[0] != 11500*time.Millisecond {
		t.Errorf("slept %v, want one 10s wait (plus jitter) for the 11th post", got)
	}
	if n := len(e.srv.Messages(room)); n != 11 {
		t.Errorf("%d messages, want 11", n)
	}
}

func TestAccountRateLimit(t *testing.T) {
	t.Parallel()
	t.Run("reset within budget: wait for it", func(t *testing.T) {
		e := newEnv(t)
		reset := time.Now().Add(5 * time.Second).Unix()
		e.srv.Inject(chatworktest.Fault{Status: 429, Header: map[string]string{"x-ratelimit-reset": strconv.FormatInt(reset, 10), "x-ratelimit-remaining": "0"}, Body: `{"errors":["Rate limit exceeded"]}`})
		if _, err := e.client(t, token, 0).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{}); err != nil {
			t.Fatal(err)
		}
		got := e.clock.Slept()
		if len(got) != 1 || got[0] < 4*time.Second || got[0] > 8*time.Second {
			t.Errorf("slept %v, want one wait of about 5s (until x-ratelimit-reset)", got)
		}
	})
	t.Run("reset beyond budget: fail and say when", func(t *testing.T) {
		e := newEnv(t)
		reset := time.Now().Add(4 * time.Minute).Unix()
		e.srv.Inject(chatworktest.Fault{Status: 429, Header: map[string]string{"x-ratelimit-reset": strconv.FormatInt(reset, 10)}, Body: `{"errors":["Rate limit exceeded"]}`})
		_, err := e.client(t, token, 0).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
		if err == nil || !strings.Contains(err.Error(), "resets at") || !strings.Contains(err.Error(), "429") {
			t.Fatalf("err = %v, want a 429 error saying when the limit resets", err)
		}
		if len(e.clock.Slept()) != 0 || len(e.srv.Requests()) != 1 {
			t.Errorf("slept %v after %d requests; want no wait, one request", e.clock.Slept(), len(e.srv.Requests()))
		}
	})
}

func TestServerErrorsBackOffWithinBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Inject(chatworktest.Fault{Method: "GET", Status: 503, Body: "<html>Service Unavailable</html>", Times: chatworktest.Always})
	budget := 20 * time.Second
	_, err := e.client(t, token, budget).ListMessages(context.Background(), room)
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "Service Unavailable") {
		t.Fatalf("err = %v, want the 503 with its body", err)
	}
	if total := e.clock.Total(); total > budget {
		t.Errorf("waited %v, more than the %v budget", total, budget)
	}
	slept := e.clock.Slept()
	if len(slept) < 3 {
		t.Fatalf("slept %v, want several backoffs", slept)
	}
	for i := 1; i < len(slept); i++ {
		if slept[i] < slept[i-1] {
			t.Errorf("backoff shrank: %v", slept)
		}
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Seed(room, 1, "earlier")
	e.srv.Inject(chatworktest.Fault{Method: "GET", Status: 502})
	msgs, err := e.client(t, token, 0).ListMessages(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs.List) != 1 || msgs.List[0].Body != "earlier" {
		t.Errorf("got %+v", msgs.List)
	}
}

func TestEmptyRoomIs204AndNotAnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	msgs, err := e.client(t, token, 0).ListMessages(context.Background(), room)
	if err != nil || len(msgs.List) != 0 {
		t.Fatalf("got %v, %v; want no messages and no error", msgs, err)
	}
	req := e.srv.Requests()[0]
	if req.Query.Get("force") != "1" {
		t.Errorf("force = %q, want 1 (force=0 consumes a server-side cursor)", req.Query.Get("force"))
	}
	e.srv.SetLimited(room, true)
	msgs, err = e.client(t, token, 0).ListMessages(context.Background(), room)
	if err != nil || !msgs.Limited {
		t.Errorf("limited read: %+v, %v; want Limited", msgs, err)
	}
}

// adoptSame is an Adopt that takes the oldest message with the same body.
func adoptSame(c *chatwork.Client, body string) func(context.Context) (string, bool, error) {
	return func(ctx context.Context) (string, bool, error) {
		msgs, err := c.ListMessages(ctx, room)
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs.List {
			if strings.TrimSpace(m.Body) == strings.TrimSpace(body) {
				return m.ID, true, nil
			}
		}
		return "", false, nil
	}
}

func TestLostResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fault        chatworktest.Fault
		adopt        bool
		wantMessages int
		wantRecover  bool
		wantNoID     bool
		wantLog      string
	}{
		{name: "stored, adopt: found", fault: chatworktest.Fault{Method: "POST", DropAfterStore: true}, adopt: true, wantMessages: 1, wantRecover: true, wantLog: "is in the room"},
		{name: "not stored, adopt: post", fault: chatworktest.Fault{Method: "POST", DropBeforeStore: true}, adopt: true, wantMessages: 1, wantLog: "reading the room"},
		{name: "5xx, adopt: post once", fault: chatworktest.Fault{Method: "POST", Status: 500}, adopt: true, wantMessages: 1},
		{name: "stored, no adopt: warn and post", fault: chatworktest.Fault{Method: "POST", DropAfterStore: true}, wantMessages: 2, wantLog: "may duplicate"},
		{name: "success cut, adopt: found, not posted again", fault: chatworktest.Fault{Method: "POST", CutAnswer: true}, adopt: true, wantMessages: 1, wantRecover: true, wantLog: "answer was cut"},
		{name: "success cut, no adopt: no id, not posted again", fault: chatworktest.Fault{Method: "POST", CutAnswer: true}, wantMessages: 1, wantNoID: true, wantLog: "id is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.Inject(tc.fault)
			c := e.client(t, token, 0)
			o := chatwork.PostOptions{}
			if tc.adopt {
				o.Adopt, o.Dedupe = adoptSame(c, "deploy done"), true
			}
			res, err := c.PostMessage(context.Background(), room, "deploy done", o)
			if err != nil {
				t.Fatal(err)
			}
			msgs := e.srv.Messages(room)
			if len(msgs) != tc.wantMessages {
				t.Errorf("%d messages in the room, want %d", len(msgs), tc.wantMessages)
			}
			want := msgs[len(msgs)-1].ID
			if tc.wantNoID {
				want = ""
			}
			if res.Recovered != tc.wantRecover || res.ID != want {
				t.Errorf("result %+v, want recovered=%v and id %q", res, tc.wantRecover, want)
			}
			if !strings.Contains(e.logs.String(), tc.wantLog) {
				t.Errorf("log %q does not say %q", e.logs, tc.wantLog)
			}
		})
	}
}

// TestRoomLimitReadsTheRoomFirst: after the per-room limit, a parallel
// job's message found in the room ends the post.
func TestRoomLimitReadsTheRoomFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client(t, token, 0)
	e.srv.Inject(chatworktest.Fault{Method: "POST", Status: 429, Body: `{"errors":["Rate limit for message posting per room exceeded."]}`,
		Before: func() { e.srv.Seed(room, account, "deploy done") }})
	res, err := c.PostMessage(context.Background(), room, "deploy done", chatwork.PostOptions{Dedupe: true, Adopt: adoptSame(c, "deploy done")})
	if err != nil || !res.Recovered || len(e.srv.Messages(room)) != 1 {
		t.Errorf("res %+v, err %v, %d messages", res, err, len(e.srv.Messages(room)))
	}
	if slept := e.clock.Slept(); len(slept) != 1 || slept[0] < 10*time.Second || slept[0] > 13*time.Second {
		t.Errorf("slept %v, want one wait of 10 s plus jitter", slept)
	}
}

// TestLateStoredPostIsReported: an attempt that times out and is stored
// later leaves the result Uncertain, so the caller can clean up.
func TestLateStoredPostIsReported(t *testing.T) {
	t.Parallel()
	// The attempt times out on the bubble's virtual clock.
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		u, _ := url.Parse(e.srv.BaseURL())
		c := chatwork.New(u, token, chatwork.Options{HTTPClient: e.srv.Client(), Clock: clock.Real{}, AttemptTimeout: 200 * time.Millisecond, Logf: e.logs.logf})
		e.srv.Inject(chatworktest.Fault{Method: "POST", StoreAfter: 400 * time.Millisecond})
		res, err := c.PostMessage(context.Background(), room, "deploy done", chatwork.PostOptions{Adopt: adoptSame(c, "deploy done")})
		if err != nil || !res.Uncertain || res.ID == "" {
			t.Fatalf("res %+v, err %v", res, err)
		}
	})
}

func TestCertificateErrorsAreFinal(t *testing.T) {
	t.Parallel()
	srv := chatworktest.NewTLS(t)
	u, _ := url.Parse(srv.BaseURL())
	clock := clocktest.NewClock()
	c := chatwork.New(u, token, chatwork.Options{HTTPClient: &http.Client{}, Clock: clock})
	_, err := c.PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err == nil || !strings.Contains(err.Error(), "certificate") || len(clock.Slept()) > 0 {
		t.Errorf("err %v after sleeping %v", err, clock.Slept())
	}
}

func TestAccountLimitInThePastBacksOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	past := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	for range 4 {
		e.srv.Inject(chatworktest.Fault{Method: "POST", Status: 429, Header: map[string]string{"x-ratelimit-reset": past}})
	}
	if _, err := e.client(t, token, 0).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{}); err != nil {
		t.Fatal(err)
	}
	slept := e.clock.Slept()
	if len(slept) != 4 || slept[3] <= slept[0] {
		t.Errorf("slept %v, want growing waits", slept)
	}
}

func TestHugeRoomReadSaysTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Inject(chatworktest.Fault{Method: "GET", Status: 200, Body: "[" + strings.Repeat(" ", 49<<20) + "]"})
	_, err := e.client(t, token, 0).ListMessages(context.Background(), room)
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("err %v", err)
	}
}

// TestRoomReadMemoryIsBounded reads a maximal answer — 127 messages of
// 65,535 characters, every one written as a \uXXXX escape, 48 MiB of
// JSON, the cap of a room read — and measures every byte allocated meanwhile (an upper bound
// of the peak): the answer is decoded as it arrives and only the bodies
// stay. It does not run in parallel, so nothing else allocates.
func TestRoomReadMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a 48 MiB answer")
	}
	page := maximalPage(127, 65535) // 127 fill the 48 MiB cap
	if len(page) < 47<<20 || len(page) > 48<<20 {
		t.Fatalf("the page is only %d bytes", len(page))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(page)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c := chatwork.New(u, token, chatwork.Options{HTTPClient: srv.Client()})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	msgs, err := c.ListMessages(context.Background(), room)
	runtime.ReadMemStats(&after)
	if err != nil || len(msgs.List) != 100 || len(msgs.List[99].Body) != 65535 {
		t.Fatalf("read %d messages, err %v", len(msgs.List), err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %.1f MiB answer allocated %.1f MiB in all", float64(len(page))/(1<<20), float64(allocated)/(1<<20))
	if allocated > 64<<20 {
		t.Errorf("reading a %d MiB answer allocated %d MiB; want under 64 MiB", len(page)>>20, allocated>>20)
	}
}

// maximalPage is a room read of n messages whose bodies are size ASCII
// characters, each escaped as \u0041 (Chatwork escapes non-ASCII so).
func maximalPage(n, size int) []byte {
	body := strings.Repeat(`\u0041`, size)
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"message_id":"18970000000000%05d","account":{"account_id":%d,"name":"CI Bot"},"body":"%s","send_time":1767225600,"update_time":0}`, i, account, body)
	}
	b.WriteString("]")
	return []byte(b.String())
}

// TestLostTaskIsNotCreatedTwice: a task whose answer was lost is looked
// for (TaskOptions.Find) instead of being created again; without a finder
// a lost task is created again; a refusal is never looked for.
func TestLostTaskIsNotCreatedTwice(t *testing.T) {
	t.Parallel()
	task := chatwork.Task{Body: "fix the build", ToIDs: []int64{77}}
	for _, tc := range []struct {
		name      string
		fault     chatworktest.Fault
		find      bool
		wantTasks int
		wantFinds int
	}{
		{"answer lost, found", chatworktest.Fault{Method: "POST", Path: "/tasks", DropAfterStore: true}, true, 1, 1},
		{"answer cut, found", chatworktest.Fault{Method: "POST", Path: "/tasks", CutAnswer: true}, true, 1, 1},
		{"answer lost, no finder", chatworktest.Fault{Method: "POST", Path: "/tasks", DropAfterStore: true}, false, 2, 0},
		{"room limit: sent again, not looked for", chatworktest.Fault{Method: "POST", Path: "/tasks", Status: 429, Body: `{"errors":["Rate limit for message posting per room exceeded."]}`}, true, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.AddMember(room, 77)
			e.srv.Inject(tc.fault)
			c := e.client(t, token, time.Minute)
			finds := 0
			var o chatwork.TaskOptions
			if tc.find {
				o.Find = func(ctx context.Context) ([]int64, error) {
					finds++
					open, err := c.ListOpenTasks(ctx, room, account)
					for _, t := range open {
						if t.Body == task.Body {
							return []int64{t.ID}, err
						}
					}
					return nil, err
				}
			}
			ids, err := c.CreateTask(context.Background(), room, task, o)
			if err != nil || len(ids) != 1 || len(e.srv.Tasks(room)) != tc.wantTasks || finds != tc.wantFinds {
				t.Errorf("ids %v, err %v, %d tasks, %d finds", ids, err, len(e.srv.Tasks(room)), finds)
			}
		})
	}
}

func TestRedirectIsRefusedAndTokenStaysHome(t *testing.T) {
	t.Parallel()
	var leaked []string
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Header.Get("X-ChatWorkToken"))
		mu.Unlock()
		fmt.Fprint(w, `{"message_id":"1"}`)
	}))
	defer other.Close()
	e := newEnv(t)
	e.srv.Inject(chatworktest.Fault{RedirectTo: other.URL + "/v2/rooms/123456/messages"})
	_, err := e.client(t, token, 0).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err == nil || !strings.Contains(err.Error(), "307") || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err = %v, want a refused 307 redirect", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Fatalf("the other host received %d requests (tokens %q)", len(leaked), leaked)
	}
}

func TestUnreachableServerGivesUpWithinBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Close()
	budget := 5 * time.Second
	_, err := e.client(t, token, budget).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot reach Chatwork") {
		t.Fatalf("err = %v", err)
	}
	if e.clock.Total() > budget {
		t.Errorf("waited %v > budget %v", e.clock.Total(), budget)
	}
	if strings.Contains(err.Error(), token) {
		t.Error("error shows the token")
	}
}

func TestEditDeleteAndTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.AddToken("someone-elses-token", 77, "Other")
	e.srv.AddMember(room, 77, 111)
	c := e.client(t, token, 0)
	ctx := context.Background()

	own, err := c.PostMessage(ctx, room, "deploying", chatwork.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	theirs := e.srv.Seed(room, 77, "not mine")

	if id, err := c.UpdateMessage(ctx, room, own.ID, "deployed"); err != nil || id != own.ID {
		t.Fatalf("update: %q %v", id, err)
	}
	m, err := c.GetMessage(ctx, room, own.ID)
	if err != nil || m.Body != "deployed" || m.Account.AccountID != account || m.UpdateTime == 0 {
		t.Errorf("get after update: %+v %v", m, err)
	}
	for _, target := range []string{theirs, "1897000000000009999"} {
		_, err := c.UpdateMessage(ctx, room, target, "x")
		if !chatwork.IsGone(err) {
			t.Errorf("update of %s: %v, want a gone/not-yours error", target, err)
		}
	}
	if err := c.DeleteMessage(ctx, room, theirs); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("deleting someone else's message: %v", err)
	}
	if err := c.DeleteMessage(ctx, room, own.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteMessage(ctx, room, own.ID); err != nil {
		t.Errorf("deleting twice should count as deleted: %v", err)
	}
	if msgs := e.srv.Messages(room); len(msgs) != 1 || msgs[0].ID != theirs {
		t.Errorf("room %+v", msgs)
	}

	limit := time.Unix(1767225600, 0)
	ids, err := c.CreateTask(ctx, room, chatwork.Task{Body: "fix the build", ToIDs: []int64{111, 77}, Limit: limit}, chatwork.TaskOptions{})
	if err != nil || len(ids) != 2 {
		t.Fatalf("task: %v %v", ids, err)
	}
	tasks := e.srv.Tasks(room)
	if len(tasks) != 2 || tasks[0].Limit != limit.Unix() || tasks[0].LimitType != "time" || tasks[1].AccountID != 77 {
		t.Errorf("tasks %+v", tasks)
	}
	req := e.srv.Requests()[len(e.srv.Requests())-1]
	if req.Form.Get("to_ids") != "111,77" {
		t.Errorf("to_ids %q", req.Form.Get("to_ids"))
	}
	if _, err := c.CreateTask(ctx, room, chatwork.Task{Body: "x", ToIDs: []int64{999}}, chatwork.TaskOptions{}); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("task for a non-member: %v", err)
	}
}

func TestMessageIDsKeepTheirDigits(t *testing.T) {
	t.Parallel()
	var list []chatwork.Message
	in := `[{"message_id":"1897000000000000001","account":{"account_id":1,"name":"a"},"body":"x","send_time":1},{"message_id":1897000000000000003,"body":"y"}]`
	if err := json.Unmarshal([]byte(in), &list); err != nil {
		t.Fatal(err)
	}
	if list[0].ID != "1897000000000000001" || list[1].ID != "1897000000000000003" || list[0].Account.AccountID != 1 || list[1].Body != "y" {
		t.Errorf("%+v", list)
	}
}

// TestUploadFile sends one multipart file with its message; a 429 is
// waited out, but an upload whose outcome is unknown is never repeated.
func TestUploadFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client(t, token, time.Minute)
	content := []byte("--- FAIL: TestRetry\n    app_test.go:42: retries = 3, want 2\n")
	e.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/files", Status: 429, Body: `{"errors":["Rate limit for message posting per room exceeded."]}`})
	id, err := c.UploadFile(context.Background(), room, "failed-steps.log", content, "Logs of the failed steps")
	if err != nil || id == 0 {
		t.Fatalf("id %d, %v", id, err)
	}
	files := e.srv.Files(room)
	if len(files) != 1 || files[0].Name != "failed-steps.log" || string(files[0].Content) != string(content) ||
		files[0].Message != "Logs of the failed steps" || files[0].AccountID != account || files[0].Type != "text/plain; charset=utf-8" {
		t.Errorf("files %+v", files)
	}
	// Exactly what browsers and curl send: name first, both quoted.
	if got := files[0].Disposition; got != `form-data; name="file"; filename="failed-steps.log"` {
		t.Errorf("Content-Disposition %q", got)
	}

	e.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/files", DropAfterStore: true})
	if _, err := c.UploadFile(context.Background(), room, "again.log", content, ""); err == nil || !strings.Contains(err.Error(), "not uploading again") {
		t.Errorf("lost answer: %v", err)
	}
	if n := len(e.srv.Files(room)); n != 2 {
		t.Errorf("%d files after a lost answer, want 2 (stored once, never re-sent)", n)
	}
	if _, err := c.UploadFile(context.Background(), room, "big.log", make([]byte, chatwork.MaxFileBytes+1), ""); err == nil {
		t.Error("a file over 5 MB was sent")
	}
}

func TestFileDisposition(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"x.log":          `form-data; name="file"; filename="x.log"`,
		"日本語 report.txt": `form-data; name="file"; filename="日本語 report.txt"`,
		"a\"b\r\nc.log":  `form-data; name="file"; filename="a%22b%0D%0Ac.log"`,
	} {
		if got := chatwork.FileDisposition(in); got != want {
			t.Errorf("FileDisposition(%q) = %s, want %s", in, got, want)
		}
	}
}
