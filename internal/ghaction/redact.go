package ghaction

import (
	"io"
	"sync"

	"github.com/chatwork-notify/chatwork-notify/internal/secret"
)

// redactor is an io.Writer that replaces every registered secret (in
// every spelling secret.Forms knows) with "***" before passing each write
// on. It is the last line of defence behind ::add-mask::, which only
// works inside Actions. Each Write is redacted on its own, so callers
// write whole lines.
type redactor struct {
	secret.Redactor
	mu sync.Mutex // one write at a time: the log is written from several goroutines
	w  io.Writer
}

// newRedactor wraps w.
func newRedactor(w io.Writer) *redactor { return &redactor{w: w} }

// Write redacts p and writes it. It reports len(p) on success so callers
// are not confused by the changed length.
func (r *redactor) Write(p []byte) (int, error) {
	s := r.Redact(string(p))
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := io.WriteString(r.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
