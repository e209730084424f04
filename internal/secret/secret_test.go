package secret

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestRedactEverySpelling(t *testing.T) {
	t.Parallel()
	const tok = `ab"c/d e+f\g`
	r := Of(tok, "xyz") // too short: ignored
	spellings := []string{tok, url.QueryEscape(tok), url.PathEscape(tok), strings.Trim(fmt.Sprintf("%q", tok), `"`), `ab\"c/d e+f\\g`}
	for _, s := range spellings {
		if got := r.Redact("before " + s + " after"); got != "before *** after" {
			t.Errorf("%q: %q", s, got)
		}
	}
	if got := r.Redact("xyz"); got != "xyz" {
		t.Errorf("a 3-byte value was masked: %q", got)
	}
	var zero Redactor
	if zero.Redact(tok) != tok {
		t.Error("the zero Redactor changed text")
	}
}

func TestLongestFirst(t *testing.T) {
	t.Parallel()
	r := Of("abcd", "abcdefgh")
	if got := r.Redact("abcdefgh"); got != Mask {
		t.Errorf("%q", got)
	}
}
