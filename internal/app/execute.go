package app

import (
	"context"
	"fmt"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
)

// execute runs the pipeline: decide what is known before any request,
// start the room reads, gather what GitHub and the workspace add, decide
// the outcome and the people, compose the message, deliver it. Input
// errors were all caught by prepare.
func (r *run) execute(ctx context.Context) runResult {
	if r.cfg.Chatwork.SkipNoToken {
		r.out.Notice("token is empty and on-missing-token is skip, so nothing was posted (pull requests from forks and Dependabot runs get no secrets)")
		return r.skip(r.facts, reason{
			en: "the token is empty and on-missing-token is skip",
			ja: "`token` が空で、`on-missing-token` が `skip` のため",
		})
	}
	if reason := notifyWhenFailure(r.cfg, r.facts); reason.en != "" && r.cfg.Insight.Report != config.ReportRun {
		return r.skip(r.facts, reason) // known before any request
	}
	// The room reads and the GitHub reads are independent: run them side
	// by side. A dry run makes no Chatwork request, but still reads GitHub
	// so that its body is what a real run would post.
	d, err := r.startDelivery(ctx)
	if err != nil {
		return runResult{Err: inputError{err}}
	}
	files := r.findAttachments(ctx) // beside the room and GitHub reads
	var (
		sum    *event.Summary
		f      findings
		reason reason
	)
	switch {
	case r.cfg.Delivery.Mode == deliver.Ask:
		sum = r.facts // the question is about what the event says
	case r.cfg.Insight.Report == config.ReportReviews:
		if sum, reason, err = r.remind(ctx); err != nil {
			return runResult{Err: inputError{err}}
		}
	default:
		sum, f, reason = r.gather(ctx)
	}
	if reason.en != "" {
		return r.skip(sum, reason) // report: run decided the outcome just now, or nothing waits for review
	}
	a := r.addressed(sum, nil) // the outcome is final now
	if a.dropped > 0 {
		r.out.Notice(fmt.Sprintf("the message addresses the first %d accounts; %d more that mentions and to name are left out (at most %d a message)",
			mention.MaxAddressed, a.dropped, mention.MaxAddressed))
	}
	sum = r.nameThePeople(d, a)
	if reason := r.notifyWhenChange(sum, f.prev); reason.en != "" {
		return r.skip(sum, reason)
	}
	if r.cfg.Delivery.Mode == deliver.Ask {
		sum.Ask = event.Ask{Timeout: r.cfg.Delivery.Ask.Timeout}
		return r.askAndWait(ctx, d, sum)
	}
	sum = r.closeTasks(ctx, d, sum)
	attachments := <-files
	if f.attachment != nil {
		attachments = append([]deliver.Attachment{*f.attachment}, attachments...)
	}
	return r.deliver(ctx, d, sum, attachments)
}

// deliver composes the message and its task for sum and puts them in
// every room (a dry run stops after composing).
func (r *run) deliver(ctx context.Context, d *deliver.Delivery, sum *event.Summary, attachments []deliver.Attachment) runResult {
	msg, err := r.compose(sum)
	r.out.Debug(fmt.Sprintf("composed with %s: outcome %q, %d jobs (%d failed), %d bytes, %d attachments",
		r.templateName(), sum.Outcome, len(sum.Jobs), len(sum.FailedJobs), len(msg.Body), len(attachments)))
	if err != nil || r.cfg.Run.DryRun {
		return runResult{Body: msg.Body, DryRun: r.cfg.Run.DryRun, Err: err}
	}
	if msg.Task, err = r.composeTask(sum); err != nil {
		return runResult{Body: msg.Body, Err: err}
	}
	if msg.FollowUp, err = r.composeFollowUp(sum); err != nil {
		return runResult{Body: msg.Body, Err: err}
	}
	msg.Attachments = attachments
	res := runResult{Body: msg.Body, Rooms: d.Deliver(ctx, msg)}
	if len(res.Rooms) > 0 && res.Rooms[0].Body != "" {
		res.Body = res.Rooms[0].Body
	}
	return res
}

// startDelivery begins the delivery's reads (nil in a dry run): the dedupe
// reads, the members when someone may be addressed, the failure tasks a
// success may close.
func (r *run) startDelivery(ctx context.Context) (*deliver.Delivery, error) {
	c := r.cfg
	if c.Run.DryRun {
		return nil, nil
	}
	client := r.newClient(0)
	addressed := r.addressed(r.facts, nil)
	mode := c.Delivery.Mode
	if mode == deliver.Ask {
		mode = deliver.Post // the question is a new message; askAndWait waits
	}
	plan := deliver.Plan{
		Mode: mode, Rooms: c.Delivery.Rooms, Targets: c.Delivery.MessageIDs,
		Dedupe: c.Delivery.Dedupe, SelfUnread: c.Delivery.SelfUnread,
		TaskTo: c.Delivery.TaskTo, TaskDeadline: c.Delivery.TaskLimit.Deadline,
		// Members only when someone is addressed (report: run may make
		// the outcome a failure later, and address people then; report:
		// reviews addresses the reviewers it finds).
		Members: len(addressed.people) > 0 || c.Insight.Report != config.ReportJob && len(c.People.People) > 0,
	}
	if c.Delivery.CloseTasks {
		marker, err := taskMarker(r.facts)
		if err != nil {
			return nil, err
		}
		plan.CloseTasks = marker
	}
	return deliver.Start(ctx, client, plan, deliver.Options{Clock: r.deps.Clock, Redact: r.out.Redact}), nil
}

// templateName says which template makes the message, for debug lines.
func (r *run) templateName() string {
	if r.cfg.Message.Template != "" {
		return r.cfg.Message.TemplateName
	}
	return "the built-in template (" + r.cfg.Message.Language + ")"
}

// newClient is a Chatwork client whose retries have budget to spend
// (from now on), or the run's budget when budget is 0.
func (r *run) newClient(budget time.Duration) *chatwork.Client {
	if budget == 0 {
		budget = r.deps.Budget
	}
	return chatwork.New(r.cfg.Chatwork.APIURL, r.cfg.Chatwork.Token, chatwork.Options{
		HTTPClient:     r.deps.HTTPClient,
		UserAgent:      userAgent(r.deps.Version),
		Clock:          r.deps.Clock,
		Budget:         budget,
		AttemptTimeout: r.deps.AttemptTimeout,
		Logf:           func(f string, a ...any) { r.out.Info(fmt.Sprintf(f, a...)) },
		Redact:         r.out.Redact,
	})
}

// skip is the outcome of deciding not to post at all; the body shows
// what would have been posted.
func (r *run) skip(sum *event.Summary, why reason) runResult {
	msg, err := r.compose(r.addressed(sum, nil).sum)
	return runResult{Reason: why, Body: msg.Body, Err: err}
}
