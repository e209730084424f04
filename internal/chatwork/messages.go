package chatwork

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

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
// decimal string) or as a bare number, without passing it through a float,
// and the body cut at maxKeptBody bytes as it is unescaped.
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

// PostMessage posts body to room (POST /rooms/{room_id}/messages). It
// never sends the post again once Chatwork answered success, and asks
// o.Adopt before every other retry.
//
// Chatwork API docs: https://developer.chatwork.com/reference/post-rooms-room_id-messages
func (c *Client) PostMessage(ctx context.Context, room int64, body string, o PostOptions) (PostResult, error) {
	var res PostResult
	var out struct {
		ID json.RawMessage `json:"message_id"`
	}
	r := request{method: http.MethodPost, path: roomPath(room, "messages"), decode: into(&out),
		form: url.Values{"body": {body}, "self_unread": {map[bool]string{true: "1", false: "0"}[o.SelfUnread]}}}
	settled := false // the call ended without a fresh answer: res says how
	r.settle = func(ctx context.Context, why settleReason, cause error) (done bool, err error) {
		defer func() { settled = settled || done || why == settleCut }()
		switch {
		case why == settleUnknown:
			res.Uncertain = true
			if o.Adopt == nil {
				c.logf("the outcome of the post is unknown (%v); posting again, which may duplicate the message", cause)
				return false, nil
			}
			return c.adopt(ctx, o, &res, fmt.Sprintf("the outcome of the post is unknown (%v)", cause))
		case why == settleRoomLimit && o.Dedupe:
			done, err := c.adopt(ctx, o, &res, "Chatwork's per-room posting limit was hit")
			res.Parallel = done
			return done, err
		case why == settleCut && o.Adopt != nil && o.Dedupe:
			// A success status means Chatwork stored the message: never
			// post it again. Its id can only come from the room.
			return c.adopt(ctx, o, &res, fmt.Sprintf("Chatwork stored the message but its answer was cut (%v)", cause))
		case why == settleCut:
			c.logf("Chatwork stored the message but its answer was cut (%v); the message id is unknown", cause)
			return true, nil
		}
		return false, nil
	}
	if err := c.do(ctx, r); err != nil || settled {
		return res, err
	}
	id, err := decodeID(out.ID)
	if err != nil {
		return res, fmt.Errorf("POST %s: %w", r.path, err)
	}
	res.ID = id
	return res, nil
}

// adopt asks o.Adopt for the message that makes posting (again)
// unnecessary; done reports that it found one, now in res.
func (c *Client) adopt(ctx context.Context, o PostOptions, res *PostResult, why string) (done bool, err error) {
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

// ListMessages reads the newest (up to 100) messages of room with force=1,
// oldest first (GET /rooms/{room_id}/messages). Chatwork answers an empty
// window with 204 and no body. The answer is decoded as it arrives (see
// decodeMessages).
//
// Chatwork API docs: https://developer.chatwork.com/reference/get-rooms-room_id-messages
func (c *Client) ListMessages(ctx context.Context, room int64) (Messages, error) {
	var res Messages
	r := request{method: http.MethodGet, path: roomPath(room, "messages"), query: url.Values{"force": {"1"}}, maxBytes: maxReadBytes}
	r.decode = func(h http.Header, body io.Reader) (err error) {
		res.Limited = strings.EqualFold(h.Get("chatwork-message-limitation"), "true")
		res.List, err = decodeMessages(body)
		return err
	}
	if err := c.do(ctx, r); err != nil {
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

// decodeMessages reads a JSON array of messages one element at a time; an
// empty answer (204) is an empty list.
func decodeMessages(body io.Reader) ([]Message, error) {
	elem := &elementLimit{r: body}
	dec := json.NewDecoder(elem)
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil || tok != json.Delim('[') {
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

// GetMessage reads one message of room (GET /rooms/{room_id}/messages/{message_id}).
//
// Chatwork API docs: https://developer.chatwork.com/reference/get-rooms-room_id-messages-message_id
func (c *Client) GetMessage(ctx context.Context, room int64, id string) (Message, error) {
	var m Message
	err := c.do(ctx, request{method: http.MethodGet, path: messagePath(room, id), decode: into(&m)})
	return m, err
}

// UpdateMessage replaces the body of one of the token owner's messages
// (PUT /rooms/{room_id}/messages/{message_id}). Chatwork answers 403 or
// 404 (see IsGone) when the message is someone else's or no longer exists.
//
// Chatwork API docs: https://developer.chatwork.com/reference/put-rooms-room_id-messages-message_id
func (c *Client) UpdateMessage(ctx context.Context, room int64, id, body string) (string, error) {
	var out struct {
		ID json.RawMessage `json:"message_id"`
	}
	r := request{method: http.MethodPut, path: messagePath(room, id), form: url.Values{"body": {body}}, decode: into(&out)}
	if err := c.do(ctx, r); err != nil {
		return "", err
	}
	if len(out.ID) == 0 {
		return id, nil
	}
	return decodeID(out.ID)
}

// DeleteMessage deletes one of the token owner's messages (DELETE
// /rooms/{room_id}/messages/{message_id}). A message that is already gone
// counts as deleted.
//
// Chatwork API docs: https://developer.chatwork.com/reference/delete-rooms-room_id-messages-message_id
func (c *Client) DeleteMessage(ctx context.Context, room int64, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: messagePath(room, id)})
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil
	}
	return err
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

// roomPath is /rooms/{room}/{resource}.
func roomPath(room int64, resource string) string {
	return "/rooms/" + strconv.FormatInt(room, 10) + "/" + resource
}

func messagePath(room int64, id string) string {
	return roomPath(room, "messages/"+url.PathEscape(id))
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

// WebURL is the Chatwork web app's address; a room is WebURL+"#!rid<room>".
const WebURL = "https://www.chatwork.com/"

// MessageURL is the link that opens message id in its room in the web
// app, "https://www.chatwork.com/#!rid<room>-<id>".
func MessageURL(room int64, id string) string {
	return WebURL + "#!rid" + strconv.FormatInt(room, 10) + "-" + id
}

// CompareMessageIDs orders two message ids as the numbers they are,
// without converting them (ids are 64-bit and may not fit int64): by the
// count of significant digits, then digit by digit. c is -1, 0 or +1; ok
// is false when either is not decimal digits with at most 20 significant
// ones (leading zeros aside), and c is 0 then.
func CompareMessageIDs(a, b string) (c int, ok bool) {
	ka, okA := idKey(a)
	kb, okB := idKey(b)
	if !okA || !okB {
		return 0, false
	}
	if c := cmp.Compare(len(ka), len(kb)); c != 0 {
		return c, true
	}
	return strings.Compare(ka, kb), true
}

// idKey returns id without leading zeros, and whether id is decimal
// digits with at most 20 significant ones.
func idKey(id string) (string, bool) {
	if id == "" {
		return "", false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return "", false
		}
	}
	k := strings.TrimLeft(id, "0")
	return k, len(k) <= 20
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
