// Package secret knows how a secret can be spelt in text — as given,
// URL query- and path-escaped, Go- and JSON-quoted — and replaces every
// spelling with "***". It is the one list of those spellings: the log,
// outputs, the job summary, the posted message and the errors that quote
// a server all redact through it, and they redact before they cut, so that
// a cut never leaves a piece of a secret behind.
package secret

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "***"

// MinLen is the shortest value treated as a secret: masking shorter ones
// would garble ordinary text without protecting anything.
const MinLen = 4

// Forms are the spellings of secret that error texts, logs and payloads
// can hold.
func Forms(secret string) []string {
	quoted := strconv.Quote(secret)
	js, _ := json.Marshal(secret)
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		quoted[1 : len(quoted)-1], string(js[1 : len(js)-1])}
}

// Redactor replaces registered secrets in text. The zero value redacts
// nothing; it is safe for concurrent use.
type Redactor struct {
	mu    sync.RWMutex
	forms []string // longest first
}

// Add registers a secret in all its spellings and reports whether it was
// new. Values shorter than MinLen are ignored.
func (r *Redactor) Add(secret string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, s := range Forms(secret) {
		if len(s) >= MinLen && !slices.Contains(r.forms, s) {
			r.forms = append(r.forms, s)
			added = true
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	slices.SortStableFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	return added
}

// Redact returns s with every spelling of every registered secret
// replaced by Mask.
func (r *Redactor) Redact(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Mask)
		}
	}
	return s
}

// Of returns a Redactor for the given secrets.
func Of(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		r.Add(s)
	}
	return r
}
