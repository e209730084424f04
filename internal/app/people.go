package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// maxTextBytes bounds a rendered outcome one-liner.
const maxTextBytes = 2000

// address decides whom the message addresses for the summary as it
// stands (the outcome can change once the run's jobs are known) and
// writes the addressing line with the people's GitHub names, or with
// their Chatwork names when names has them.
// It returns how many accounts were left out (mention.MaxAddressed).
func (r *run) address(names map[int64]string) (dropped int) {
	r.toAll, r.people, dropped = mention.Addressed(mention.Settings{
		ToAll: r.cfg.ToAll, ToIDs: r.cfg.ToIDs, People: r.cfg.Mentions, On: r.cfg.MentionOn,
	}, r.sum)
	r.sum.Mentions = mention.Line(r.toAll, r.people, names, r.sum.Language)
	return dropped
}

// nameThePeople reads the rooms' members (asked for when Start began,
// because someone is addressed), writes the addressing line with their
// Chatwork names, and warns about every addressed account that is not a
// member of a room: a [To:] there reaches nobody.
func (r *run) nameThePeople(d *deliver.Delivery) {
	if d == nil || len(r.people) == 0 {
		return
	}
	members, errs := d.Members()
	names := map[int64]string{}
	for _, room := range r.cfg.Rooms {
		if err := errs[room]; err != nil {
			r.out.Warning(fmt.Sprintf("could not read the members of room %d (%v), so the message names people by their GitHub login there", room, firstLine(err)))
			continue
		}
		list, read := members[room]
		if !read {
			continue // not asked for: nobody was addressed when delivery began
		}
		in := map[int64]bool{}
		for _, m := range list {
			in[m.AccountID] = true
			names[m.AccountID] = m.Name
		}
		for _, p := range r.people {
			if !in[p.ID] {
				r.out.Warning(fmt.Sprintf("account %d (%s) is not a member of room %d, so [To:%d] there notifies nobody; add them to the room or correct %s",
					p.ID, notation.Neutralise(whereFrom(p)), room, p.ID, map[bool]string{true: "to", false: "mentions"}[p.Label == ""]))
			}
		}
	}
	r.sum.Mentions = mention.Line(r.toAll, r.people, names, r.sum.Language)
}

func whereFrom(p mention.Person) string {
	if p.Label == "" {
		return "from to"
	}
	return "mentions: " + p.Label
}

// parseTexts parses the outcome one-liners and runs each once, as the
// message would with and without job details, whatever the outcome at
// hand: a typo in failure-text is an input error of the green run before
// any request, not a lost message on the first red one.
func (r *run) parseTexts() error {
	r.texts = map[event.Class]*render.Template{}
	for class, src := range r.cfg.Texts {
		name := map[event.Class]string{event.ClassSucceeded: "success-text", event.ClassFailed: "failure-text"}[class]
		if name == "" {
			name = "texts (" + string(class) + ")"
		}
		t, err := render.Parse(name, src)
		if err != nil {
			return err
		}
		for _, sum := range []*event.Summary{r.sum, withSampleDetails(r.sum)} {
			if _, err := t.Execute(sum); err != nil {
				return err
			}
		}
		r.texts[class] = t
	}
	return nil
}

// setText renders the one-liner for the summary's outcome into sum.Text
// (empty when there is none): its first line, at most maxTextBytes.
func (r *run) setText(sum *event.Summary) error {
	sum.Text = ""
	t := r.texts[sum.Outcome]
	if t == nil {
		return nil
	}
	out, err := t.Fit(sum, maxTextBytes)
	if err != nil {
		return err
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	sum.Text = notation.Markup(line) // the author's notation, neutralised data
	return nil
}

// taskMarker is the marker line exactly as the task template prints it
// for this summary, to find the failure tasks a success may close.
func (r *run) taskMarker() (string, error) {
	t, err := render.Parse("task marker", "{{.TaskMarker}}")
	if err != nil {
		return "", err
	}
	return t.Execute(r.sum)
}

// closeTasks closes the failure tasks a success makes moot, before the
// message is rendered, so that it tells the room how many were really
// closed.
func (r *run) closeTasks(ctx context.Context, d *deliver.Delivery) {
	if d == nil || !r.cfg.CloseTasks || r.sum.Outcome != event.ClassSucceeded {
		return
	}
	n, errs := d.CloseTasks(ctx)
	for _, room := range r.cfg.Rooms {
		if err := errs[room]; err != nil {
			r.out.Warning(fmt.Sprintf("could not list the open tasks of room %d (%v), so no failure task is closed there", room, firstLine(err)))
		}
	}
	r.sum.TasksClosed = n
}
