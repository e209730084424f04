package event

import "github.com/google/go-github/v60/github"

// builders are the events whose payload adds to the summary, each with
// the function that reads it: one table, one file per family (ci.go,
// pulls.go, conversations.go, refs.go, deployments.go). An event without a
// row keeps what the environment and the generic fields say.
var builders = map[string]func(*builder, any){
	// CI: something ran and reports its own outcome.
	"workflow_run": on(fromWorkflowRun),
	"workflow_job": on(fromWorkflowJob),
	"check_suite":  on(fromCheckSuite),
	"check_run":    on(fromCheckRun),
	"status":       on(fromStatus),
	// Pull requests.
	"pull_request":                on(fromPullRequest),
	"pull_request_target":         on(func(b *builder, e *github.PullRequestTargetEvent) { fromPullRequest(b, (*github.PullRequestEvent)(e)) }),
	"pull_request_review":         on(fromReview),
	"pull_request_review_comment": on(fromReviewComment),
	"merge_group":                 on(fromMergeGroup),
	// Conversations.
	"issues":        on(fromIssues),
	"issue_comment": on(fromIssueComment),
	// Refs and releases.
	"push":    on(fromPush),
	"create":  on(func(b *builder, e *github.CreateEvent) { b.setCreated(e.GetRef(), e.GetRefType()) }),
	"delete":  on(func(b *builder, e *github.DeleteEvent) { b.setCreated(e.GetRef(), e.GetRefType()) }),
	"release": on(fromRelease),
	// Deployments and manual runs.
	"deployment_status":   on(fromDeploymentStatus),
	"workflow_dispatch":   on(fromWorkflowDispatch),
	"repository_dispatch": on(fromRepositoryDispatch),
}

// on adapts a builder of one go-github event type to the table: it runs
// only when ParseWebHook gave that type.
func on[E any](f func(*builder, *E)) func(*builder, any) {
	return func(b *builder, ev any) {
		if e, ok := ev.(*E); ok && e != nil {
			f(b, e)
		}
	}
}
