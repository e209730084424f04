package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
)

// finish prints the message, writes outputs and the job summary, and
// reports the outcome. Outputs are written on failure too: body is useful
// to later steps either way. It returns the error that decides the exit
// status.
func (r *run) finish(res Outcome) error {
	if res.Body != "" {
		r.out.Group("Chatwork message")
		r.out.Info(res.Body)
		r.out.EndGroup()
	}
	var errs []error
	for _, o := range [][2]string{
		{"message-id", res.MessageID},
		{"skipped", strconv.FormatBool(res.Skipped)},
		{"body", res.Body},
	} {
		if err := r.out.SetOutput(o[0], o[1]); err != nil {
			errs = append(errs, fmt.Errorf("writing output %s: %w", o[0], err))
		}
	}
	line := r.statusLine(res)
	if err := r.out.AddSummary(summaryMarkdown(line, res)); err != nil {
		errs = append(errs, fmt.Errorf("writing the job summary: %w", err))
	}
	for _, e := range errs {
		r.out.Error(e.Error())
	}
	switch {
	case res.Err != nil && (r.cfg.FailOnError || isInputError(res.Err)):
		r.out.Error(res.Err.Error())
		errs = append(errs, res.Err)
	case res.Err != nil:
		r.out.Warning(res.Err.Error() + " (fail-on-error is false, so the step succeeds)")
	default:
		r.out.Info(line)
	}
	return errors.Join(errs...)
}

// isInputError reports whether err is a template or input problem (found
// late, after the GitHub data arrived); those always fail.
func isInputError(err error) bool {
	var ie inputError
	return errors.As(err, &ie)
}

func (r *run) statusLine(res Outcome) string {
	room := r.cfg.Room
	switch {
	case res.Err != nil && res.Body == "":
		return "Nothing was posted: the message could not be rendered."
	case res.Reason != "":
		return "Not posted: " + res.Reason + "."
	case res.DryRun:
		return "Dry run: nothing was posted."
	case res.Err != nil:
		return fmt.Sprintf("Posting to room %d failed.", room)
	case res.Skipped:
		return fmt.Sprintf("Skipped: message %s in room %d already says this (dedupe).", res.MessageID, room)
	case res.Recovered:
		return fmt.Sprintf("Posted message %s to room %d (the response was lost; the message was found in the room).", res.MessageID, room)
	}
	return fmt.Sprintf("Posted message %s to room %d.", res.MessageID, room)
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
	if res.Body != "" {
		fence := ghaction.CodeFence(res.Body)
		fmt.Fprintf(&b, "<details><summary>Message</summary>\n\n%stext\n%s\n%s\n\n</details>\n", fence, res.Body, fence)
	}
	return b.String()
}
