// Package chatworktest is a strict fake Chatwork API v2 server for tests.
// It follows Chatwork's published API v2 behaviour: token header, form-encoded bodies
// read from the body only, bodies of 1..65,535 UTF-8 bytes, string message
// ids above 2^53, 204 with no body for an empty read, rate-limit headers,
// the per-room posting limit (10 posts per 10 s) and the account limit (300
// requests per 5 min), Chatwork-shaped {"errors": [...]} answers, and faults
// injected on request (429s, 5xx, dropped connections, held answers,
// redirects).
//
// Choices where the real service is undocumented: the body limit counts
// UTF-8 bytes; an unknown room answers 404 and a room the caller is not a
// member of answers 403; the force=0 cursor is kept per (token, room).
package chatworktest

import (
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes the server misbehave for matching requests: the next one,
// the next Times ones, or all of them (Times: Always). A fault that no
// request matched fails the test when it ends, so a test cannot pass
// without exercising the fault it set up.
type Fault struct {
	Method string // "" matches any method
	Path   string // suffix of the path after /v2, e.g. "/messages"; "" matches any
	Times  int    // how many requests it applies to: 0 or 1 once, Always every one

	Status int               // answer with this status (nothing is stored)...
	Body   string            // ...and this body (default: a Chatwork error JSON)
	Header map[string]string // extra response headers

	// DropAfterStore stores a POSTed message, then closes the connection
	// without answering (the client cannot know it arrived).
	DropAfterStore bool
	// DropBeforeStore closes the connection without storing anything.
	DropBeforeStore bool
	// CutAnswer handles the request (a POST is stored), sends the success
	// status and half of the answer, then closes the connection.
	CutAnswer bool
	// StallAnswer handles the request (a POST is stored), sends the
	// success status and half of the answer, then sends nothing more until
	// the client gives up.
	StallAnswer bool
	// StoreAfter handles the request only after this delay (a post that
	// arrives later than the client waited for it).
	StoreAfter time.Duration
	// Hold handles the request at once but holds the answer back this long
	// (a read that reflects the room as it was when the request arrived).
	Hold time.Duration
	// Barrier, like Hold, handles the request at once but holds the answer
	// until the barrier opens: when as many requests as it waits for have
	// arrived at it (or the client gives up).
	Barrier *Barrier
	// RedirectTo answers 307 with this Location.
	RedirectTo string
	// Before runs before the request is handled, e.g. to let a "parallel
	// job" post first.
	Before func()
	// After runs once the request was handled, before its answer is sent:
	// the room changes after a read saw it.
	After func()
}

// Barrier holds requests until a number of them have arrived, so a test
// can make parallel clients all read before any of them gets an answer,
// without guessing how long that takes.
type Barrier struct {
	mu      sync.Mutex
	waiting int
	open    chan struct{}
}

// NewBarrier returns a barrier that opens when n requests wait at it.
func NewBarrier(n int) *Barrier {
	b := &Barrier{waiting: n, open: make(chan struct{})}
	if n <= 0 {
		close(b.open)
	}
	return b
}

func (b *Barrier) wait(ctx context.Context) {
	b.mu.Lock()
	if b.waiting--; b.waiting == 0 {
		close(b.open)
	}
	b.mu.Unlock()
	select {
	case <-b.open:
	case <-ctx.Done():
	}
}

// Always makes a fault apply to every matching request.
const Always = -1

// faultState is an injected fault and how often it was used.
type faultState struct {
	Fault
	used int
}

// Request is what the server received.
type Request struct {
	Method    string
	Path      string // as sent, e.g. /v2/rooms/1/messages
	Query     url.Values
	Form      url.Values // the parsed body of POST/PUT
	Header    http.Header
	UserAgent string
}

// Message is a stored message.
type Message struct {
	ID         string
	AccountID  int64
	Body       string
	SendTime   int64
	UpdateTime int64
}

// Task is a stored task.
type Task struct {
	ID         int64
	AccountID  int64 // assignee
	AssignedBy int64 // creator
	Body       string
	Limit      int64 // Unix seconds; 0 with LimitType none
	LimitType  string
	Status     string // open or done
}

// File is an uploaded file.
type File struct {
	ID        int64
	AccountID int64 // the uploader
	Name      string
	Type      string // the part's Content-Type
	// Disposition is the file part's Content-Disposition as sent.
	Disposition string
	Content     []byte
	Message     string // the message sent with it
}

type room struct {
	members  map[int64]bool
	messages []Message
	tasks    []Task
	files    []File
	posts    []time.Time // for the per-room posting limit
	cursor   map[string]int
	limited  bool
	reads    int           // the reads of its messages answered so far
	onRead   []func(n int) // see OnRead
}

type account struct {
	id    int64
	name  string
	calls []time.Time
}

// Server is a fake Chatwork. Create it with New; it stops when the test ends.
type Server struct {
	*httptest.Server

	// Now is the server's clock (time.Now by default).
	Now func() time.Time
	// AccountLimit is the requests allowed per token per 5 minutes (300,
	// as Chatwork; benchmarks raise it).
	AccountLimit int
	// RoomLimit is the posts (messages and tasks) allowed per room per 10
	// seconds (10, as Chatwork).
	RoomLimit int

	mu       sync.Mutex
	tokens   map[string]*account
	rooms    map[int64]*room
	faults   []*faultState
	mux      *http.ServeMux
	requests []Request
	nextID   uint64
	nextTask int64
	nextFile int64
	names    map[int64]string // account names set with SetName
	client   *http.Client     // NewInMemory's; nil for a socket server
	tb       TB               // the test, for mistakes in its use of the fake
}

// TB is the part of testing.TB the server needs.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
}

// New starts a plain-HTTP server on loopback with no tokens and no rooms.
func New(t TB) *Server {
	t.Helper()
	return start(t, httptest.NewServer)
}

// NewTLS is New over HTTPS with a throwaway certificate (see
// Server.Certificate and Server.Client).
func NewTLS(t TB) *Server {
	t.Helper()
	return start(t, httptest.NewTLSServer)
}

// NewTLSWithCert is New over HTTPS with the given certificate (for
// benchmarks against clients that verify it, such as curl --cacert).
func NewTLSWithCert(t TB, cert tls.Certificate) *Server {
	t.Helper()
	return start(t, func(h http.Handler) *httptest.Server {
		srv := httptest.NewUnstartedServer(h)
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		srv.StartTLS()
		return srv
	})
}

func start(t TB, listen func(http.Handler) *httptest.Server) *Server {
	s := &Server{
		tb:           t,
		Now:          time.Now,
		AccountLimit: 300,
		RoomLimit:    10,
		tokens:       map[string]*account{},
		rooms:        map[int64]*room{},
		names:        map[int64]string{},
		nextID:       1897000000000000001, // 19 digits, above 2^53
	}
	s.routes()
	s.Server = listen(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, f := range s.faults {
			if f.used == 0 {
				t.Errorf("chatworktest: fault %s %s %+v was never matched by a request", cmp.Or(f.Method, "*"), cmp.Or(f.Path, "*"), f.Fault)
			}
		}
	})
	return s
}

// routes are the endpoints the fake serves; anything else answers as
// Chatwork does for an unknown endpoint.
func (s *Server) routes() {
	m := http.NewServeMux()
	inRoom := func(fn func(w http.ResponseWriter, c call, r *room)) http.HandlerFunc {
		return func(w http.ResponseWriter, req *http.Request) {
			c := req.Context().Value(callKey{}).(call)
			c.req = req // the mux's request carries the path values
			s.withRoom(w, req.PathValue("room"), c.acc, func(_ int64, r *room) { fn(w, c, r) })
		}
	}
	m.HandleFunc("GET /v2/rooms/{room}/messages", inRoom(func(w http.ResponseWriter, c call, r *room) { s.listMessages(w, c.req, c.token, r) }))
	m.HandleFunc("POST /v2/rooms/{room}/messages", inRoom(func(w http.ResponseWriter, c call, r *room) { s.postMessage(w, c.rec, c.acc, r) }))
	m.HandleFunc("GET /v2/rooms/{room}/messages/{id}", inRoom(func(w http.ResponseWriter, c call, r *room) { s.getMessage(w, r, c.req.PathValue("id")) }))
	edit := inRoom(func(w http.ResponseWriter, c call, r *room) { s.editMessage(w, c.rec, c.acc, r, c.req.PathValue("id")) })
	m.HandleFunc("PUT /v2/rooms/{room}/messages/{id}", edit)
	m.HandleFunc("DELETE /v2/rooms/{room}/messages/{id}", edit)
	m.HandleFunc("POST /v2/rooms/{room}/tasks", inRoom(func(w http.ResponseWriter, c call, r *room) { s.addTask(w, c.rec, c.acc, r) }))
	m.HandleFunc("GET /v2/rooms/{room}/tasks", inRoom(func(w http.ResponseWriter, c call, r *room) { s.listTasks(w, c.req, r) }))
	m.HandleFunc("GET /v2/rooms/{room}/members", inRoom(func(w http.ResponseWriter, c call, r *room) { s.listMembers(w, r) }))
	m.HandleFunc("PUT /v2/rooms/{room}/tasks/{id}/status", inRoom(func(w http.ResponseWriter, c call, r *room) {
		s.setTaskStatus(w, c.rec, c.acc, r, c.req.PathValue("id"))
	}))
	m.HandleFunc("POST /v2/rooms/{room}/files", inRoom(func(w http.ResponseWriter, c call, r *room) { s.uploadFile(w, c.req, c.acc, r) }))
	m.HandleFunc("GET /v2/me", func(w http.ResponseWriter, req *http.Request) {
		c := req.Context().Value(callKey{}).(call)
		reply(w, map[string]any{"account_id": c.acc.id, "name": c.acc.name, "room_id": 1})
	})
	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fail(w, http.StatusBadRequest, "Invalid Endpoint or HTTP method")
	})
	s.mux = m
}

// call is an authenticated request on its way to a route.
type call struct {
	req   *http.Request // set by the route
	rec   Request
	acc   *account
	token string
}

type callKey struct{}

// BaseURL is the API base to give the client: <server>/v2.
func (s *Server) BaseURL() string { return s.URL + "/v2" }

// AddToken makes token valid for the account id.
func (s *Server) AddToken(token string, accountID int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = &account{id: accountID, name: name}
}

// AddRoom creates a room whose members are the given accounts.
func (s *Server) AddRoom(roomID int64, members ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &room{members: map[int64]bool{}, cursor: map[string]int{}}
	for _, m := range members {
		r.members[m] = true
	}
	s.rooms[roomID] = r
}

// SetLimited makes reads of the room carry chatwork-message-limitation: true
// (the free plan hid part of the window).
func (s *Server) SetLimited(roomID int64, limited bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rooms[roomID].limited = limited
}

// Seed stores a message as if accountID had posted it, and returns its id.
func (s *Server) Seed(roomID, accountID int64, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(s.rooms[roomID], accountID, body)
}

// Inject queues faults, each for its Times matching requests in turn.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		s.faults = append(s.faults, &faultState{Fault: f})
	}
}

// Messages returns a copy of the room's messages, oldest first.
func (s *Server) Messages(roomID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[roomID]
	if r == nil {
		return nil
	}
	return append([]Message(nil), r.messages...)
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) store(r *room, accountID int64, body string) string {
	id := strconv.FormatUint(s.nextID, 10)
	s.nextID += 7
	r.messages = append(r.messages, Message{ID: id, AccountID: accountID, Body: body, SendTime: s.Now().Unix()})
	return id
}

func (s *Server) handle(w http.ResponseWriter, req *http.Request) {
	rec := Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header.Clone(), UserAgent: req.UserAgent()}
	if req.Method == http.MethodPost || req.Method == http.MethodPut {
		// Only the body counts (Chatwork ignores query parameters on
		// POST/PUT since 2025-07-03), and only form encoding is read.
		ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" && req.ParseForm() == nil {
			rec.Form = req.PostForm
		} else {
			rec.Form = url.Values{}
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	f, faulted := s.takeFault(req)
	s.mu.Unlock()

	if faulted && f.Before != nil {
		f.Before()
	}
	if faulted {
		if s.applyFault(w, req, rec, f) {
			return
		}
	}
	if faulted && (f.Hold > 0 || f.Barrier != nil || f.After != nil) {
		held := httptest.NewRecorder()
		s.serve(held, req, rec)
		if f.After != nil {
			f.After()
		}
		time.Sleep(f.Hold)
		if f.Barrier != nil {
			f.Barrier.wait(req.Context())
		}
		for k, v := range held.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(held.Code)
		w.Write(held.Body.Bytes())
		return
	}
	s.serve(w, req, rec)
}

// takeFault returns the first fault matching req that has uses left.
func (s *Server) takeFault(req *http.Request) (Fault, bool) {
	for _, f := range s.faults {
		left := f.Times == Always || f.used < max(f.Times, 1)
		if left && (f.Method == "" || f.Method == req.Method) && strings.HasSuffix(req.URL.Path, f.Path) {
			f.used++
			return f.Fault, true
		}
	}
	return Fault{}, false
}

// applyFault answers per f and reports whether the request is finished.
func (s *Server) applyFault(w http.ResponseWriter, req *http.Request, rec Request, f Fault) bool {
	switch {
	case f.RedirectTo != "":
		w.Header().Set("Location", f.RedirectTo)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return true
	case f.DropBeforeStore:
		drop(w)
		return true
	case f.DropAfterStore:
		s.serve(discard{}, req, rec)
		drop(w)
		return true
	case f.CutAnswer || f.StallAnswer:
		rr := httptest.NewRecorder()
		s.serve(rr, req, rec)
		body := rr.Body.Bytes()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rr.Code)
		w.Write(body[:len(body)/2])
		if f.StallAnswer {
			w.(http.Flusher).Flush()
			<-req.Context().Done()
		}
		drop(w)
		return true
	case f.StoreAfter > 0:
		time.Sleep(f.StoreAfter)
		s.serve(w, req, rec)
		return true
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		body := f.Body
		if body == "" {
			body = errorJSON(http.StatusText(f.Status))
			w.Header().Set("Content-Type", "application/json")
		}
		s.rateHeaders(w, req)
		w.WriteHeader(f.Status)
		fmt.Fprint(w, body)
		return true
	}
	return false
}

func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("chatworktest: cannot hijack the connection")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

func errorJSON(msgs ...string) string {
	b, _ := json.Marshal(map[string][]string{"errors": msgs})
	return string(b)
}

func fail(w http.ResponseWriter, status int, msgs ...string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, errorJSON(msgs...))
}

func reply(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// rateHeaders writes the account rate-limit headers for the request's token.
func (s *Server) rateHeaders(w http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.tokens[req.Header.Get("X-ChatWorkToken")]
	remaining, reset := 300, s.Now().Add(5*time.Minute)
	if acc != nil {
		remaining = max(s.AccountLimit-len(acc.calls), 0)
		if len(acc.calls) > 0 {
			reset = acc.calls[0].Add(5 * time.Minute)
		}
	}
	h := w.Header()
	h.Set("x-ratelimit-limit", strconv.Itoa(s.AccountLimit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(remaining))
	if h.Get("x-ratelimit-reset") == "" {
		h.Set("x-ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// serve handles a well-behaved request.
func (s *Server) serve(w http.ResponseWriter, req *http.Request, rec Request) {
	token := req.Header.Get("X-ChatWorkToken")
	s.mu.Lock()
	acc := s.tokens[token]
	s.mu.Unlock()
	if token == "" || acc == nil {
		fail(w, http.StatusUnauthorized, "Invalid API token")
		return
	}
	if !s.spend(acc) {
		s.rateHeaders(w, req)
		fail(w, http.StatusTooManyRequests, "Rate limit exceeded")
		return
	}
	s.rateHeaders(w, req)

	ctx := context.WithValue(req.Context(), callKey{}, call{rec: rec, acc: acc, token: token})
	s.mux.ServeHTTP(w, req.WithContext(ctx))
}

// within keeps the times of a sliding window ending at now.
func within(times []time.Time, now time.Time, window time.Duration) []time.Time {
	keep := times[:0]
	for _, t := range times {
		if now.Sub(t) < window {
			keep = append(keep, t)
		}
	}
	return keep
}

// spend counts one request against the account's 300 per 5 minutes.
func (s *Server) spend(acc *account) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	acc.calls = within(acc.calls, now, 5*time.Minute)
	if len(acc.calls) >= s.AccountLimit {
		return false
	}
	acc.calls = append(acc.calls, now)
	return true
}

func (s *Server) withRoom(w http.ResponseWriter, rawID string, acc *account, fn func(int64, *room)) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		fail(w, http.StatusBadRequest, "Invalid Endpoint or HTTP method")
		return
	}
	s.mu.Lock()
	r := s.rooms[id]
	s.mu.Unlock()
	if r == nil {
		fail(w, http.StatusNotFound, "Room not found")
		return
	}
	if !r.members[acc.id] {
		fail(w, http.StatusForbidden, "You don't have permission to access this room")
		return
	}
	fn(id, r)
}

func (s *Server) postMessage(w http.ResponseWriter, rec Request, acc *account, r *room) {
	body, ok := formBody(w, rec.Form)
	if !ok {
		return
	}
	if su := rec.Form.Get("self_unread"); su != "" && su != "0" && su != "1" {
		fail(w, http.StatusBadRequest, "Parameter 'self_unread' must be 0 or 1")
		return
	}
	s.mu.Lock()
	if !s.postAllowed(w, r) {
		s.mu.Unlock()
		return
	}
	id := s.store(r, acc.id, body)
	s.mu.Unlock()
	reply(w, map[string]string{"message_id": id})
}

func (s *Server) messageJSON(m Message) map[string]any {
	name := s.accountName(m.AccountID)
	return map[string]any{
		"message_id":  m.ID,
		"account":     map[string]any{"account_id": m.AccountID, "name": name, "avatar_image_url": "https://example.invalid/a.png"},
		"body":        m.Body,
		"send_time":   m.SendTime,
		"update_time": m.UpdateTime,
	}
}

func (s *Server) listMessages(w http.ResponseWriter, req *http.Request, token string, r *room) {
	force := req.URL.Query().Get("force")
	if force != "" && force != "0" && force != "1" {
		fail(w, http.StatusBadRequest, "Parameter 'force' must be 0 or 1")
		return
	}
	s.mu.Lock()
	start := 0
	if force != "1" {
		start = r.cursor[token]
	}
	if n := len(r.messages); n-start > 100 {
		start = n - 100
	}
	var list []map[string]any
	for _, m := range r.messages[start:] {
		list = append(list, s.messageJSON(m))
	}
	r.cursor[token] = len(r.messages)
	limited := r.limited
	hooks := r.countRead()
	s.mu.Unlock()
	hooks()
	if limited {
		w.Header().Set("chatwork-message-limitation", "true")
	}
	if len(list) == 0 {
		w.Header().Del("Content-Type")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	reply(w, list)
}

func (s *Server) getMessage(w http.ResponseWriter, r *room, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range r.messages {
		if m.ID == id {
			reply(w, s.messageJSON(m))
			return
		}
	}
	fail(w, http.StatusNotFound, "Message not found")
}

// formBody returns the one body parameter of 1..65,535 bytes, or answers
// 400 as Chatwork does.
func formBody(w http.ResponseWriter, form url.Values) (string, bool) {
	b, ok := form["body"]
	if !ok || len(b) != 1 {
		fail(w, http.StatusBadRequest, "Parameter 'body' is required")
		return "", false
	}
	if len(b[0]) == 0 || len(b[0]) > 65535 {
		fail(w, http.StatusBadRequest, "Parameter 'body' length must be between 1 and 65535")
		return "", false
	}
	return b[0], true
}

// postAllowed applies the per-room limit shared by messages and tasks (10
// per 10 s); s.mu is held.
func (s *Server) postAllowed(w http.ResponseWriter, r *room) bool {
	now := s.Now()
	r.posts = within(r.posts, now, 10*time.Second)
	if len(r.posts) >= s.RoomLimit {
		fail(w, http.StatusTooManyRequests, "Rate limit for message posting per room exceeded.")
		return false
	}
	r.posts = append(r.posts, now)
	return true
}

// editMessage handles PUT (edit) and DELETE of a message: only the
// poster's own messages may be changed.
func (s *Server) editMessage(w http.ResponseWriter, rec Request, acc *account, r *room, id string) {
	var body string
	if rec.Method == http.MethodPut {
		var ok bool
		if body, ok = formBody(w, rec.Form); !ok {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range r.messages {
		if m.ID != id {
			continue
		}
		if m.AccountID != acc.id {
			fail(w, http.StatusForbidden, "You don't have permission to edit or delete this message")
			return
		}
		if rec.Method == http.MethodDelete {
			r.messages = append(r.messages[:i], r.messages[i+1:]...)
		} else {
			r.messages[i].Body = body
			r.messages[i].UpdateTime = s.Now().Unix()
		}
		reply(w, map[string]string{"message_id": id})
		return
	}
	fail(w, http.StatusNotFound, "Message not found")
}

var idList = regexp.MustCompile(`^[0-9]+(,[0-9]+)*$`)

func (s *Server) addTask(w http.ResponseWriter, rec Request, creator *account, r *room) {
	f := rec.Form
	if _, ok := formBody(w, f); !ok {
		return
	}
	if !idList.MatchString(f.Get("to_ids")) {
		fail(w, http.StatusBadRequest, "Parameter 'to_ids' must be a comma separated list of account IDs")
		return
	}
	lt := f.Get("limit_type")
	if lt != "" && lt != "none" && lt != "date" && lt != "time" {
		fail(w, http.StatusBadRequest, "Parameter 'limit_type' must be none, date or time")
		return
	}
	var limit int64
	if l := f.Get("limit"); l != "" {
		var err error
		if limit, err = strconv.ParseInt(l, 10, 64); err != nil || limit < 0 {
			fail(w, http.StatusBadRequest, "Parameter 'limit' must be a Unix time")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, a := range strings.Split(f.Get("to_ids"), ",") {
		acc, _ := strconv.ParseInt(a, 10, 64)
		if !r.members[acc] {
			fail(w, http.StatusBadRequest, "Account "+a+" is not a member of this room")
			return
		}
		ids = append(ids, acc)
	}
	if !s.postAllowed(w, r) {
		return
	}
	var out []int64
	for _, acc := range ids {
		s.nextTask++
		r.tasks = append(r.tasks, Task{ID: s.nextTask, AccountID: acc, AssignedBy: creator.id, Body: f.Get("body"), Limit: limit, LimitType: lt, Status: "open"})
		out = append(out, s.nextTask)
	}
	reply(w, map[string][]int64{"task_ids": out})
}

// listTasks answers GET /rooms/{id}/tasks: filtered by account_id,
// assigned_by_account_id and status (open or done), at most 100, 204 when
// none.
func (s *Server) listTasks(w http.ResponseWriter, req *http.Request, r *room) {
	q := req.URL.Query()
	status := q.Get("status")
	if status != "" && status != "open" && status != "done" {
		fail(w, http.StatusBadRequest, "Parameter 'status' must be open or done")
		return
	}
	var filter [2]int64
	for i, name := range []string{"account_id", "assigned_by_account_id"} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fail(w, http.StatusBadRequest, "Parameter '"+name+"' must be an account ID")
				return
			}
			filter[i] = n
		}
	}
	s.mu.Lock()
	var list []map[string]any
	for _, t := range r.tasks {
		if status != "" && t.Status != status || filter[0] != 0 && t.AccountID != filter[0] || filter[1] != 0 && t.AssignedBy != filter[1] {
			continue
		}
		list = append(list, map[string]any{
			"task_id":             t.ID,
			"account":             map[string]any{"account_id": t.AccountID, "name": s.accountName(t.AccountID)},
			"assigned_by_account": map[string]any{"account_id": t.AssignedBy, "name": s.accountName(t.AssignedBy)},
			"message_id":          "0",
			"body":                t.Body,
			"limit_time":          t.Limit,
			"status":              t.Status,
			"limit_type":          t.LimitType,
		})
	}
	s.mu.Unlock()
	if len(list) > 100 {
		list = list[:100]
	}
	if len(list) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	reply(w, list)
}

// accountName is the name of a token's account; s.mu is held.
func (s *Server) accountName(id int64) string {
	if n, ok := s.names[id]; ok {
		return n
	}
	for _, a := range s.tokens {
		if a.id == id {
			return a.name
		}
	}
	return ""
}

// SetName names an account (as its profile does), for the member list
// and task answers.
func (s *Server) SetName(accountID int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[accountID] = name
}

// listMembers answers GET /rooms/{id}/members: every member, with the
// fields Chatwork documents (admin for the first, in id order).
func (s *Server) listMembers(w http.ResponseWriter, r *room) {
	s.mu.Lock()
	ids := slices.Sorted(maps.Keys(r.members))
	list := make([]map[string]any, 0, len(ids))
	for i, id := range ids {
		role := "member"
		if i == 0 {
			role = "admin"
		}
		list = append(list, map[string]any{
			"account_id": id, "role": role, "name": s.accountName(id), "chatwork_id": "",
			"organization_id": 0, "organization_name": "", "department": "",
			"avatar_image_url": "https://example.invalid/avatar.png",
		})
	}
	s.mu.Unlock()
	reply(w, list)
}

// setTaskStatus answers PUT /rooms/{id}/tasks/{task_id}/status with
// body=done or open; only the assignee or the creator may change it
// (choice: Chatwork does not document who may).
func (s *Server) setTaskStatus(w http.ResponseWriter, rec Request, acc *account, r *room, rawID string) {
	body := rec.Form.Get("body")
	if body != "done" && body != "open" {
		fail(w, http.StatusBadRequest, "Parameter 'body' must be done or open")
		return
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		fail(w, http.StatusBadRequest, "Invalid Endpoint or HTTP method")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range r.tasks {
		t := &r.tasks[i]
		if t.ID != id {
			continue
		}
		if t.AccountID != acc.id && t.AssignedBy != acc.id {
			fail(w, http.StatusForbidden, "You don't have permission to change the status of this task")
			return
		}
		t.Status = body
		reply(w, map[string]any{"task_id": t.ID})
		return
	}
	fail(w, http.StatusNotFound, "Task not found")
}

// Tasks returns a copy of the room's tasks.
func (s *Server) Tasks(roomID int64) []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rooms[roomID]; r != nil {
		return append([]Task(nil), r.tasks...)
	}
	return nil
}

// SeedTask puts an open task into a room as if assignedBy had created it
// for assignee, and returns its id.
func (s *Server) SeedTask(roomID, assignedBy, assignee int64, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextTask++
	r := s.rooms[roomID]
	r.tasks = append(r.tasks, Task{ID: s.nextTask, AccountID: assignee, AssignedBy: assignedBy, Body: body, LimitType: "none", Status: "open"})
	return s.nextTask
}

// Files returns the files uploaded to a room, oldest first.
func (s *Server) Files(roomID int64) []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rooms[roomID]; r != nil {
		return append([]File(nil), r.files...)
	}
	return nil
}

// maxFileBytes is Chatwork's limit on one file (5 MB).
const maxFileBytes = 5 << 20

// uploadFile takes a multipart upload as Chatwork does: a "file" part of
// at most 5 MB and an optional "message" field.
func (s *Server) uploadFile(w http.ResponseWriter, req *http.Request, acc *account, r *room) {
	ct, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		fail(w, http.StatusBadRequest, "Parameter 'file' is required")
		return
	}
	mr := multipart.NewReader(io.LimitReader(req.Body, maxFileBytes+1<<20), params["boundary"])
	var f File
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(w, http.StatusBadRequest, "Invalid multipart body")
			return
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFileBytes+1))
		if err != nil {
			fail(w, http.StatusBadRequest, "Invalid multipart body")
			return
		}
		switch part.FormName() {
		case "file":
			if part.FileName() == "" {
				fail(w, http.StatusBadRequest, "Parameter 'file' must be a file")
				return
			}
			f.Name, f.Type, f.Content, found = part.FileName(), part.Header.Get("Content-Type"), b, true
			f.Disposition = part.Header.Get("Content-Disposition")
		case "message":
			f.Message = string(b)
		}
	}
	switch {
	case !found:
		fail(w, http.StatusBadRequest, "Parameter 'file' is required")
		return
	case len(f.Content) > maxFileBytes:
		fail(w, http.StatusBadRequest, "File size exceeds the limit (5MB)")
		return
	}
	s.mu.Lock()
	s.nextFile++
	f.ID, f.AccountID = s.nextFile, acc.id
	r.files = append(r.files, f)
	s.mu.Unlock()
	reply(w, map[string]any{"file_id": f.ID})
}

// AddMember adds accounts to a room.
func (s *Server) AddMember(roomID int64, members ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range members {
		s.rooms[roomID].members[m] = true
	}
}
