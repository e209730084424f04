package app

import (
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// taskBody renders the failure task, or "" when no task is due.
func (r *run) taskBody() (string, error) {
	if len(r.cfg.TaskTo) == 0 || r.sum.Outcome != event.ClassFailed {
		return "", nil
	}
	t, err := render.BuiltinTask(r.cfg.Language)
	if err != nil {
		return "", err
	}
	body, err := t.Fit(r.sum, render.MaxBodyBytes)
	if err != nil {
		return "", inputError{err}
	}
	return r.out.Redact(strings.TrimSpace(body)), nil
}
