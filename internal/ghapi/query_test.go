package ghapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
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
