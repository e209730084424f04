package event

import (
	"cmp"

	"github.com/google/go-github/v60/github"
)

// The CI family: events that report on something that ran, with its own
// outcome, which wins over the status input (see Load).

func fromWorkflowRun(b *builder, e *github.WorkflowRunEvent) {
	r := e.GetWorkflowRun()
	b.WorkflowRun = WorkflowRun{
		ID:         r.GetID(),
		Name:       cmp.Or(r.GetName(), e.GetWorkflow().GetName(), r.GetDisplayTitle()),
		Conclusion: r.GetConclusion(),
		URL:        r.GetHTMLURL(),
		Branch:     r.GetHeadBranch(),
		Event:      r.GetEvent(),
		RunNumber:  r.GetRunNumber(),
		HeadRepo:   fork(r.GetHeadRepository(), r.GetRepository()),
	}
	b.report(r.GetConclusion(), r.GetStatus())
	b.setBuilt(r.GetHeadBranch(), r.GetHeadSHA())
	if hc := r.GetHeadCommit(); hc != nil {
		b.setCommit(hc.GetMessage(), "", authorName(hc.GetAuthor()))
	}
	if prs := runPRs(r); len(prs) > 0 {
		pr := prs[0]
		b.setPRNumber(pr.GetNumber())
		b.PR.Base = pr.GetBase().GetRef()
		b.PR.Head = pr.GetHead().GetRef()
	}
	b.actorFallback(r.GetActor())
}

func fromWorkflowJob(b *builder, e *github.WorkflowJobEvent) {
	j := e.GetWorkflowJob()
	b.WorkflowJob = WorkflowJob{Name: j.GetName(), Conclusion: j.GetConclusion(), URL: j.GetHTMLURL()}
	for _, st := range jobSteps(j) {
		if StepFailed(st.GetConclusion()) {
			b.WorkflowJob.FailedSteps = append(b.WorkflowJob.FailedSteps, st.GetName())
		}
	}
	b.WorkflowRun.Name = j.GetWorkflowName()
	b.report(j.GetConclusion(), j.GetStatus())
	b.setBuilt(j.GetHeadBranch(), j.GetHeadSHA())
}

func fromCheckSuite(b *builder, e *github.CheckSuiteEvent) {
	cs := e.GetCheckSuite()
	b.report(cs.GetConclusion(), cs.GetStatus())
	b.setBuilt(cs.GetHeadBranch(), cs.GetHeadSHA())
	b.Check = Check{App: cs.GetApp().GetName()}
	if hc := cs.GetHeadCommit(); hc != nil {
		b.setCommit(hc.GetMessage(), "", authorName(hc.GetAuthor()))
	}
	if prs := suitePRs(cs); len(prs) > 0 {
		b.setPRNumber(prs[0].GetNumber())
	}
}

func fromCheckRun(b *builder, e *github.CheckRunEvent) {
	cr := e.GetCheckRun()
	b.report(cr.GetConclusion(), cr.GetStatus())
	b.setBuilt(cr.GetCheckSuite().GetHeadBranch(), cr.GetHeadSHA())
	b.Check = Check{Name: cr.GetName(), App: cr.GetApp().GetName(), URL: cr.GetHTMLURL()}
	if prs := checkPRs(cr); len(prs) > 0 {
		b.setPRNumber(prs[0].GetNumber())
	}
}

func fromStatus(b *builder, e *github.StatusEvent) {
	b.report(e.GetState())
	b.SHA = e.GetSHA()
	b.Check = Check{Name: e.GetContext(), URL: e.GetTargetURL()}
	if c := e.GetCommit(); c != nil {
		b.setCommit(c.GetCommit().GetMessage(), c.GetHTMLURL(), cmp.Or(c.GetAuthor().GetLogin(), c.GetCommit().GetAuthor().GetName()))
	}
	if len(e.Branches) > 0 {
		b.setBuilt(e.Branches[0].GetName(), "")
	}
}

// setBuilt makes the commit fields describe what a reported run, job or
// check suite built: the notifier's own GITHUB_SHA is only the default
// branch tip in those workflows.
func (b *builder) setBuilt(branch, sha string) {
	if branch != "" {
		b.Ref, b.RefName, b.Branch, b.Tag = "refs/heads/"+branch, branch, branch, ""
	}
	if sha != "" {
		b.SHA = sha
	}
}

// The lists below are not pointers, so go-github has no nil-safe getters
// for them: a payload may lack the object that holds them.

func runPRs(r *github.WorkflowRun) []*github.PullRequest {
	if r == nil {
		return nil
	}
	return r.PullRequests
}

func jobSteps(j *github.WorkflowJob) []*github.TaskStep {
	if j == nil {
		return nil
	}
	return j.Steps
}

func suitePRs(cs *github.CheckSuite) []*github.PullRequest {
	if cs == nil {
		return nil
	}
	return cs.PullRequests
}

func checkPRs(cr *github.CheckRun) []*github.PullRequest {
	if cr == nil {
		return nil
	}
	return cr.PullRequests
}
