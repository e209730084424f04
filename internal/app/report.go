package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
	"github.com/chatwork-notify/chatwork-notify/internal/preview"
)

// finish prints the message, writes outputs and the job summary, and
// reports every room. Outputs are written on failure too: body is useful
// to later steps either way. It returns the error that decides the exit
// status.
func (r *run) finish(res runResult) error {
	if res.Body != "" {
		r.out.Message(res.Body)
	}
	var errs []error
	for _, o := range outputs(res) {
		if err := r.out.SetOutput(o[0], o[1]); err != nil {
			errs = append(errs, fmt.Errorf("writing output %s: %w", o[0], err))
		}
	}
	lines := r.statusLines(res)
	if err := r.out.AddSummary(r.summaryMarkdown(lines, res)); err != nil {
		errs = append(errs, fmt.Errorf("writing the job summary: %w", err))
	}
	for _, e := range errs {
		r.out.Error(e.Error())
	}
	var failures []error
	if res.Err != nil {
		failures = append(failures, res.Err)
	}
	for _, room := range res.Rooms {
		for _, e := range room.Events {
			if text := r.describe(e); e.Kind.Warn() {
				r.out.Warning(text)
			} else {
				r.out.Info(text)
			}
		}
		if room.Err != nil {
			failures = append(failures, room.Err)
		}
	}
	for _, f := range failures {
		switch {
		case r.cfg.Run.FailOnError || isInputError(f):
			r.out.Error(f.Error())
			errs = append(errs, f)
		default:
			r.out.Warning(f.Error() + " (fail-on-error is false, so the step succeeds)")
		}
	}
	for _, l := range lines {
		r.out.Info(l)
	}
	return errors.Join(errs...)
}

// isInputError reports whether err is a template or input problem (found
// late, after the GitHub data arrived); those always fail.
func isInputError(err error) bool {
	var ie inputError
	return errors.As(err, &ie)
}

// outputs are the step outputs of res, in action.yml order.
func outputs(res runResult) [][2]string {
	first := ""
	ids := map[string]string{}
	var tasks []string
	skipped := res.Reason != ""
	if len(res.Rooms) > 0 {
		skipped = true
	}
	for _, room := range res.Rooms {
		key := strconv.FormatInt(room.Room, 10)
		if room.MessageID != "" {
			ids[key] = room.MessageID
			if first == "" {
				first = room.MessageID
			}
		}
		for _, id := range room.TaskIDs {
			tasks = append(tasks, strconv.FormatInt(id, 10))
		}
		if room.Action != deliver.Duplicate && room.Action != deliver.Adopted {
			skipped = false
		}
	}
	idsJSON, _ := json.Marshal(ids)
	return [][2]string{
		{"message-id", first},
		{"message-ids", string(idsJSON)},
		{"skipped", strconv.FormatBool(skipped)},
		{"body", res.Body},
		{"task-ids", strings.Join(tasks, ",")},
	}
}

// statusLines say what happened, one line per room.
func (r *run) statusLines(res runResult) []string {
	switch {
	case res.Err != nil && res.Body == "":
		return []string{"Nothing was posted: the message could not be rendered."}
	case res.Reason != "":
		return []string{"Not posted: " + res.Reason + "."}
	case res.DryRun:
		return []string{"Dry run: nothing was posted."}
	case res.Err != nil:
		return []string{"Nothing was posted: " + res.Err.Error()}
	}
	var lines []string
	for _, room := range res.Rooms {
		lines = append(lines, roomLine(room))
	}
	return lines
}

func roomLine(room deliver.Result) string {
	tasks := ""
	if len(room.TaskIDs) > 0 {
		s := make([]string, len(room.TaskIDs))
		for i, id := range room.TaskIDs {
			s[i] = strconv.FormatInt(id, 10)
		}
		tasks = fmt.Sprintf("; opened task %s", strings.Join(s, ", "))
	}
	if len(room.Closed) > 0 {
		s := make([]string, len(room.Closed))
		for i, id := range room.Closed {
			s[i] = strconv.FormatInt(id, 10)
		}
		tasks += fmt.Sprintf("; closed failure task %s", strings.Join(s, ", "))
	}
	if room.FileID != 0 {
		tasks += fmt.Sprintf("; uploaded the failed steps' logs (file %d)", room.FileID)
	}
	switch room.Action {
	case "":
		return fmt.Sprintf("Room %d: failed.", room.Room)
	case deliver.Duplicate:
		return fmt.Sprintf("Room %d: skipped, message %s already says this (dedupe).", room.Room, room.MessageID)
	case deliver.Adopted:
		return fmt.Sprintf("Room %d: skipped, a parallel job posted the same message first (%s).", room.Room, room.MessageID)
	case deliver.Updated:
		return fmt.Sprintf("Room %d: updated message %s%s.", room.Room, room.MessageID, tasks)
	case deliver.Replied:
		return fmt.Sprintf("Room %d: replied with message %s%s.", room.Room, room.MessageID, tasks)
	}
	if room.MessageID == "" {
		return fmt.Sprintf("Room %d: posted (message id unknown)%s.", room.Room, tasks)
	}
	return fmt.Sprintf("Room %d: posted message %s%s.", room.Room, room.MessageID, tasks)
}

// summaryMarkdown is the job summary: what happened, a preview of the
// message as Chatwork shows it, and the raw notation.
func (r *run) summaryMarkdown(lines []string, res runResult) string {
	var b strings.Builder
	b.WriteString("### Chatwork notification\n\n")
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n")
	var errs []string
	if res.Err != nil {
		errs = append(errs, res.Err.Error())
	}
	for _, room := range res.Rooms {
		if room.Err != nil {
			errs = append(errs, room.Err.Error())
		}
	}
	if len(errs) > 0 {
		e := strings.Join(errs, "\n")
		fence := ghaction.CodeFence(e)
		fmt.Fprintf(&b, "%stext\n%s\n%s\n\n", fence, e, fence)
	}
	if res.Body != "" {
		b.WriteString(preview.HTML(res.Body) + "\n\n")
		fence := ghaction.CodeFence(res.Body)
		fmt.Fprintf(&b, "<details><summary>Chatwork notation</summary>\n\n%stext\n%s\n%s\n\n</details>\n", fence, res.Body, fence)
	}
	return b.String()
}
