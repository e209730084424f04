// Package app runs one notification: inputs → event summary → message →
// (dedupe) → post → outputs and job summary. It is the only package that
// knows all the others; main only builds its dependencies.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// Deps is everything Run takes from the outside world.
type Deps struct {
	Args       []string            // command-line arguments without the program name
	Getenv     func(string) string // environment lookups
	Stdout     io.Writer           // the step log
	HTTPClient *http.Client
	Clock      chatwork.Clock
	Budget     time.Duration // total time for Chatwork calls; chatwork.DefaultBudget when 0
	Random     io.Reader     // delimiter randomness; crypto/rand when nil
	Version    string
}

// ErrHelp means -h was given: usage was printed and the exit status is 0.
var ErrHelp = config.ErrHelp

// ExitCode maps Run's error to the process exit status.
func ExitCode(err error) int {
	if err == nil || errors.Is(err, ErrHelp) {
		return 0
	}
	return 1
}

// Outcome is what happened, for outputs, log and summary.
type Outcome struct {
	MessageID string
	Skipped   bool
	Body      string
	DryRun    bool
	Recovered bool
	Err       error // a Chatwork failure
}

// Run performs one notification and reports errors itself (as error
// annotations); the returned error only decides the exit status.
func Run(ctx context.Context, d Deps) error {
	if d.Clock == nil {
		d.Clock = chatwork.RealClock{}
	}
	out := ghaction.New(d.Stdout, d.Getenv, d.Random)
	// Mask every place a token can come from before anything is printed.
	for _, k := range []string{"INPUT_TOKEN", "CHATWORK_API_TOKEN"} {
		out.Mask(strings.TrimSpace(d.Getenv(k)))
	}
	maskFlagToken(out, d.Args)

	cfg, err := config.Load(d.Args, d.Getenv, out.Writer())
	if err != nil {
		if errors.Is(err, config.ErrHelp) {
			return err
		}
		for _, e := range splitJoined(err) {
			out.Error(e.Error())
		}
		return err
	}
	out.Mask(cfg.Token)

	msg, err := prepare(cfg, d.Getenv, out)
	if err != nil {
		out.Error(err.Error())
		return err
	}

	out.Group("Chatwork message")
	out.Info(msg.body)
	out.EndGroup()

	res := Outcome{Body: msg.body, DryRun: cfg.DryRun}
	if !cfg.DryRun {
		client := chatwork.New(cfg.APIURL, cfg.Token, chatwork.Options{
			HTTPClient: d.HTTPClient,
			UserAgent:  userAgent(d.Version),
			Clock:      d.Clock,
			Budget:     d.Budget,
			Logf:       func(f string, a ...any) { out.Info(fmt.Sprintf(f, a...)) },
		})
		res = deliver(ctx, client, cfg, msg, out)
	}
	return finish(cfg, res, out)
}

// message is the rendered text and the dedupe key.
type message struct {
	body string
	key  string // "" compares whole bodies
}

// prepare does every check and render that can fail before a request.
func prepare(cfg *config.Config, getenv func(string) string, out *ghaction.Runner) (message, error) {
	sum, warnings, err := event.Load(event.Options{
		Getenv: getenv, EventName: cfg.EventName, EventPath: cfg.EventPath, Status: cfg.Status,
	})
	if err != nil {
		return message{}, err
	}
	for _, w := range warnings {
		out.Warning(w)
	}
	var tmpl *render.Template
	if cfg.Template != "" {
		tmpl, err = render.Parse(cfg.TemplateName, cfg.Template)
	} else {
		tmpl, err = render.Builtin(sum)
	}
	if err != nil {
		return message{}, err
	}
	body, err := tmpl.Fit(sum, render.MaxBodyBytes)
	if err != nil {
		return message{}, err
	}
	if strings.TrimSpace(body) == "" {
		return message{}, fmt.Errorf("template %s rendered an empty message; Chatwork needs some text", cfg.TemplateName)
	}
	msg := message{body: body}
	if cfg.DedupeKey != "" && !cfg.Dedupe {
		out.Warning("dedupe-key is set but dedupe is false, so no duplicate check is made; set dedupe: true")
	}
	if cfg.Dedupe && cfg.DedupeKey != "" {
		kt, err := render.Parse("dedupe-key", cfg.DedupeKey)
		if err != nil {
			return message{}, err
		}
		key, err := kt.Execute(sum)
		if err != nil {
			return message{}, err
		}
		msg.key = chatwork.NormaliseBody(key)
		if msg.key == "" {
			return message{}, errors.New("input dedupe-key: rendered to empty text, which every message contains; make it render something specific to this notification, e.g. {{.Repo}}#{{.RunID}}")
		}
		if !strings.Contains(chatwork.NormaliseBody(body), msg.key) {
			return message{}, fmt.Errorf("input dedupe-key: the message does not contain the rendered key %q, so no later run could ever find it; put the same text in the template", msg.key)
		}
	}
	return msg, nil
}

// deliver reads the room when dedupe is on, then posts.
func deliver(ctx context.Context, c *chatwork.Client, cfg *config.Config, msg message, out *ghaction.Runner) Outcome {
	res := Outcome{Body: msg.body}
	if cfg.Dedupe {
		msgs, err := c.ListMessages(ctx, cfg.Room)
		if err != nil {
			res.Err = fmt.Errorf("reading room %d for dedupe: %w", cfg.Room, err)
			return res
		}
		if dup, ok := findDuplicate(msgs.List, msg); ok {
			res.MessageID, res.Skipped = dup.ID, true
			return res
		}
		if msgs.Limited {
			out.Warning("Chatwork's free-plan limit hid part of the room's history, so an older duplicate cannot be ruled out; posting")
		}
	}
	pr, err := c.PostMessage(ctx, cfg.Room, msg.body, chatwork.PostOptions{SelfUnread: cfg.SelfUnread, RecoverLost: cfg.Dedupe})
	if err != nil {
		res.Err = fmt.Errorf("posting to room %d: %w", cfg.Room, err)
		return res
	}
	res.MessageID, res.Recovered = pr.ID, pr.Recovered
	return res
}

// findDuplicate returns the newest message that duplicates msg: one that
// contains the key, or, without a key, has the same body.
func findDuplicate(list []chatwork.Message, msg message) (chatwork.Message, bool) {
	for i := len(list) - 1; i >= 0; i-- {
		m := list[i]
		if msg.key != "" && strings.Contains(chatwork.NormaliseBody(m.Body), msg.key) ||
			msg.key == "" && chatwork.SameBody(m.Body, msg.body) {
			return m, true
		}
	}
	return chatwork.Message{}, false
}

// finish writes outputs, the job summary and the final log line. Outputs
// are written on failure too: body is useful to later steps either way.
func finish(cfg *config.Config, res Outcome, out *ghaction.Runner) error {
	var errs []error
	for _, o := range [][2]string{
		{"message-id", res.MessageID},
		{"skipped", strconv.FormatBool(res.Skipped)},
		{"body", res.Body},
	} {
		if err := out.SetOutput(o[0], o[1]); err != nil {
			errs = append(errs, fmt.Errorf("writing output %s: %w", o[0], err))
		}
	}
	line := statusLine(cfg, res)
	if err := out.AddSummary(summaryMarkdown(line, res)); err != nil {
		errs = append(errs, fmt.Errorf("writing the job summary: %w", err))
	}
	for _, e := range errs {
		out.Error(e.Error())
	}
	switch {
	case res.Err != nil && cfg.FailOnError:
		out.Error(res.Err.Error())
		errs = append(errs, res.Err)
	case res.Err != nil:
		out.Warning(res.Err.Error() + " (fail-on-error is false, so the step succeeds)")
	default:
		out.Info(line)
	}
	return errors.Join(errs...)
}

func statusLine(cfg *config.Config, res Outcome) string {
	switch {
	case res.DryRun:
		return "Dry run: nothing was posted."
	case res.Err != nil:
		return fmt.Sprintf("Posting to room %d failed.", cfg.Room)
	case res.Skipped:
		return fmt.Sprintf("Skipped: message %s in room %d already says this (dedupe).", res.MessageID, cfg.Room)
	case res.Recovered:
		return fmt.Sprintf("Posted message %s to room %d (the response was lost; the message was found in the room).", res.MessageID, cfg.Room)
	}
	return fmt.Sprintf("Posted message %s to room %d.", res.MessageID, cfg.Room)
}

func summaryMarkdown(line string, res Outcome) string {
	var b strings.Builder
	b.WriteString("### Chatwork notification\n\n")
	b.WriteString(line + "\n\n")
	if res.Err != nil {
		e := res.Err.Error()
		fence := ghaction.CodeFence(e)
		fmt.Fprintf(&b, "%stext\n%s\n%s\n\n", fence, e, fence)
	}
	fence := ghaction.CodeFence(res.Body)
	fmt.Fprintf(&b, "<details><summary>Message</summary>\n\n%stext\n%s\n%s\n\n</details>\n", fence, res.Body, fence)
	return b.String()
}

func userAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "chatwork-notify/" + version + " (+https://github.com/chatwork-notify/chatwork-notify)"
}

// maskFlagToken masks a token given as --token on the command line before
// the flags are parsed (parse errors are printed).
func maskFlagToken(out *ghaction.Runner, args []string) {
	for i, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "token" || !strings.HasPrefix(a, "-") {
			continue
		}
		if !hasVal && i+1 < len(args) {
			val = args[i+1]
		}
		out.Mask(strings.TrimSpace(val))
	}
}

// splitJoined returns the errors inside an errors.Join, or err alone.
func splitJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
