package chatwork

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The waits of the retry engine.
const (
	// roomLimitWait is the wait after the per-room posting limit, plus up
	// to roomLimitJitter so that parallel jobs do not come back together.
	roomLimitWait   = 10 * time.Second
	roomLimitJitter = 3 * time.Second
)

// failureKind is what went wrong in one attempt.
type failureKind int

const (
	network    failureKind = iota + 1 // no answer: the connection failed or timed out
	canceled                          // the caller's context or the budget ended
	refused                           // a non-2xx answer (api holds it)
	cutSuccess                        // a 2xx whose answer was cut: it took effect
	broken                            // a 2xx answer too large or not the expected JSON: final
)

// failure is the outcome of one attempt that did not succeed.
type failure struct {
	kind   failureKind
	status int
	header http.Header
	api    *APIError // refused
	err    error     // the cause, for the other kinds
	// mayHaveApplied: the request may have taken effect (it was sent and
	// the answer was lost, or Chatwork failed with a 5xx).
	mayHaveApplied bool
	canceled       bool // the caller's context ended while reading
}

// transport classifies a transport error: the caller's context ending is
// final, anything else may pass.
func transport(ctx context.Context, err error) failureKind {
	if ctx.Err() != nil {
		return canceled
	}
	return network
}

func (f *failure) cause() error {
	if f.api != nil {
		return f.api
	}
	return f.err
}

// settleReason says whether an operation that must not repeat has to
// settle after f (0: no).
func (f *failure) settleReason() settleReason {
	switch {
	case f.mayHaveApplied:
		return settleUnknown
	case f.api != nil && f.api.roomLimit():
		return settleRoomLimit
	}
	return 0
}

// describe is f as the error of r.
func (f *failure) describe(r request) error {
	switch f.kind {
	case refused:
		return f.api
	case broken:
		return fmt.Errorf("%s %s: %w", r.method, r.path, f.err)
	}
	return fmt.Errorf("%s %s: cannot reach Chatwork: %w", r.method, r.path, f.err)
}

// short is f for a retry log line.
func (f *failure) short() string {
	if f.api != nil {
		return f.api.Error()
	}
	return "network error: " + f.err.Error()
}

// plan decides, after a failed attempt, how long to wait before the next
// one, or returns the final error.
func (c *Client) plan(r request, f *failure, attempt int) (time.Duration, error) {
	var wait time.Duration
	switch {
	case f.kind == canceled || f.canceled || f.kind == broken:
		return 0, f.describe(r)
	case f.kind != refused && isCertificateError(f.err):
		return 0, fmt.Errorf("%s %s: the TLS certificate of %s is not trusted (%w); check api-url, or the runner's CA certificates", r.method, r.path, c.base.Host, f.err)
	case f.kind != refused || f.status >= 500:
		wait = c.backoff(attempt)
	case f.status == http.StatusTooManyRequests:
		var err error
		if wait, err = c.rateLimitWait(f, attempt); err != nil {
			return 0, err
		}
	default:
		return 0, f.describe(r) // another 4xx: a retry cannot help
	}
	if left := c.deadline.Sub(c.clock.Now()); wait >= left {
		return 0, fmt.Errorf("%w (gave up: the %s retry budget is spent)", f.describe(r), c.budget)
	}
	return wait, nil
}

// rateLimitWait is the wait after a 429: ~10 s for the per-room posting
// limit, else until the account limit resets (x-ratelimit-reset), when
// that fits the budget.
func (c *Client) rateLimitWait(f *failure, attempt int) (time.Duration, error) {
	if f.api.roomLimit() {
		return roomLimitWait + time.Duration(c.jitter()*float64(roomLimitJitter)), nil
	}
	wait, at := c.untilReset(f.header)
	if wait < 0 {
		return c.backoff(attempt), nil
	}
	// A reset already past (clock skew, or a server that keeps answering
	// 429) backs off instead of asking again each second.
	wait = max(wait, c.backoff(attempt))
	if c.clock.Now().Add(wait).After(c.deadline) {
		return 0, fmt.Errorf("%w; the account's rate limit resets at %s, later than the retry budget allows: run again after that", f.api, at.UTC().Format("15:04:05 MST"))
	}
	return wait, nil
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
