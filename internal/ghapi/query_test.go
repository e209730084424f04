package ghapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestStorageErrorsHideTheSignature: a failed download of a pre-signed
// log link says where it went, without the query that signs it.
func TestStorageErrorsHideTheSignature(t *testing.T) {
	t.Parallel()
	err := withoutQuery(&url.Error{Op: "Get", URL: "https://storage.example/logs/1?sv=1&sig=SECRETSIGNATURE", Err: errors.New("connection refused")})
	if s := err.Error(); strings.Contains(s, "SECRETSIGNATURE") || !strings.Contains(s, "https://storage.example/logs/1") {
		t.Errorf("%s", s)
	}
}

// TestPreviousOfANullList: a list of earlier runs answered as null (a
// proxy, a GitHub-like API) is no run, not a crash.
func TestPreviousOfANullList(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "null")
	}))
	defer srv.Close()
	c, err := New(srv.Client(), srv.URL, "t", "o/r", "test", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if conclusion, found, err := c.Previous(context.Background(), Run{ID: 2, WorkflowID: 77, RunNumber: 2}); found || err != nil || conclusion != "" {
		t.Errorf("%q %v %v", conclusion, found, err)
	}
}
