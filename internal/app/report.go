package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
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
	lines := statusLines(res, reportWords["en"], "en") // the log stays in English
	if err := r.out.AddSummary(summaryMarkdown(res, r.cfg.Message.Language)); err != nil {
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
// late, after the GitHub data arrived), or an approval question that did
// not end in approval; those always fail.
func isInputError(err error) bool {
	var ie inputError
	var ge gateError
	return errors.As(err, &ie) || errors.As(err, &ge)
}

// outputs are the step outputs of res, in action.yml order.
func outputs(res runResult) [][2]string {
	first, firstURL := "", ""
	ids, urls := map[string]string{}, map[string]string{}
	var tasks []string
	skipped := res.Reason.en != ""
	if len(res.Rooms) > 0 {
		skipped = true
	}
	for _, room := range res.Rooms {
		key := strconv.FormatInt(room.Room, 10)
		if room.MessageID != "" {
			ids[key] = room.MessageID
			urls[key] = chatwork.MessageURL(room.Room, room.MessageID)
			if first == "" {
				first, firstURL = room.MessageID, urls[key]
			}
		}
		for _, id := range room.TaskIDs {
			tasks = append(tasks, strconv.FormatInt(id, 10))
		}
		if room.Action != deliver.Duplicate && room.Action != deliver.Adopted {
			skipped = false
		}
	}
	var a answered
	if res.Answer != nil {
		a = *res.Answer
	}
	by := ""
	if a.ByID != 0 {
		by = strconv.FormatInt(a.ByID, 10)
	}
	idsJSON, _ := json.Marshal(ids)
	urlsJSON, _ := json.Marshal(urls)
	return [][2]string{
		{"message-id", first},
		{"message-ids", string(idsJSON)},
		{"message-url", firstURL},
		{"message-urls", string(urlsJSON)},
		{"skipped", strconv.FormatBool(skipped)},
		{"body", res.Body},
		{"answer", a.Outcome},
		{"answered-by", by},
		{"answer-text", a.Text},
		{"task-ids", strings.Join(tasks, ",")},
	}
}
