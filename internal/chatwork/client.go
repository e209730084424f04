// Package chatwork is a client for the parts of the Chatwork REST API v2
// that chatwork-notify uses, in go-github's shape: one file per resource
// (messages, tasks, files, members, me), each method a request declared
// once and run by one retry engine. It knows nothing of GitHub. It sends
// form-encoded requests with the token header, refuses redirects (so the
// token never reaches another host), decodes Chatwork's error envelope, and
// retries within one time budget: the per-room posting limit waits ~10 s,
// the account limit waits until x-ratelimit-reset when that fits, 5xx and
// network errors back off with jitter, other 4xx are final. A request that
// must not be sent twice (a post, a task, a file) is settled by its own
// operation whenever an attempt may have taken effect.
package chatwork

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"
	"github.com/chatwork-notify/chatwork-notify/internal/secret"
)

// Defaults for a Client.
const (
	DefaultBudget     = 30 * time.Second
	maxAttemptTimeout = 15 * time.Second
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
		ua:             cmp.Or(o.UserAgent, "chatwork-notify"),
		clock:          cmp.Or[clock.Clock](o.Clock, clock.Real{}),
		logf:           o.Logf,
		jitter:         o.Jitter,
		redact:         o.Redact,
		attemptTimeout: cmp.Or(o.AttemptTimeout, maxAttemptTimeout),
		budget:         cmp.Or(o.Budget, DefaultBudget),
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	if c.jitter == nil {
		c.jitter = rand.Float64
	}
	if c.redact == nil {
		c.redact = secret.Of(token).Redact
	}
	c.deadline = c.clock.Now().Add(c.budget)
	return c
}

// request is one API call, declared by a resource method and run by do.
type request struct {
	method, path string
	query, form  url.Values
	body         []byte // a body of its own (multipart), with its type
	contentType  string
	maxBytes     int // answer size cap; maxResponseBytes when 0
	// decode reads a success answer (204 included, with no body) as it
	// arrives; nil ignores it.
	decode func(h http.Header, body io.Reader) error
	// settle is set for a request that must not simply be sent again (a
	// post, a task, a file). The engine asks it, with the reason, after an
	// attempt that may have taken effect; done=true ends the call (the
	// operation found or accepted the outcome and set its result).
	settle func(ctx context.Context, why settleReason, cause error) (done bool, err error)
}

// settleReason says why the engine asks an operation to settle.
type settleReason int

const (
	// settleCut: Chatwork answered success but the answer was cut; the
	// request took effect and is never sent again.
	settleCut settleReason = iota + 1
	// settleUnknown: the attempt may have taken effect (the connection
	// failed after the request was sent, or a 5xx).
	settleUnknown
	// settleRoomLimit: the per-room posting limit turned the post away
	// (a parallel job may have posted the same message).
	settleRoomLimit
)

// into decodes a JSON success answer into out; an empty one leaves out as
// it is.
func into(out any) func(http.Header, io.Reader) error {
	return func(_ http.Header, body io.Reader) error {
		b, err := io.ReadAll(body)
		if err != nil || len(strings.TrimSpace(string(b))) == 0 {
			return err
		}
		return json.Unmarshal(b, out)
	}
}

// do runs r: one attempt, then, while the failure is one another attempt
// can mend and the budget allows, a wait (see plan) and another. A
// request with settle is never sent again after it may have taken effect
// unless settle says so.
func (c *Client) do(ctx context.Context, r request) error {
	for n := 0; ; n++ {
		f := c.attempt(ctx, r)
		if f == nil {
			return nil
		}
		if f.kind == cutSuccess && r.settle != nil {
			_, err := r.settle(ctx, settleCut, f.err)
			return err
		}
		wait, err := c.plan(r, f, n)
		if err != nil {
			return err
		}
		c.logf("%s; retrying in %s", f.short(), wait.Round(100*time.Millisecond))
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		if why := f.settleReason(); r.settle != nil && why != 0 {
			if done, err := r.settle(ctx, why, f.cause()); err != nil || done {
				return err
			}
		}
	}
}

// attempt sends r once and decodes its success answer. It returns nil on
// success, or what went wrong.
func (c *Client) attempt(ctx context.Context, r request) *failure {
	left := c.deadline.Sub(c.clock.Now())
	if left <= 0 {
		return &failure{kind: canceled, err: errors.New("retry budget spent")}
	}
	actx, cancel := context.WithTimeout(ctx, min(left, c.attemptTimeout))
	defer cancel()
	wrote := false
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true }})
	req, err := c.newRequest(actx, r)
	if err != nil {
		return &failure{kind: canceled, err: err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &failure{kind: transport(ctx, err), err: scrubURLError(err), mayHaveApplied: wrote}
	}
	defer resp.Body.Close()
	limit := int64(cmp.Or(r.maxBytes, maxResponseBytes))
	body := &countedBody{r: io.LimitReader(resp.Body, limit+1)}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		b, _ := io.ReadAll(body)
		return &failure{kind: refused, status: resp.StatusCode, header: resp.Header,
			api: newAPIError(r.method, r.path, resp, b, c.redact), mayHaveApplied: resp.StatusCode >= 500}
	}
	return c.decodeSuccess(ctx, r, resp, body, limit)
}

// decodeSuccess reads a 2xx answer with r.decode. The status line says the
// request took effect: an answer cut short is a cutSuccess, an answer that
// passes the cap or is not the expected JSON is final.
func (c *Client) decodeSuccess(ctx context.Context, r request, resp *http.Response, body *countedBody, limit int64) *failure {
	decode := r.decode
	if decode == nil {
		decode = func(http.Header, io.Reader) error { return nil }
	}
	err := decode(resp.Header, body)
	if err == nil {
		_, err = io.Copy(io.Discard, body) // read to the end: a cut shows there too
	}
	switch {
	case body.n > limit:
		return &failure{kind: broken, status: resp.StatusCode, err: fmt.Errorf("the answer is too large (over %d MiB)", limit>>20)}
	case errors.Is(err, errElementTooLarge):
		return &failure{kind: broken, status: resp.StatusCode, err: err}
	case body.err != nil:
		return &failure{kind: cutSuccess, status: resp.StatusCode, err: fmt.Errorf("reading the answer: %w", scrubURLError(body.err)),
			mayHaveApplied: true, canceled: ctx.Err() != nil}
	case err != nil:
		return &failure{kind: broken, status: resp.StatusCode,
			err: fmt.Errorf("the answer (%d) is not the expected JSON: %w", resp.StatusCode, err)}
	}
	return nil
}

// newRequest builds the HTTP request of r: the token header, and a form
// body (POST and PUT read parameters only from the body) or r's own.
func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + r.path
	u.RawQuery = r.query.Encode()
	var body io.Reader
	contentType := r.contentType
	switch {
	case r.form != nil:
		body, contentType = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	case r.body != nil:
		body = strings.NewReader(string(r.body))
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-ChatWorkToken", c.token)
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
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
