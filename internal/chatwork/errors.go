package chatwork

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// APIError is a non-2xx answer from Chatwork.
type APIError struct {
	Method string
	Path   string // e.g. /rooms/123/messages (never contains the token)
	Status int
	// Errors is Chatwork's {"errors": [...]} text, when the body had it.
	Errors []string
	// Body is the start of a body that was not Chatwork's error JSON.
	Body string
}

// Bounds on what an APIError quotes from the server.
const (
	maxErrorTexts   = 5
	maxErrorTextLen = 300
)

// newAPIError reads Chatwork's error answer. The server's text is quoted
// with every secret removed first (a cut must not leave part of one), then
// bounded in count and length.
func newAPIError(method, path string, resp *http.Response, body []byte, redact func(string) string) *APIError {
	e := &APIError{Method: method, Path: path, Status: resp.StatusCode}
	quote := func(s string) string { return oneLine(redact(s), maxErrorTextLen) }
	var env struct {
		Errors []string `json:"errors"`
	}
	if json.Unmarshal(body, &env) == nil && len(env.Errors) > 0 {
		for _, m := range env.Errors[:min(len(env.Errors), maxErrorTexts)] {
			e.Errors = append(e.Errors, quote(m))
		}
		if n := len(env.Errors) - maxErrorTexts; n > 0 {
			e.Errors = append(e.Errors, fmt.Sprintf("and %d more", n))
		}
	} else if s := strings.TrimSpace(string(body)); s != "" {
		e.Body = quote(s)
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		e.Body = "redirect to " + quote(loc)
	}
	return e
}

// Error says what Chatwork answered and what to check.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Chatwork answered %d %s to %s %s", e.Status, http.StatusText(e.Status), e.Method, e.Path)
	switch {
	case len(e.Errors) > 0:
		fmt.Fprintf(&b, ": %s", strings.Join(e.Errors, "; "))
	case e.Body != "":
		fmt.Fprintf(&b, ": %s", e.Body)
	}
	if h := e.Hint(); h != "" {
		b.WriteString(" — " + h)
	}
	return b.String()
}

// Hint says what to check for this status.
func (e *APIError) Hint() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "check the token: it must be a current Chatwork API token (reissuing a token invalidates the old one)"
	case e.Status == http.StatusForbidden || e.Status == http.StatusNotFound:
		return "check the room ID and that the token's owner is a member of the room with permission to post"
	case e.Status == http.StatusTooManyRequests:
		return "Chatwork's rate limit was hit (10 posts per room per 10 s, 300 requests per 5 min per account)"
	case e.Status >= 300 && e.Status < 400:
		return "Chatwork redirects are not followed (the token must not leave the API host); check api-url"
	case e.Status >= 500:
		return "Chatwork had a server error; try again later"
	case e.Status == http.StatusBadRequest:
		return "Chatwork rejected the request; check the room ID and the message"
	}
	return ""
}

func (e *APIError) roomLimit() bool {
	for _, m := range e.Errors {
		if strings.Contains(m, "per room") {
			return true
		}
	}
	return false
}

// oneLine folds s to one line of at most n bytes (and an ellipsis).
func oneLine(s string, n int) string {
	return text.Cut(strings.Join(strings.Fields(s), " "), n+len(text.Ellipsis))
}
