package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// maxTextBytes bounds a rendered outcome one-liner.
const maxTextBytes = 2000

// compose renders the message for sum: its one-liner, the body fitted to
// Chatwork's limit (leaving room for a reply line, and for the addressing
// line that a template of the user's does not place), and the dedupe key.
// Every secret is redacted from the body as a last guard: a template can
// print any environment-derived text. Its errors are input errors.
func (r *run) compose(sum *event.Summary) (deliver.Message, error) {
	msg, err := r.composeMessage(sum)
	if err != nil {
		return deliver.Message{}, inputError{err}
	}
	msg.Body, msg.Key = r.out.Redact(msg.Body), r.out.Redact(msg.Key)
	return msg, nil
}

func (r *run) composeMessage(sum *event.Summary) (deliver.Message, error) {
	limit := render.MaxBodyBytes
	if r.cfg.Delivery.Mode == deliver.Reply {
		limit -= deliver.ReplyReserve
	}
	// A template of the user's that does not place .Mentions still
	// addresses the people of to and mentions: the line goes first.
	prefix := ""
	if r.cfg.Message.Template != "" && sum.Mentions != "" && !r.tmpl.message.Reads("Mentions") {
		prefix = string(sum.Mentions) + "\n"
		limit -= len(prefix)
	}
	sum, err := r.withText(sum)
	if err != nil {
		return deliver.Message{}, err
	}
	body, err := r.tmpl.message.Fit(sum, limit)
	if err != nil {
		return deliver.Message{}, err
	}
	if strings.TrimSpace(body) == "" {
		return deliver.Message{}, fmt.Errorf("%s: rendered an empty message; Chatwork needs some text", r.cfg.Message.TemplateName)
	}
	body = prefix + body
	key, err := r.dedupeKey(sum, prefix, body, limit)
	return deliver.Message{Body: body, Key: key}, err
}

// dedupeKey is the text a duplicate contains: the rendered dedupe-key, or
// for a message with details the message without them (see
// detailFreeKey), or "" to compare whole bodies.
func (r *run) dedupeKey(sum *event.Summary, prefix, body string, limit int) (string, error) {
	if r.tmpl.key == nil {
		return r.detailFreeKey(sum, prefix, body, limit), nil
	}
	key, err := r.tmpl.key.Execute(sum)
	if err != nil {
		return "", err
	}
	key = deliver.NormaliseBody(key)
	if key == "" {
		return "", errors.New("input dedupe-key: rendered to empty text, which every message contains; make it render something specific to this notification, e.g. {{.Repo}}#{{.RunID}}")
	}
	if !strings.Contains(deliver.NormaliseBody(body), key) {
		return "", fmt.Errorf("input dedupe-key: the message does not contain the rendered key %q, so no later run could ever find it; put the same text in the template", key)
	}
	return key, nil
}

// detailFreeKey is the dedupe key of a message with details: the message
// without them, which the message contains when its template puts the
// details last (the built-in ones do). A re-run whose details differ (a
// test that failed differently, a longer log) is then still the same
// message. "" (whole bodies compared) when there are no details, no
// dedupe, or the template places them elsewhere.
func (r *run) detailFreeKey(sum *event.Summary, prefix, body string, limit int) string {
	if !r.cfg.Delivery.Dedupe || !sum.HasDetails() {
		return ""
	}
	base, err := r.tmpl.message.Fit(sum.WithoutDetails(), limit)
	key := deliver.NormaliseBody(prefix + base)
	if err != nil || key == "" || !strings.Contains(deliver.NormaliseBody(body), key) {
		return ""
	}
	return key
}

// withText returns sum with the one-liner for its outcome in Text (empty
// when there is none): its first line, at most maxTextBytes.
func (r *run) withText(sum *event.Summary) (*event.Summary, error) {
	c := *sum
	c.Text = ""
	t := r.tmpl.texts[sum.Outcome]
	if t == nil {
		return &c, nil
	}
	out, err := t.Fit(sum, maxTextBytes)
	if err != nil {
		return nil, err
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	c.Text = notation.Markup(line) // the author's notation, neutralised data
	return &c, nil
}

// composeTask renders the failure task for sum, or "" when none is due.
func (r *run) composeTask(sum *event.Summary) (string, error) {
	if len(r.cfg.Delivery.TaskTo) == 0 || sum.Outcome != event.ClassFailed {
		return "", nil
	}
	t, err := render.BuiltinTask(r.cfg.Message.Language)
	if err != nil {
		return "", err
	}
	body, err := t.Fit(sum, render.MaxBodyBytes)
	if err != nil {
		return "", inputError{err}
	}
	return r.out.Redact(strings.TrimSpace(body)), nil
}

// composeFollowUp renders the short reply that follows an edit reporting a
// failure (mode: update), or "" when none is due: Chatwork does not notify
// an edit, so a failed deployment that only edits "deploying…" could pass
// unseen.
func (r *run) composeFollowUp(sum *event.Summary) (string, error) {
	if r.cfg.Delivery.Mode != deliver.Update || sum.Outcome != event.ClassFailed {
		return "", nil
	}
	t, err := render.BuiltinFollowUp(r.cfg.Message.Language)
	if err != nil {
		return "", err
	}
	body, err := t.Fit(sum, render.MaxBodyBytes-deliver.ReplyReserve)
	if err != nil {
		return "", inputError{err}
	}
	return r.out.Redact(strings.TrimSpace(body)), nil
}

// taskMarker is the marker line exactly as the task template prints it
// for sum, to find the failure tasks a success may close.
func taskMarker(sum *event.Summary) (string, error) {
	t, err := render.Parse("task marker", "{{.TaskMarker}}")
	if err != nil {
		return "", err
	}
	return t.Execute(sum)
}
