// Package chatwork is a client for the parts of the Chatwork REST API v2
// that chatwork-notify uses. It knows nothing of GitHub. It sends
// form-encoded requests with the token header, refuses redirects (so the
// token never reaches another host), decodes Chatwork's error envelope, and
// retries within one time budget: the per-room posting limit waits ~10 s,
// the account limit waits until x-ratelimit-reset when that fits, 5xx and
// network errors back off with jitter, other 4xx are final.
package chatwork

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"
	"github.com/chatwork-notify/chatwork-notify/internal/secret"
)

// Defaults for a Client.
const (
	DefaultBudget     = 30 * time.Second
	maxAttemptTimeout = 15 * time.Second
	// roomLimitWait is the wait after the per-room posting limit, plus up
	// to roomLimitJitter so that parallel jobs do not come back together.
	roomLimitWait   = 10 * time.Second
	roomLimitJitter = 3 * time.Second
	// maxResponseBytes caps an answer; maxReadBytes a room read: 100
	// messages of 65,535 bytes, which Chatwork's \uXXXX escaping can make
	// six times longer.
	maxResponseBytes = 1 << 20
	maxReadBytes     = 48 << 20
)

// Options configure a Client. Zero values select the defaults.
type Options struct {
	HTTPClient *http.Client // its CheckRedirect is replaced: redirects are refused
	UserAgent  string
	// AttemptTimeout bounds one request (15 s when zero).
	AttemptTimeout time.Duration
	Clock          clock.Clock
	Budget         time.Duration // total time for every call made through this client
	// Logf receives one line per retry decision (trusted text only).
	Logf func(format string, args ...any)
	// Jitter returns a number in [0,1); rand.Float64 when nil.
	Jitter func() float64
	// Redact removes secrets from server text that errors quote, before
	// it is cut; nil removes the token (in every spelling).
	Redact func(string) string
}

// Client talks to one Chatwork API base with one token.
type Client struct {
	base           *url.URL
	token          string
	http           *http.Client
	ua             string
	clock          clock.Clock
	budget         time.Duration
	deadline       time.Time
	logf           func(string, ...any)
	jitter         func() float64
	redact         func(string) string
	attemptTimeout time.Duration
}

// New returns a client for base (e.g. https://api.chatwork.com/v2). The
// budget starts now: every call and retry through this client ends by
// Now()+Budget.
func New(base *url.URL, token string, o Options) *Client {
	hc := &http.Client{}
	if o.HTTPClient != nil {
		c := *o.HTTPClient
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &Client{
		base:           base,
		token:          token,
		http:           hc,
		ua:             o.UserAgent,
		clock:          o.Clock,
		logf:           o.Logf,
		jitter:         o.Jitter,
		redact:         o.Redact,
		attemptTimeout: o.AttemptTimeout,
	}
	if c.redact == nil {
		c.redact = secret.Of(token).Redact
	}
	if c.attemptTimeout <= 0 {
		c.attemptTimeout = maxAttemptTimeout
	}
	if c.clock == nil {
		c.clock = clock.Real{}
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	if c.jitter == nil {
		c.jitter = rand.Float64
	}
	if c.ua == "" {
		c.ua = "chatwork-notify"
	}
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	c.budget = budget
	c.deadline = c.clock.Now().Add(budget)
	return c
}

// Account is the poster of a message.
type Account struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
}

// Message is one message of a room. ID is a decimal string: real ids exceed
// 2^53 and must never pass through a float.
type Message struct {
	ID         string  `json:"message_id"`
	Account    Account `json:"account"`
	Body       string  `json:"body"`
	SendTime   int64   `json:"send_time"`
	UpdateTime int64   `json:"update_time"`
}

// UnmarshalJSON reads a message, taking message_id as Chatwork sends it (a
// decimal string) or as a bare number, without passing it through a float.
func (m *Message) UnmarshalJSON(b []byte) error {
	type plain Message
	var raw struct {
		plain
		ID   json.RawMessage `json:"message_id"`
		Body cappedText      `json:"body"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = Message(raw.plain)
	m.Body = string(raw.Body)
	if len(raw.ID) > 0 && string(raw.ID) != "null" {
		id, err := decodeID(raw.ID)
		if err != nil {
			return err
		}
		m.ID = id
	}
	return nil
}

// Messages is the result of a room read.
type Messages struct {
	List []Message
	// Limited is true when Chatwork said (chatwork-message-limitation) that
	// the free plan hid part of the window: an empty or short list then
	// proves nothing.
	Limited bool
}

// PostOptions tune PostMessage.
type PostOptions struct {
	SelfUnread bool
	// Dedupe: a duplicate in the room is as good as our post, so Adopt is
	// also asked after the per-room limit and after a cut success answer.
	Dedupe bool
	// Adopt, when set, is asked before a post is sent again: after an
	// attempt whose outcome is unknown (the connection dropped or timed
	// out after the request was sent, or a 5xx), after the per-room
	// posting limit, and after a success whose answer was cut. It reads
	// the room and returns the message that makes posting unnecessary (the
	// lost post that arrived after all, or a parallel job's duplicate).
	Adopt func(ctx context.Context) (id string, ok bool, err error)
}

// PostResult tells what PostMessage did.
type PostResult struct {
	// ID is the message's id; empty when Chatwork stored the message but
	// its answer was cut and Adopt did not find it.
	ID string
	// Recovered is true when Adopt found the message instead of a post.
	Recovered bool
	// Parallel is true when the message Adopt found replaced a post that
	// the per-room limit turned away: another job's, not ours.
	Parallel bool
	// Uncertain is true when an attempt's outcome stayed unknown: that
	// post may still arrive later.
	Uncertain bool
}

// PostMessage posts body to room. It never sends the post again once
// Chatwork answered success, and asks o.Adopt before every other retry.
func (c *Client) PostMessage(ctx context.Context, room int64, body string, o PostOptions) (PostResult, error) {
	form := url.Values{"body": {body}}
	if o.SelfUnread {
		form.Set("self_unread", "1")
	} else {
		form.Set("self_unread", "0")
	}
	path := "/rooms/" + strconv.FormatInt(room, 10) + "/messages"
	var res PostResult
	r := request{method: http.MethodPost, path: path, form: form}
	adopt := func(ctx context.Context, why string) (bool, error) {
		if o.Adopt == nil {
			return false, nil
		}
		c.logf("%s; reading the room before posting again", why)
		id, ok, err := o.Adopt(ctx)
		if err != nil {
			return false, fmt.Errorf("%s, and reading the room failed: %w", why, err)
		}
		if ok {
			res.ID, res.Recovered = id, true
			c.logf("message %s is in the room; not posting again", id)
		}
		return ok, nil
	}
	r.beforeRetry = func(ctx context.Context, rs result) (bool, error) {
		switch {
		case rs.unknownOutcome:
			res.Uncertain = true
			if o.Adopt == nil {
				c.logf("the outcome of the post is unknown (%v); posting again, which may duplicate the message", rs.cause())
				return false, nil
			}
			return adopt(ctx, fmt.Sprintf("the outcome of the post is unknown (%v)", rs.cause()))
		case rs.apiErr != nil && rs.apiErr.roomLimit() && o.Dedupe:
			done, err := adopt(ctx, "Chatwork's per-room posting limit was hit")
			res.Parallel = done
			return done, err
		}
		return false, nil
	}
	r.onCutSuccess = func(ctx context.Context, cause error) error {
		// A success status means Chatwork stored the message: never post
		// it again. Its id can only come from the room.
		if o.Adopt == nil || !o.Dedupe {
			c.logf("Chatwork stored the message but its answer was cut (%v); the message id is unknown", cause)
			return nil
		}
		_, err := adopt(ctx, fmt.Sprintf("Chatwork stored the message but its answer was cut (%v)", cause))
		return err
	}
	var out struct {
		ID json.RawMessage `json:"message_id"`
	}
	done, err := c.do(ctx, r, &out)
	if err != nil || done {
		return res, err
	}
	id, err := decodeID(out.ID)
	if err != nil {
		return res, fmt.Errorf("POST %s: %w", path, err)
	}
	res.ID = id
	return res, nil
}

// Me returns the account the token belongs to (GET /me).
func (c *Client) Me(ctx context.Context) (Account, error) {
	var a Account
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/me", idempotent: true}, &a)
	if err == nil && a.AccountID <= 0 {
		err = errors.New("GET /me: the answer has no account_id")
	}
	return a, err
}

// ListMessages reads the newest (up to 100) messages of room with force=1,
// oldest first. Chatwork answers an empty window with 204 and no body.
func (c *Client) ListMessages(ctx context.Context, room int64) (Messages, error) {
	path := "/rooms/" + strconv.FormatInt(room, 10) + "/messages"
	r := request{method: http.MethodGet, path: path, query: url.Values{"force": {"1"}}, idempotent: true, maxBytes: maxReadBytes}
	var res Messages
	r.onResponse = func(h http.Header) { res.Limited = strings.EqualFold(h.Get("chatwork-message-limitation"), "true") }
	r.stream = func(body io.Reader) (err error) {
		res.List, err = decodeMessages(body)
		return err
	}
	if _, err := c.do(ctx, r, nil); err != nil {
		return Messages{}, err
	}
	return res, nil
}

// Bounds of a room read's answer, which is decoded as it arrives so that
// only what the caller needs stays in memory: at most maxListed messages
// (Chatwork sends 100), bodies cut at maxKeptBody bytes (longer than any
// message Chatwork accepts, so a cut body never equals a real one), and
// no single message over maxMessageJSON bytes of JSON.
const (
	maxListed      = 100
	maxKeptBody    = 65536
	maxMessageJSON = 1 << 20
)

// decodeMessages reads a JSON array of messages one element at a time.
func decodeMessages(body io.Reader) ([]Message, error) {
	elem := &elementLimit{r: body}
	dec := json.NewDecoder(elem)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, cmp.Or(err, errors.New("the answer is not a list of messages"))
	}
	var list []Message
	for dec.More() {
		var m Message
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		elem.mark()
		if list = append(list, m); len(list) > maxListed {
			list = slices.Delete(list, 0, 1)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return list, nil
}

// elementLimit fails a read once more than maxMessageJSON bytes were read
// since the last mark (the end of the previous message), so one huge
// element cannot make the decoder buffer it whole.
type elementLimit struct {
	r    io.Reader
	read int
}

func (e *elementLimit) mark() { e.read = 0 }

func (e *elementLimit) Read(p []byte) (int, error) {
	if e.read > maxMessageJSON {
		return 0, errElementTooLarge
	}
	n, err := e.r.Read(p)
	e.read += n
	return n, err
}

var errElementTooLarge = fmt.Errorf("the answer is too large: one message in it is over %d MiB", maxMessageJSON>>20)

// GetMessage reads one message of room.
func (c *Client) GetMessage(ctx context.Context, room int64, id string) (Message, error) {
	r := request{method: http.MethodGet, path: messagePath(room, id), idempotent: true}
	var m Message
	_, err := c.do(ctx, r, &m)
	return m, err
}

// UpdateMessage replaces the body of one of the token owner's messages.
// Chatwork answers 403 or 404 (see IsGone) when the message is someone
// else's or no longer exists.
func (c *Client) UpdateMessage(ctx context.Context, room int64, id, body string) (string, error) {
	r := request{method: http.MethodPut, path: messagePath(room, id), form: url.Values{"body": {body}}, idempotent: true}
	var out struct {
		ID json.RawMessage `json:"message_id"`
	}
	if _, err := c.do(ctx, r, &out); err != nil {
		return "", err
	}
	if len(out.ID) == 0 {
		return id, nil
	}
	return decodeID(out.ID)
}

// DeleteMessage deletes one of the token owner's messages. A message that
// is already gone counts as deleted.
func (c *Client) DeleteMessage(ctx context.Context, room int64, id string) error {
	r := request{method: http.MethodDelete, path: messagePath(room, id), idempotent: true}
	var out struct{}
	_, err := c.do(ctx, r, &out)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// Task is a task to create.
type Task struct {
	Body  string
	ToIDs []int64
	Limit time.Time // zero: no deadline
}

// OpenTask is an open task of a room.
type OpenTask struct {
	ID         int64   `json:"task_id"`
	Account    Account `json:"account"`             // the assignee
	AssignedBy Account `json:"assigned_by_account"` // who created it
	Body       string  `json:"body"`
	Status     string  `json:"status"`
}

// ListOpenTasks reads the open tasks of room that account created
// (GET /rooms/{id}/tasks?status=open&assigned_by_account_id=…; Chatwork
// returns at most 100). An empty list is 204.
func (c *Client) ListOpenTasks(ctx context.Context, room, assignedBy int64) ([]OpenTask, error) {
	q := url.Values{"status": {"open"}, "assigned_by_account_id": {strconv.FormatInt(assignedBy, 10)}}
	r := request{method: http.MethodGet, path: "/rooms/" + strconv.FormatInt(room, 10) + "/tasks", query: q, idempotent: true, maxBytes: maxReadBytes}
	var list []OpenTask
	_, err := c.do(ctx, r, &list)
	return list, err
}

// CreateTask creates one task per assignee in room and returns their IDs.
// When an attempt's outcome is unknown, the room's open tasks are read
// first: a task that arrived after all is not created again.
func (c *Client) CreateTask(ctx context.Context, room int64, t Task) ([]int64, error) {
	ids := make([]string, len(t.ToIDs))
	for i, id := range t.ToIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	form := url.Values{"body": {t.Body}, "to_ids": {strings.Join(ids, ",")}, "limit_type": {"none"}}
	if !t.Limit.IsZero() {
		form.Set("limit", strconv.FormatInt(t.Limit.Unix(), 10))
		form.Set("limit_type", "time")
	}
	r := request{method: http.MethodPost, path: "/rooms/" + strconv.FormatInt(room, 10) + "/tasks", form: form}
	var found []int64
	r.beforeRetry = func(ctx context.Context, rs result) (bool, error) {
		if !rs.unknownOutcome {
			return false, nil
		}
		c.logf("the outcome of creating the task is unknown (%v); reading the room's open tasks before creating it again", rs.cause())
		var err error
		found, err = c.findTasks(ctx, room, t)
		if err != nil {
			return false, fmt.Errorf("checking whether the lost task arrived: %w", err)
		}
		return found != nil, nil
	}
	r.onCutSuccess = func(ctx context.Context, cause error) error {
		found, _ = c.findTasks(ctx, room, t)
		return nil
	}
	var out struct {
		TaskIDs []int64 `json:"task_ids"`
	}
	done, err := c.do(ctx, r, &out)
	if err != nil || done || out.TaskIDs == nil {
		return found, err
	}
	return out.TaskIDs, nil
}

// findTasks returns the ids of open tasks the token's account created in
// room with t's body, one for every assignee of t, or nil.
func (c *Client) findTasks(ctx context.Context, room int64, t Task) ([]int64, error) {
	me, err := c.Me(ctx)
	if err != nil {
		return nil, err
	}
	open, err := c.ListOpenTasks(ctx, room, me.AccountID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, to := range t.ToIDs {
		for _, o := range open {
			if o.Account.AccountID == to && o.AssignedBy.AccountID == me.AccountID && SameBody(o.Body, t.Body) {
				ids = append(ids, o.ID)
				break
			}
		}
	}
	if len(ids) != len(t.ToIDs) {
		return nil, nil
	}
	c.logf("the task had arrived (ids %v); not creating it again", ids)
	return ids, nil
}

// Member is a member of a room.
type Member struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Role      string `json:"role"` // admin, member or readonly
}

// Members lists the members of room (GET /rooms/{id}/members).
func (c *Client) Members(ctx context.Context, room int64) ([]Member, error) {
	r := request{method: http.MethodGet, path: "/rooms/" + strconv.FormatInt(room, 10) + "/members", idempotent: true}
	var list []Member
	_, err := c.do(ctx, r, &list)
	return list, err
}

// DoneTask marks a task done (PUT /rooms/{id}/tasks/{task_id}/status,
// body=done). Doing it twice does no harm, so it is retried like a read.
func (c *Client) DoneTask(ctx context.Context, room, taskID int64) error {
	r := request{method: http.MethodPut, path: fmt.Sprintf("/rooms/%d/tasks/%d/status", room, taskID),
		form: url.Values{"body": {"done"}}, idempotent: true}
	var out struct {
		TaskID int64 `json:"task_id"`
	}
	_, err := c.do(ctx, r, &out)
	return err
}

// MaxFileBytes is Chatwork's limit on an uploaded file (5 MB).
const MaxFileBytes = 5 << 20

// UploadFile uploads a text file to room with an optional message
// (POST /rooms/{id}/files, multipart) and returns the file's id. An upload
// whose outcome is unknown is not repeated (Chatwork has no way to ask
// whether it arrived), so a file is never posted twice.
func (c *Client) UploadFile(ctx context.Context, room int64, name string, content []byte, message string) (int64, error) {
	if len(content) > MaxFileBytes {
		return 0, fmt.Errorf("the file %s is %d bytes; Chatwork takes at most %d", name, len(content), MaxFileBytes)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", FileDisposition(name))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil && message != "" {
		err = mw.WriteField("message", message)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return 0, err
	}
	r := request{method: http.MethodPost, path: "/rooms/" + strconv.FormatInt(room, 10) + "/files",
		body: buf.Bytes(), contentType: mw.FormDataContentType()}
	r.beforeRetry = func(ctx context.Context, rs result) (bool, error) {
		if rs.unknownOutcome {
			return false, fmt.Errorf("%w (not uploading again: the file may have arrived)", rs.describe(r))
		}
		return false, nil
	}
	r.onCutSuccess = func(context.Context, error) error { return nil }
	var out struct {
		FileID int64 `json:"file_id"`
	}
	_, err = c.do(ctx, r, &out)
	return out.FileID, err
}

// FileDisposition is the Content-Disposition of a file part exactly as
// browsers and curl write it: `form-data; name="file"; filename="…"`, the
// name first, both quoted, with LF, CR and '"' in the file name written as
// %0A, %0D and %22 (the HTML standard's multipart/form-data encoding).
func FileDisposition(filename string) string {
	esc := strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22").Replace(filename)
	return `form-data; name="file"; filename="` + esc + `"`
}

// IsGone reports whether err says a message cannot be edited or answered:
// it no longer exists or is not the token owner's (403, 404, or a 400 for
// an id Chatwork does not accept).
func IsGone(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return false
}

func messagePath(room int64, id string) string {
	return "/rooms/" + strconv.FormatInt(room, 10) + "/messages/" + url.PathEscape(id)
}

// SameBody reports whether two message bodies are the same text, ignoring
// surrounding whitespace and CRLF versus LF.
func SameBody(a, b string) bool { return NormaliseBody(a) == NormaliseBody(b) }

// NormaliseBody trims surrounding whitespace and turns CRLF into LF.
func NormaliseBody(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// decodeID reads a message_id: a decimal string as Chatwork sends it, or a
// bare number (without going through float64). Anything else is an error:
// the id goes into outputs, the job summary and later requests' paths.
func decodeID(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		s = strings.TrimSpace(string(raw)) // a bare number
	}
	if IsMessageID(s) {
		return s, nil
	}
	if len(raw) == 0 {
		return "", errors.New("the answer has no message_id")
	}
	return "", fmt.Errorf("the answer's message_id is not a number (%d bytes)", len(raw))
}

// IsMessageID reports whether s has the form of a Chatwork message id:
// 1 to 20 decimal digits.
func IsMessageID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// request is one API call; the retry loop runs it one or more times.
type request struct {
	method, path string
	query, form  url.Values
	body         []byte // a body of its own (multipart), with its type
	contentType  string
	idempotent   bool // safe to repeat after an unknown outcome
	maxBytes     int  // answer size cap; maxResponseBytes when 0
	// beforeRetry runs before a failed attempt is repeated; done=true
	// settles the call (the caller's result is set).
	beforeRetry func(ctx context.Context, res result) (done bool, err error)
	// onCutSuccess settles a call whose success answer was cut: the
	// request took effect and is not repeated.
	onCutSuccess func(ctx context.Context, cause error) error
	onResponse   func(http.Header)
	// stream, when set, decodes a success answer as it arrives instead of
	// reading it whole (a room read can be tens of MiB of JSON).
	stream func(io.Reader) error
}

// do runs r with retries and decodes a 200 body into out. It returns
// done=true when onUnknown settled the call.
func (c *Client) do(ctx context.Context, r request, out any) (done bool, err error) {
	for attempt := 0; ; attempt++ {
		res := c.attempt(ctx, r)
		if res.err != nil && res.status >= 200 && res.status < 300 && r.onCutSuccess != nil {
			return true, r.onCutSuccess(ctx, res.err)
		}
		if res.err == nil && res.status >= 200 && res.status < 300 {
			if r.onResponse != nil {
				r.onResponse(res.header)
			}
			if r.stream != nil || res.status == http.StatusNoContent || len(bytes.TrimSpace(res.body)) == 0 {
				return false, nil
			}
			if err := json.Unmarshal(res.body, out); err != nil {
				return false, fmt.Errorf("%s %s: Chatwork answered %d with a body that is not the expected JSON: %w", r.method, r.path, res.status, err)
			}
			return false, nil
		}
		wait, final := c.plan(r, res, attempt)
		if final != nil {
			return false, final
		}
		if left := c.deadline.Sub(c.clock.Now()); wait >= left {
			return false, fmt.Errorf("%w (gave up: the %s retry budget is spent)", res.describe(r), c.budget)
		}
		c.logf("%s; retrying in %s", res.short(), wait.Round(100*time.Millisecond))
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return false, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		if r.beforeRetry != nil {
			if done, err := r.beforeRetry(ctx, res); err != nil || done {
				return done, err
			}
		}
	}
}

// plan decides, after a failed attempt, how long to wait before the next
// one, or returns the final error.
func (c *Client) plan(r request, res result, attempt int) (time.Duration, error) {
	switch {
	case res.err != nil && res.ctxErr:
		return 0, res.describe(r)
	case res.err != nil && res.tooLarge:
		return 0, res.describe(r)
	case res.err != nil && isCertificateError(res.err):
		return 0, fmt.Errorf("%s %s: the TLS certificate of %s is not trusted (%w); check api-url, or the runner's CA certificates", r.method, r.path, c.base.Host, res.err)
	case res.err != nil:
		return c.backoff(attempt), nil
	case res.status == http.StatusTooManyRequests:
		if res.apiErr.roomLimit() {
			return roomLimitWait + time.Duration(c.jitter()*float64(roomLimitJitter)), nil
		}
		wait, at := c.untilReset(res.header)
		if wait < 0 {
			return c.backoff(attempt), nil
		}
		// A reset already past (clock skew, or a server that keeps
		// answering 429) backs off instead of asking again each second.
		wait = max(wait, c.backoff(attempt))
		if c.clock.Now().Add(wait).After(c.deadline) {
			return 0, fmt.Errorf("%w; the account's rate limit resets at %s, later than the retry budget allows: run again after that", res.apiErr, at.UTC().Format("15:04:05 MST"))
		}
		return wait, nil
	case res.status >= 500:
		return c.backoff(attempt), nil
	}
	return 0, res.describe(r)
}

// backoff is exponential from 500 ms, capped at 8 s, with jitter.
func (c *Client) backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << min(attempt, 4)
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// untilReset reads x-ratelimit-reset (Unix seconds) and measures the wait
// against the response's Date so clock skew does not matter. It returns a
// negative wait when the header is missing.
func (c *Client) untilReset(h http.Header) (time.Duration, time.Time) {
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("x-ratelimit-reset")), 10, 64)
	if err != nil {
		return -1, time.Time{}
	}
	resetAt := time.Unix(reset, 0)
	now := c.clock.Now()
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		now = d
	}
	wait := max(resetAt.Sub(now), 0) + time.Second // reset is whole seconds
	return wait, c.clock.Now().Add(wait)
}

// result is the outcome of one attempt.
type result struct {
	status         int
	header         http.Header
	body           []byte
	apiErr         *APIError
	err            error // transport error, or a cut answer
	ctxErr         bool  // the caller's context ended
	tooLarge       bool  // the answer passed the size cap
	unknownOutcome bool  // the request may have taken effect
}

func (res result) cause() error {
	if res.err != nil {
		return res.err
	}
	return res.apiErr
}

func (res result) describe(r request) error {
	if res.tooLarge {
		return fmt.Errorf("%s %s: %w", r.method, r.path, res.err)
	}
	if res.err != nil {
		return fmt.Errorf("%s %s: cannot reach Chatwork: %w", r.method, r.path, res.err)
	}
	return res.apiErr
}

func (res result) short() string {
	if res.err != nil {
		return "network error: " + res.err.Error()
	}
	return res.apiErr.Error()
}

func (c *Client) attempt(ctx context.Context, r request) result {
	left := c.deadline.Sub(c.clock.Now())
	if left <= 0 {
		return result{err: errors.New("retry budget spent"), ctxErr: true}
	}
	actx, cancel := context.WithTimeout(ctx, min(left, c.attemptTimeout))
	defer cancel()
	wrote := false
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true }})

	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + r.path
	u.RawQuery = r.query.Encode()
	var body io.Reader
	switch {
	case r.form != nil:
		body = strings.NewReader(r.form.Encode())
	case r.body != nil:
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, u.String(), body)
	if err != nil {
		return result{err: err, ctxErr: true}
	}
	req.Header.Set("X-ChatWorkToken", c.token)
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	switch {
	case r.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case r.body != nil:
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		err = scrubURLError(err)
		return result{err: err, ctxErr: ctx.Err() != nil, unknownOutcome: wrote}
	}
	defer resp.Body.Close()
	limit := r.maxBytes
	if limit == 0 {
		limit = maxResponseBytes
	}
	if r.stream != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 && resp.StatusCode != http.StatusNoContent {
		return c.decodeStream(ctx, r, resp, limit)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	switch {
	case err != nil:
		// The status line arrived: a 2xx was decided by the server even if
		// the body was cut.
		return result{status: resp.StatusCode, err: fmt.Errorf("reading the answer: %w", scrubURLError(err)), ctxErr: ctx.Err() != nil, unknownOutcome: true}
	case len(b) > limit:
		return result{status: resp.StatusCode, err: fmt.Errorf("the answer is too large (over %d MiB)", limit>>20), tooLarge: true}
	}
	res := result{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		res.apiErr = newAPIError(r.method, r.path, resp, b, c.redact)
		res.unknownOutcome = resp.StatusCode >= 500
	}
	return res
}

// decodeStream decodes a success answer with r.stream as it arrives. A
// transport error while reading may be retried (the request is a read);
// an answer over limit bytes or JSON that is not the expected shape is
// final.
func (c *Client) decodeStream(ctx context.Context, r request, resp *http.Response, limit int) result {
	body := &countedBody{r: io.LimitReader(resp.Body, int64(limit)+1)}
	err := r.stream(body)
	switch {
	case body.n > int64(limit):
		return result{status: resp.StatusCode, err: fmt.Errorf("the answer is too large (over %d MiB)", limit>>20), tooLarge: true}
	case errors.Is(err, errElementTooLarge):
		return result{status: resp.StatusCode, err: err, tooLarge: true}
	case body.err != nil:
		return result{status: resp.StatusCode, err: fmt.Errorf("reading the answer: %w", scrubURLError(body.err)), ctxErr: ctx.Err() != nil}
	case err != nil:
		return result{status: resp.StatusCode, err: fmt.Errorf("Chatwork answered %d with a body that is not the expected JSON: %w", resp.StatusCode, err), tooLarge: true}
	}
	return result{status: resp.StatusCode, header: resp.Header}
}

// countedBody counts the bytes read and keeps the first read error that
// is not the end of the body.
type countedBody struct {
	r   io.Reader
	n   int64
	err error
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) && b.err == nil {
		b.err = err
	}
	return n, err
}

// isCertificateError reports whether err is a TLS certificate that does
// not verify: retrying cannot help.
func isCertificateError(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &inv)
}

// scrubURLError drops the *url.Error wrapper (method and full URL) and
// keeps the cause; the caller adds method and path itself.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timed out: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}
