package ghaction

import (
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// redactor is an io.Writer that replaces every registered secret (and the
// forms it takes when escaped: URL query and path escaping, Go %q and JSON
// string escaping) with "***" before passing each write on. It is the last
// line of defence behind ::add-mask::, which only works inside Actions.
// Each Write is redacted on its own, so callers write whole lines.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
}

// newRedactor wraps w.
func newRedactor(w io.Writer) *redactor { return &redactor{w: w} }

// Add registers a secret and reports whether it was new. Very short values
// (under 4 bytes) are ignored: masking them would garble ordinary text
// without protecting anything.
func (r *redactor) Add(secret string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, s := range secretForms(secret) {
		if len(s) >= 4 && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
			added = true
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	slices.SortStableFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return added
}

// secretForms are the spellings of secret that error texts and logs can
// hold.
func secretForms(secret string) []string {
	quoted := strconv.Quote(secret)
	js, _ := json.Marshal(secret)
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		quoted[1 : len(quoted)-1], string(js[1 : len(js)-1])}
}

// Redact returns s with every registered secret replaced.
func (r *redactor) Redact(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return s
}

// Write redacts p and writes it. It reports len(p) on success so callers
// are not confused by the changed length.
func (r *redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
