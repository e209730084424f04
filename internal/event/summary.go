// Package event reads the workflow's event (GITHUB_EVENT_NAME and the JSON
// file at GITHUB_EVENT_PATH, parsed into go-github's types) and the GITHUB_*
// variables, and builds one neutral Summary that templates render. No
// go-github type leaves this package.
//
// The Summary holds raw text as GitHub gave it: neutralising untrusted text
// for Chatwork is the render package's job.
package event

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Summary is what a message template sees. Every field is documented in the
// README ("Template fields"); the names are part of the action's contract.
type Summary struct {
	Event  string // event name, e.g. push, pull_request
	Action string // the payload's action (opened, closed, completed…), if any
	// Status is the outcome in GitHub's own word (success, failure,
	// cancelled, skipped, timed_out, action_required, in_progress, …), or
	// "" when the message is an announcement (see Load for which wins).
	Status string
	// Outcome is the class of Status: succeeded, failed, cancelled,
	// attention, in_progress, neutral, or "" for none.
	Outcome    Class
	StatusIcon string // an emoji for Outcome; "" for none
	Repo       string // owner/name
	RepoURL    string
	ServerURL  string // https://github.com or the GitHub Enterprise Server URL
	Workflow   string
	Job        string // the job id (GITHUB_JOB)
	RunID      int64
	RunNumber  int64
	RunAttempt int64
	RunURL     string // link to this workflow run (without the attempt, so re-runs render the same)
	Actor      string
	Ref        string // full ref, e.g. refs/heads/main
	RefName    string // short ref, e.g. main
	Branch     string // branch name, when the ref is a branch (PRs: the head branch)
	Tag        string // tag name, when the ref is a tag
	SHA        string
	ShortSHA   string // first 7 characters of SHA
	CompareURL string // push: the compare link
	Commit     Commit
	PR         PullRequest
	Deployment Deployment
	Release    Release
	// WorkflowRun is the run a workflow_run event reports on.
	WorkflowRun WorkflowRun
	// WorkflowJob is the job a workflow_job event reports on.
	WorkflowJob WorkflowJob
	// Push describes a push: what it did to the ref, how many commits.
	Push Push
	// BranchURL links the branch (Branch) on GitHub.
	BranchURL string
	// Issue is the issue or pull request an issues or issue_comment event
	// is about.
	Issue Issue
	// Comment is the comment of an issue_comment or review comment event.
	Comment Comment
	// Review is the review of a pull_request_review event.
	Review Review
	// Check is the check suite, check run or commit status reported on.
	Check Check
	// Inputs are a workflow_dispatch's inputs, in name order.
	Inputs []Input
	// Schedule is the cron expression of a schedule event (UTC).
	Schedule string
	// Language is the language of the built-in messages: en or ja.
	Language string
	// Payload is the raw event, decoded as JSON (numbers keep their digits).
	Payload map[string]any

	// Jobs are the jobs of the run (the current attempt; for workflow_run
	// events, the reported run), read from the GitHub API when github-token
	// allows; empty otherwise.
	Jobs []Job
	// FailedJobs are the Jobs whose conclusion is failure (or timed_out).
	FailedJobs []Job
	// Duration is how long the run has taken so far (for workflow_run: how
	// long the reported run took), e.g. "3m12s"; empty when unknown.
	Duration string
	// Mentions is the [To:…] line from the to, mentions and mention-on
	// inputs, e.g. "[To:123] octocat"; empty when nobody is addressed.
	Mentions notation.Markup

	// Tests are the totals and first failed tests of the JUnit reports
	// named by test-results (details).
	Tests Tests `render:"detail"`
	// Report counts the run's other jobs by result (report: run).
	Report RunReport
	// Reviews are the pull requests waiting for a review (report:
	// reviews).
	Reviews Reviews
	// Ask is the approval question of mode: ask: how long it waits and,
	// once decided, how it ended.
	Ask Ask
	// Values are the values input: name → text from earlier steps.
	Values map[string]string
	// Text is the one-liner for the outcome (success-text, failure-text,
	// texts), rendered; the built-in templates put it under the title.
	Text notation.Markup
	// TasksClosed is how many failure tasks this message's success closed
	// (close-tasks).
	TasksClosed int `render:"detail"`

	ownOutcome bool // the event reports its own outcome (see Load)
}

// ReportsOwnOutcome reports whether the event carries the outcome of what
// it reports on (workflow_run, deployment_status, …), which nothing else
// overrides.
func (s *Summary) ReportsOwnOutcome() bool { return s.ownOutcome }

// HasDetails reports whether there is anything to say about why: test
// totals, annotations or a log excerpt of a job, or closed tasks.
func (s *Summary) HasDetails() bool {
	if s.Tests.Total > 0 || s.TasksClosed > 0 {
		return true
	}
	for _, j := range s.Jobs {
		if len(j.Annotations) > 0 || j.Log != "" {
			return true
		}
	}
	return false
}

// WithoutDetails returns a copy of s without the details (Tests, and the
// jobs' Annotations and Log): the message as a re-run would render it
// whatever its details, which is what dedupe compares.
func (s *Summary) WithoutDetails() *Summary {
	c := *s
	c.Tests, c.TasksClosed = Tests{}, 0
	strip := func(jobs []Job) []Job {
		if jobs == nil {
			return nil
		}
		out := make([]Job, len(jobs))
		for i, j := range jobs {
			j.Annotations, j.MoreAnnotations, j.Log = nil, 0, ""
			out[i] = j
		}
		return out
	}
	c.Jobs, c.FailedJobs = strip(s.Jobs), strip(s.FailedJobs)
	return &c
}

// Job is one job of a workflow run.
type Job struct {
	ID          int64  // the job's id, which is also its check run's id
	Name        string // display name, e.g. "build (ubuntu-latest, 20)"
	Status      string // queued, in_progress, completed
	Conclusion  string // success, failure, cancelled, skipped, timed_out…; for the running job, the status input
	URL         string
	Duration    string // e.g. "1m4s"; for the running job, so far
	Current     bool   // the job this step runs in
	FailedSteps []Step
	// Annotations are the error and warning annotations of a failed job
	// (details), at most MaxJobAnnotations of them and MaxAnnotations in
	// the whole message; MoreAnnotations counts the rest.
	Annotations     []Annotation `render:"detail"`
	MoreAnnotations int
	// Log is the tail of the failed steps' log (log-lines), without
	// timestamps and colours.
	Log string `render:"detail"`
}

// TaskMarker is the line a failure task ends with, so that a later
// success of the same workflow on the same branch finds the tasks it may
// close: the repository, the workflow and the branch (or ref). The
// workflow and branch are those of the run reported (for workflow_run,
// the run in the payload), and a branch of another repository (a fork's
// pull request) is qualified with it, "fork/repo:main", so that it never
// names a branch of this repository.
func (s *Summary) TaskMarker() string {
	branch := cmp.Or(s.Branch, s.RefName)
	if head := cmp.Or(s.WorkflowRun.HeadRepo, s.PR.HeadRepo); head != "" {
		branch = head + ":" + branch
	}
	return fmt.Sprintf("chatwork-notify: %s · %s · %s", s.Repo, cmp.Or(s.WorkflowRun.Name, s.Workflow), branch)
}

// Limits on the annotations a message lists.
const (
	MaxJobAnnotations = 5
	MaxAnnotations    = 10
)

// Annotation is one error or warning annotation of a job.
type Annotation struct {
	Level   string // failure or warning
	Path    string // file, e.g. internal/app/app.go; "" when none
	Line    int    // 0 when none
	Message string // the first line
}

// Where is "path:line", "path" or "".
func (a Annotation) Where() string {
	switch {
	case a.Path == "":
		return ""
	case a.Line > 0:
		return fmt.Sprintf("%s:%d", a.Path, a.Line)
	}
	return a.Path
}

// MaxTestFailures limits the failed tests a message lists.
const MaxTestFailures = 5

// Tests summarises JUnit XML reports.
type Tests struct {
	Reports  int // report files read
	Total    int // test cases
	Failed   int // failed or in error
	Skipped  int
	Failures []TestFailure // the first MaxTestFailures failed tests
}

// More is how many failed tests Failures leaves out.
func (t Tests) More() int { return max(t.Failed-len(t.Failures), 0) }

// TestFailure is one failed test.
type TestFailure struct {
	Suite   string // the test suite (or class), e.g. github.com/o/r/pkg or tests.test_app
	Name    string // the test case
	Message string // the first line of the failure message
}

// RunReport counts the jobs of a run by result, for report: run (the
// run's jobs except the one running the notifier).
type RunReport struct {
	Jobs    int           // jobs counted; 0 when not reporting on the run
	Results []ResultCount // per outcome word, most severe first
}

// ResultCount is how many jobs ended with one outcome word.
type ResultCount struct {
	Result string // an outcome word: failure, success, skipped…
	Icon   string
	Count  int
}

// Step is a step of a job.
type Step struct {
	Name   string
	Number int64
}

// String returns the step's name, so lists of steps print readably.
func (s Step) String() string { return s.Name }

// Push describes a push event.
type Push struct {
	RefType string // branch or tag
	Created bool   // the push created the ref
	Deleted bool   // the push deleted the ref
	Forced  bool
	Commits int // commits pushed
}

// Issue is an issue, or a pull request seen as an issue.
type Issue struct {
	Number int
	Title  string
	URL    string
	Author string
	IsPR   bool   // the issue is a pull request
	Body   string // the issue's text (Markdown)
	// AuthorAssociation is the author's relation to the repository as
	// GitHub gives it: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ….
	AuthorAssociation string
}

// Comment is a comment on an issue, pull request or diff.
type Comment struct {
	Author            string
	URL               string
	Body              string
	AuthorAssociation string // as for Issue
}

// Review is a pull-request review.
type Review struct {
	State             string // approved, changes_requested, commented, dismissed
	Author            string
	URL               string
	Body              string
	AuthorAssociation string // as for Issue
}

// InOrganization reports whether an author association says the author
// belongs to the repository's owner (OWNER or MEMBER): only they can
// notify a team by mentioning it.
func InOrganization(association string) bool {
	switch strings.ToUpper(association) {
	case "OWNER", "MEMBER":
		return true
	}
	return false
}

// Check is a check suite, check run or commit status.
type Check struct {
	Name string // check run name, or status context
	App  string // the app that ran it, e.g. GitHub Actions
	URL  string
}

// Input is one workflow_dispatch input.
type Input struct {
	Name  string
	Value string
}

// Commit describes the head commit.
type Commit struct {
	Title   string // first line of Message
	Message string
	URL     string
	Author  string // GitHub login when known, else the author's name
}

// PullRequest describes the pull request of a pull_request(_target) event,
// or the first pull request of a workflow_run.
type PullRequest struct {
	// Name is how people name the pull request: "PR #2", or a GitLab
	// merge request's "MR !7".
	Name     string
	Number   int
	Title    string
	URL      string
	Author   string
	Merged   bool
	MergedBy string
	Base     string // base branch
	Head     string // head branch
	HeadSHA  string // head commit: what the author pushed
	HeadRepo string // for a pull request from a fork, the fork (owner/name); "" when the head branch is this repository's
	Draft    bool
	// Queue is true when the PR is in a merge queue (merge_group).
	Queue bool
	// RequestedReviewer is the login a review was asked of
	// (review_requested); RequestedTeam the team instead, as org/slug,
	// with its display name in RequestedTeamName.
	RequestedReviewer string
	RequestedTeam     string
	RequestedTeamName string
	Body              string // the pull request's description (Markdown)
}

// Deployment describes a deployment_status event.
type Deployment struct {
	Environment string
	State       string // success, failure, error, in_progress, queued, pending, inactive
	URL         string // environment URL, else target or log URL
	Description string
}

// Release describes a release event.
type Release struct {
	Tag        string
	Name       string
	URL        string
	Prerelease bool
	Notes      string // the release notes (body)
}

// WorkflowRun describes the run a workflow_run event is about.
type WorkflowRun struct {
	ID         int64
	Name       string
	Conclusion string
	URL        string
	Branch     string
	Event      string // the event that triggered that run
	RunNumber  int
	HeadRepo   string // when that run built a fork's branch (a fork's pull request), the fork (owner/name); else ""
}

// WorkflowJob describes the job a workflow_job event is about.
type WorkflowJob struct {
	Name        string
	Conclusion  string
	URL         string
	FailedSteps []string
}
