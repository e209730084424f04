package chatworktest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
)

// NewInMemory is New on an in-memory network: the server and the client
// its Client returns talk over net.Pipe connections, not sockets. Requests
// are then durably blocking for testing/synctest, so a test of waits that
// take seconds (the per-room limit, a late post) runs on the bubble's
// virtual clock in no real time. Only Client reaches it; the same client
// reaches any other address through the real network.
func NewInMemory(t TB) *Server {
	t.Helper()
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	s := start(t, func(h http.Handler) *httptest.Server {
		srv := httptest.NewUnstartedServer(h)
		srv.Listener.Close()
		srv.Listener = l
		srv.Start()
		return srv
	})
	s.client = &http.Client{Transport: &http.Transport{DialContext: l.dial}}
	t.Cleanup(s.client.CloseIdleConnections)
	return s
}

// Client returns a client for the server (for NewInMemory, the only one).
func (s *Server) Client() *http.Client {
	if s.client != nil {
		return s.client
	}
	return s.Server.Client()
}

// pipeListener is an in-memory network: each dial hands the server one
// end of a net.Pipe and returns the other.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is a loopback address, so that the action accepts the server's
// plain-http URL as a test server's; no socket is behind it.
func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }

// dial connects to the server through a pipe; any other address (another
// fake, such as GitHub's, sharing the client) through the real network.
func (l *pipeListener) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if addr != l.Addr().String() {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
