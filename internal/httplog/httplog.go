// Package httplog describes each HTTP request in one log line, for the
// debug log (a re-run with debug logging on): method, host and path, the
// status or the kind of failure, and the time it took.
//
// A line says nothing that could be a secret: no header (Authorization,
// cookies), no body of a request or an answer, no user info of a URL,
// no query parameter but a few known to be harmless, and no error text
// (a transport error quotes the URL, whose query may carry a signature),
// only its kind.
package httplog

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

// SafeQueryKeys are the query parameters a line keeps: paging and
// filters this program sets itself. Every other parameter is left out.
var SafeQueryKeys = []string{"direction", "filter", "force", "page", "per_page", "sort", "state", "status"}

// safeValue is what a kept parameter's value may look like: a number or
// a short word. Another value is shown as "…".
var safeValue = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// Transport returns a RoundTripper that sends each request through next
// (http.DefaultTransport when nil) and then gives log one line about it,
// timed with now:
//
//	GET api.chatwork.com/v2/rooms/123/messages?force=1 → 200 (84 ms)
//	POST api.chatwork.com/v2/rooms/123/files → failed: timeout (30000 ms)
//
// The time runs until the answer's headers arrive. With a nil log it
// returns next itself. log may be called from several goroutines at once
// if requests are sent so.
func Transport(next http.RoundTripper, log func(string), now func() time.Time) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if log == nil {
		return next
	}
	if now == nil {
		now = time.Now
	}
	return &transport{next: next, log: log, now: now}
}

type transport struct {
	next http.RoundTripper
	log  func(string)
	now  func() time.Time
}

// RoundTrip sends req through the next RoundTripper and logs one line.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := t.now()
	resp, err := t.next.RoundTrip(req)
	ms := t.now().Sub(start).Milliseconds()
	outcome := ""
	switch {
	case err != nil:
		outcome = "failed: " + ErrorKind(err)
	case resp == nil:
		outcome = "failed: no response"
	default:
		outcome = fmt.Sprint(resp.StatusCode)
	}
	t.log(fmt.Sprintf("%s %s → %s (%d ms)", method(req), Target(req.URL), outcome, ms))
	return resp, err
}

func method(req *http.Request) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}

// Target is u as a line shows it: host and path, and only the query
// parameters in SafeQueryKeys (sorted, each value a number or a short
// word, else "…"); no scheme, user info or fragment.
func Target(u *url.URL) string {
	if u == nil {
		return "?"
	}
	s := u.Host + u.EscapedPath()
	var kept []string
	for k, vs := range u.Query() {
		if !slices.Contains(SafeQueryKeys, k) {
			continue
		}
		for _, v := range vs {
			if !safeValue.MatchString(v) {
				v = "…"
			}
			kept = append(kept, k+"="+v)
		}
	}
	if len(kept) == 0 {
		return s
	}
	slices.Sort(kept)
	return s + "?" + strings.Join(kept, "&")
}

// ErrorKind names the kind of a transport error without quoting it (its
// text holds the URL): "timeout", "canceled", "dns", "connection refused",
// "connection reset", "connection closed", "tls", "connection failed", or
// "error" for another.
func ErrorKind(err error) string {
	var (
		dns  *net.DNSError
		op   *net.OpError
		cert *tls.CertificateVerificationError
		ne   net.Error
	)
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &dns):
		return "dns"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.As(err, &cert), isTLS(err):
		return "tls"
	case errors.As(err, &op):
		return "connection failed"
	}
	return "error"
}

// isTLS reports whether err comes from the TLS handshake or a
// certificate check.
func isTLS(err error) bool {
	var (
		rec     tls.RecordHeaderError
		alert   tls.AlertError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	return errors.As(err, &rec) || errors.As(err, &alert) || errors.As(err, &unknown) ||
		errors.As(err, &host) || errors.As(err, &invalid)
}
