package chatwork_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

// TestMessageIDMustBeDigits: an id that is not a number never reaches the
// outputs or a later request path.
func TestMessageIDMustBeDigits(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"message_id":"::error::pwned"}`, `{"message_id":"1/../../rooms"}`, `{"message_id":"12a"}`, `{"message_id":1.5e20}`, `{}`} {
		e := newEnv(t)
		e.srv.Inject(chatworktest.Fault{Method: "POST", Path: "/messages", Status: 200, Body: body})
		res, err := e.client(t, token, 20*time.Second).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
		if err == nil || res.ID != "" || !strings.Contains(err.Error(), "message_id") {
			t.Errorf("%s: id %q, err %v", body, res.ID, err)
		}
	}
}

// TestErrorTextsAreBoundedAndTokenFree: a server that echoes the token in
// a long error text gets neither the token nor part of it into the error.
func TestErrorTextsAreBoundedAndTokenFree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("x", 290) + token + strings.Repeat("y", 5000)
	many := `"a","b","c","d","e","f","g"`
	e.srv.Inject(chatworktest.Fault{Method: "POST", Status: 400, Body: `{"errors":["` + long + `",` + many + `]}`})
	_, err := e.client(t, token, 20*time.Second).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if strings.Contains(msg, token[:8]) || len(msg) > 2500 || !strings.Contains(msg, "and 3 more") {
		t.Errorf("error (%d bytes): %.400s", len(msg), msg)
	}
	e.srv.Inject(chatworktest.Fault{Method: "POST", Status: 403, Body: "<html>" + long + "</html>"})
	_, err = e.client(t, token, time.Second).PostMessage(context.Background(), room, "hi", chatwork.PostOptions{})
	if err == nil || strings.Contains(err.Error(), token[:8]) || len(err.Error()) > 1000 {
		t.Errorf("error: %.400v", err)
	}
}
