package httplog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const secret = "f00dfacecafebeef0123456789abcdef"

// steps is a clock that moves d on each reading.
func steps(d time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(d)
		return t
	}
}

// lines collects what the transport logs.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) log(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.l = append(l.l, s)
}

// TestLinesSayNoSecret: a request with the token in headers, in the query
// and in its body, answered with a body, makes one line of method, host,
// path, safe parameters, status and time, and nothing else.
func TestLinesSayNoSecret(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Set-Cookie", "session="+secret)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"message_id":"RESPONSE-BODY `+secret+`"}`)
	}))
	defer srv.Close()
	var got lines
	c := &http.Client{Transport: Transport(srv.Client().Transport, got.log, steps(84*time.Millisecond))}
	u := srv.URL + "/v2/rooms/123/messages?force=1&token=" + secret + "&page=2&per_page=100&state=" + url.QueryEscape("open "+secret)
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader("body=REQUEST-BODY+"+secret))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ChatWorkToken", secret)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	host := strings.TrimPrefix(srv.URL, "http://")
	want := []string{"POST " + host + "/v2/rooms/123/messages?force=1&page=2&per_page=100&state=… → 201 (84 ms)"}
	if d := cmp.Diff(want, got.l); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	for _, l := range got.l {
		for _, bad := range []string{secret[:8], "BODY", "token", "Bearer", "ChatWork", "session", "http://"} {
			if strings.Contains(l, bad) {
				t.Errorf("line holds %q: %q", bad, l)
			}
		}
	}
}

// roundTripper is a fake next transport.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFailures: a failed request makes a line with the kind of failure,
// never the error's text (which quotes the URL and its query).
func TestFailures(t *testing.T) {
	t.Parallel()
	leaky := "https://storage.example/logs/1.txt?sig=" + secret
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"timeout", &url.Error{Op: "Get", URL: leaky, Err: context.DeadlineExceeded}, "timeout"},
		{"canceled", &url.Error{Op: "Get", URL: leaky, Err: context.Canceled}, "canceled"},
		{"dns", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host " + secret, Name: "storage.example"}}, "dns"},
		{"eof", fmt.Errorf("reading %s: %w", leaky, io.ErrUnexpectedEOF), "connection closed"},
		{"other", errors.New("proxyconnect " + leaky), "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got lines
			next := roundTripper(func(*http.Request) (*http.Response, error) { return nil, tc.err })
			req, err := http.NewRequest(http.MethodGet, leaky+"&page=3", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Transport(next, got.log, steps(1500*time.Millisecond)).RoundTrip(req); !errors.Is(err, tc.err) {
				t.Errorf("error %v, want the next transport's", err)
			}
			want := []string{"GET storage.example/logs/1.txt?page=3 → failed: " + tc.want + " (1500 ms)"}
			if d := cmp.Diff(want, got.l); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// TestRealFailures: the kinds of the errors a real transport returns.
func TestRealFailures(t *testing.T) {
	t.Parallel()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String() + "/x"
	closed.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	hangUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer hangUp.Close()
	for _, tc := range []struct{ url, want string }{
		{refused, "connection refused"},
		{tlsSrv.URL + "/x", "tls"}, // a certificate no one vouches for
		{hangUp.URL + "/x", "connection closed"},
	} {
		var got lines
		c := &http.Client{Transport: Transport(&http.Transport{}, got.log, steps(time.Millisecond))}
		resp, err := c.Get(tc.url + "?token=" + secret)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: no error", tc.url)
			continue
		}
		if len(got.l) != 1 || !strings.HasSuffix(got.l[0], "→ failed: "+tc.want+" (1 ms)") || strings.Contains(got.l[0], secret) {
			t.Errorf("%s (%v): lines %q", tc.url, err, got.l)
		}
	}
}

func TestTarget(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://api.chatwork.com/v2/me":                                     "api.chatwork.com/v2/me",
		"https://user:" + secret + "@ghes.example/api/v3/x#frag":             "ghes.example/api/v3/x",
		"https://h/a%20b/c?per_page=100&page=2&filter=latest&access_token=x": "h/a%20b/c?filter=latest&page=2&per_page=100",
		"https://h/p?state=" + strings.Repeat("a", 33):                       "h/p?state=…",
		"https://h/p?PAGE=2&sig=" + secret:                                   "h/p",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Target(u); got != want {
			t.Errorf("Target(%q) = %q, want %q", in, got, want)
		}
	}
	if Target(nil) != "?" {
		t.Error("Target(nil)")
	}
}

// TestNoLogNoWrapper: without a log there is nothing to wrap.
func TestNoLogNoWrapper(t *testing.T) {
	t.Parallel()
	next := roundTripper(func(*http.Request) (*http.Response, error) { return nil, nil })
	if _, ok := Transport(next, nil, nil).(roundTripper); !ok {
		t.Error("a nil log still wraps")
	}
	if Transport(nil, nil, nil) != http.DefaultTransport {
		t.Error("a nil next is not http.DefaultTransport")
	}
}
