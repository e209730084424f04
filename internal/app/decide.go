package app

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// reportOn decides the outcome from what the run's jobs say. With report:
// run, a copy of sum reports on the whole run: the other jobs counted by
// result, and, unless the event reports its own outcome, the worst of them
// as the outcome. With report: job, the message still never reads green
// over a red run (see jobTruth).
func (r *run) reportOn(sum *event.Summary, jobs []event.Job) *event.Summary {
	if r.cfg.Insight.Report != config.ReportRun {
		return r.jobTruth(sum, jobs)
	}
	rep, worst := event.ReportRun(jobs)
	if rep.Jobs == 0 {
		r.out.Warning("report is run, but the run's other jobs could not be read (github-token with permissions: actions: read is needed), so the message reports on this job")
		return sum
	}
	c := *sum
	c.Report = rep
	if c.ReportsOwnOutcome() {
		return &c
	}
	if c.Status != "" && event.ClassOf(c.Status) != event.ClassOf(worst) {
		r.out.Notice(fmt.Sprintf("report is run: the message says %s, the worst result of the run's other %d jobs; the status input (%s) is this job's own", worst, rep.Jobs, c.Status))
	}
	c.SetOutcome(worst)
	return &c
}

// jobTruth keeps a message about this job true to the run: when other
// jobs of the run failed and the status input says otherwise (a final job
// with status: job.status, whose own steps passed), the outcome is the
// failure; with no status at all, a failed step of this job before the
// notify step makes the outcome a failure. Each says so in a notice. An
// event that reports its own outcome keeps it.
func (r *run) jobTruth(sum *event.Summary, jobs []event.Job) *event.Summary {
	if sum.ReportsOwnOutcome() {
		return sum
	}
	var failed []string // other jobs that failed
	word := ""
	var ownSteps []string
	for _, j := range jobs {
		switch {
		case j.Current:
			for _, st := range j.FailedSteps {
				ownSteps = append(ownSteps, st.Name)
			}
		case event.StepFailed(j.Conclusion):
			failed = append(failed, j.Name)
			word = cmp.Or(word, j.Conclusion)
		}
	}
	c := *sum
	switch {
	case sum.Status != "" && sum.Outcome != event.ClassFailed && len(failed) > 0:
		r.out.Notice(fmt.Sprintf("the status input (%s) is this job's own result, but %s of this run failed, so the message says %s; to report on the whole run, use report: run",
			sum.Status, jobList(failed), word))
		c.SetOutcome(word)
	case sum.Status == "" && len(ownSteps) > 0:
		r.out.Notice(fmt.Sprintf("no status input was given, but this job's %s failed before this step, so the message reports a failure; pass status: ${{ job.status }} (with if: always())",
			stepList(ownSteps)))
		c.SetOutcome("failure")
	default:
		return sum
	}
	return &c
}

// jobList names failed jobs for a notice: "job build", "jobs build and test".
func jobList(names []string) string {
	if len(names) == 1 {
		return "job " + names[0]
	}
	return "jobs " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// stepList names failed steps for a notice.
func stepList(names []string) string {
	if len(names) == 1 {
		return "step " + names[0]
	}
	return "steps " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// reason says why nothing was posted, in English (the log) and in
// Japanese (the job summary with language: ja); the zero reason posts.
type reason struct{ en, ja string }

// in is the reason in the language.
func (r reason) in(language string) string {
	if language == "ja" && r.ja != "" {
		return r.ja
	}
	return r.en
}

// notifyWhenFailure returns why notify-when: failure does not post.
func notifyWhenFailure(c *config.Config, sum *event.Summary) reason {
	if c.Insight.NotifyWhen != config.NotifyFailure {
		return reason{}
	}
	switch sum.Outcome {
	case event.ClassFailed, event.ClassCancelled:
		return reason{}
	}
	return reason{
		en: fmt.Sprintf("notify-when is failure and the outcome is %s, so nothing was posted", cmp.Or(sum.Status, "none (an announcement)")),
		ja: notifyWhenFailureJa(sum.Status),
	}
}

// notifyWhenFailureJa is notifyWhenFailure's reason in Japanese; an
// announcement has no CI result to name.
func notifyWhenFailureJa(status string) string {
	if status == "" {
		return "`notify-when: failure` の設定で、今回は CI の結果を伴わないお知らせだったため"
	}
	return fmt.Sprintf("`notify-when: failure` の設定で、今回は%sだったため", render.Label("ja", status))
}

// notifyWhenChange returns why notify-when: change does not post.
func (r *run) notifyWhenChange(sum *event.Summary, prev previous) reason {
	if r.cfg.Insight.NotifyWhen != config.NotifyChange {
		return reason{}
	}
	switch {
	case sum.Outcome != event.ClassSucceeded && sum.Outcome != event.ClassFailed:
		return reason{} // cancelled, waiting, announcements…: always worth a message
	case !prev.known:
		r.out.Info("notify-when is change, but the previous run's result is unknown; posting")
		return reason{}
	case prev.found && event.ClassOf(prev.status) == sum.Outcome:
		return reason{
			en: fmt.Sprintf("notify-when is change and the previous run of this workflow on this branch was also %s, so nothing was posted", prev.status),
			ja: fmt.Sprintf("`notify-when: change` の設定で、このブランチでの同じワークフローの前回の実行も%sだったため", render.Label("ja", prev.status)),
		}
	}
	return reason{}
}

// addressing is whom a message addresses, and the message's summary with
// the addressing line.
type addressing struct {
	sum     *event.Summary
	toAll   bool
	people  []mention.Person
	dropped int // accounts left out (mention.MaxAddressed)
}

// addressed decides whom a message about sum addresses and writes the
// addressing line into a copy of sum, with the people's GitHub names, or
// with their Chatwork names when names has them.
func (r *run) addressed(sum *event.Summary, names map[int64]string) addressing {
	a := addressing{}
	a.toAll, a.people, a.dropped = mention.Addressed(r.cfg.People, sum)
	c := *sum
	c.Mentions = mention.Line(a.toAll, a.people, names, sum.Language)
	a.sum = &c
	return a
}

// nameThePeople reads the rooms' members (asked for when delivery began,
// because someone is addressed), writes the addressing line with their
// Chatwork names, and warns about every addressed account that is not a
// member of a room: a [To:] there reaches nobody.
func (r *run) nameThePeople(d *deliver.Delivery, a addressing) *event.Summary {
	if d == nil || len(a.people) == 0 {
		return a.sum
	}
	members, errs := d.Members()
	names := map[int64]string{}
	for _, room := range r.cfg.Delivery.Rooms {
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
			names[m.AccountID] = r.out.Redact(m.Name) // before the addressing line cuts it
		}
		for _, p := range a.people {
			if !in[p.ID] {
				r.out.Warning(fmt.Sprintf("account %d (%s) is not a member of room %d, so [To:%d] there notifies nobody; add them to the room or correct %s",
					p.ID, notation.Neutralise(whereFrom(p)), room, p.ID, map[bool]string{true: "to", false: "mentions"}[p.Label == ""]))
			}
		}
	}
	c := *a.sum
	c.Mentions = mention.Line(a.toAll, a.people, names, c.Language)
	return &c
}

func whereFrom(p mention.Person) string {
	if p.Label == "" {
		return "from to"
	}
	return "mentions: " + p.Label
}

// closeTasks closes the failure tasks a success makes moot, before the
// message is rendered, and returns sum telling how many were really
// closed.
func (r *run) closeTasks(ctx context.Context, d *deliver.Delivery, sum *event.Summary) *event.Summary {
	if d == nil || !r.cfg.Delivery.CloseTasks || sum.Outcome != event.ClassSucceeded {
		return sum
	}
	n, errs := d.CloseTasks(ctx)
	for _, room := range r.cfg.Delivery.Rooms {
		if err := errs[room]; err != nil {
			r.out.Warning(fmt.Sprintf("could not list the open tasks of room %d (%v), so no failure task is closed there", room, firstLine(err)))
		}
	}
	c := *sum
	c.TasksClosed = n
	return &c
}
