package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/sethvargo/go-githubactions"
)

// Status values (the same words as the status input).
const (
	StatusSuccess   = "success"
	StatusFailure   = "failure"
	StatusCancelled = "cancelled"
	StatusSkipped   = "skipped"
	StatusUnknown   = "unknown"
)

var statusIcons = map[string]string{
	StatusSuccess:   "✅",
	StatusFailure:   "❌",
	StatusCancelled: "🚫",
	StatusSkipped:   "⏭️",
	StatusUnknown:   "❔",
}

// Options select the event and the job result.
type Options struct {
	Getenv    func(string) string // GITHUB_* lookups
	EventName string              // overrides GITHUB_EVENT_NAME when set
	EventPath string              // overrides GITHUB_EVENT_PATH when set
	Status    string              // the status input; "" infers it from the event
}

// Load reads the event file and the environment and builds the Summary.
// Warnings are problems that do not stop the notification (an odd
// environment value, a payload that does not match its event type).
func Load(opts Options) (*Summary, []string, error) {
	getenv := opts.Getenv
	name := firstNonEmpty(opts.EventName, getenv("GITHUB_EVENT_NAME"))
	path := firstNonEmpty(opts.EventPath, getenv("GITHUB_EVENT_PATH"))
	raw, err := readPayload(path)
	if err != nil {
		return nil, nil, err
	}
	// The event file is read here, once, so that numbers keep their digits;
	// go-githubactions supplies the GITHUB_* context without re-reading it.
	gha := githubactions.New(githubactions.WithGetenv(func(k string) string {
		if k == "GITHUB_EVENT_PATH" {
			return ""
		}
		return getenv(k)
	}))
	ctx, ctxErr := gha.Context()
	var warnings []string
	if ctxErr != nil {
		warnings = append(warnings, fmt.Sprintf("ignoring malformed GITHUB_* values: %v", ctxErr))
	}
	s, warning, err := build(name, raw, ctx)
	if err != nil {
		return nil, nil, err
	}
	if warning != "" {
		warnings = append(warnings, warning)
	}
	s.Status, s.StatusIcon = resolveStatus(opts.Status, s.inferred)
	return &s.Summary, warnings, nil
}

// readPayload returns the event JSON; a missing path gives "{}".
func readPayload(path string) ([]byte, error) {
	if path == "" {
		return []byte("{}"), nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("event file %q does not exist; check GITHUB_EVENT_PATH or --event-path", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading event file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("{}"), nil
	}
	return b, nil
}

// builder carries the summary being built and the status the event implies.
type builder struct {
	Summary
	inferred string
}

func build(name string, raw []byte, ctx *githubactions.GitHubContext) (b builder, warning string, err error) {
	payload, err := decodeMap(raw)
	if err != nil {
		return b, "", fmt.Errorf("event file is not a JSON object: %w", err)
	}
	b.Event = name
	b.Payload = payload
	b.Action, _ = payload["action"].(string)
	b.fromContext(ctx)

	// ParseWebHook does not know schedule, dynamic and a few others: those
	// keep only the context and the raw payload.
	ev, perr := github.ParseWebHook(name, raw)
	if perr == nil {
		b.fromEvent(ev)
	}
	b.finish()
	if perr != nil && name != "" && knownEvent(name) {
		warning = fmt.Sprintf("event payload does not match %s (%v); only generic fields are filled", name, perr)
	}
	return b, warning, nil
}

// knownEvent reports whether go-github claims to parse name, so that a parse
// failure is worth a warning (schedule, dynamic… are expected to fail).
func knownEvent(name string) bool {
	_, err := github.ParseWebHook(name, []byte("{}"))
	return err == nil
}

func decodeMap(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil { // the file held "null"
		m = map[string]any{}
	}
	return m, nil
}

func (b *builder) fromContext(c *githubactions.GitHubContext) {
	b.ServerURL = strings.TrimRight(c.ServerURL, "/")
	b.Repo = c.Repository
	if b.Repo == "" {
		if repo, ok := b.Payload["repository"].(map[string]any); ok {
			b.Repo, _ = repo["full_name"].(string)
		}
	}
	b.Workflow = c.Workflow
	b.Job = c.Job
	b.RunID, b.RunNumber, b.RunAttempt = c.RunID, c.RunNumber, c.RunAttempt
	b.Actor = c.Actor
	b.Ref, b.RefName = c.Ref, c.RefName
	b.SHA = c.SHA
	b.Branch = c.HeadRef // pull requests: the head branch
}

func (b *builder) fromEvent(ev any) {
	switch e := ev.(type) {
	case *github.PushEvent:
		b.setRef(e.GetRef())
		if !e.GetDeleted() {
			b.setSHA(e.GetAfter())
		}
		b.CompareURL = e.GetCompare()
		if hc := e.GetHeadCommit(); hc != nil {
			b.setCommit(hc.GetMessage(), hc.GetURL(), authorName(hc.GetAuthor()))
		}
		b.actorFallback(e.GetSender())
	case *github.PullRequestEvent:
		b.fromPR(e.GetPullRequest())
		b.actorFallback(e.GetSender())
	case *github.PullRequestTargetEvent:
		b.fromPR(e.GetPullRequest())
		b.actorFallback(e.GetSender())
	case *github.WorkflowRunEvent:
		r := e.GetWorkflowRun()
		b.WorkflowRun = WorkflowRun{
			ID:         r.GetID(),
			Name:       firstNonEmpty(r.GetName(), e.GetWorkflow().GetName(), r.GetDisplayTitle()),
			Conclusion: r.GetConclusion(),
			URL:        r.GetHTMLURL(),
			Branch:     r.GetHeadBranch(),
			Event:      r.GetEvent(),
			RunNumber:  r.GetRunNumber(),
		}
		b.inferred = StatusFromConclusion(r.GetConclusion())
		b.setBuilt(r.GetHeadBranch(), r.GetHeadSHA())
		if hc := r.GetHeadCommit(); hc != nil {
			b.setCommit(hc.GetMessage(), "", authorName(hc.GetAuthor()))
		}
		if prs := r.PullRequests; len(prs) > 0 {
			pr := prs[0]
			b.PR.Number = pr.GetNumber()
			b.PR.Base = pr.GetBase().GetRef()
			b.PR.Head = pr.GetHead().GetRef()
			b.PR.URL = b.repoURL() + "/pull/" + strconv.Itoa(pr.GetNumber())
		}
		b.actorFallback(r.GetActor())
	case *github.WorkflowJobEvent:
		j := e.GetWorkflowJob()
		b.WorkflowJob = WorkflowJob{Name: j.GetName(), Conclusion: j.GetConclusion(), URL: j.GetHTMLURL()}
		for _, st := range j.Steps {
			if st.GetConclusion() == "failure" {
				b.WorkflowJob.FailedSteps = append(b.WorkflowJob.FailedSteps, st.GetName())
			}
		}
		b.WorkflowRun.Name = j.GetWorkflowName()
		b.inferred = StatusFromConclusion(j.GetConclusion())
		b.setBuilt(j.GetHeadBranch(), j.GetHeadSHA())
		b.actorFallback(e.GetSender())
	case *github.CheckSuiteEvent:
		cs := e.GetCheckSuite()
		b.inferred = StatusFromConclusion(cs.GetConclusion())
		b.setBuilt(cs.GetHeadBranch(), cs.GetHeadSHA())
		b.actorFallback(e.GetSender())
	case *github.DeploymentStatusEvent:
		d, ds := e.GetDeployment(), e.GetDeploymentStatus()
		b.Deployment = Deployment{
			Environment: firstNonEmpty(ds.GetEnvironment(), d.GetEnvironment()),
			State:       ds.GetState(),
			URL:         firstNonEmpty(ds.GetEnvironmentURL(), ds.GetTargetURL(), ds.GetLogURL()),
			Description: ds.GetDescription(),
		}
		b.inferred = fromDeploymentState(ds.GetState())
		b.setSHA(d.GetSHA())
		if b.Ref == "" && d.GetRef() != "" {
			b.RefName = d.GetRef()
		}
		b.actorFallback(e.GetSender())
	case *github.ReleaseEvent:
		r := e.GetRelease()
		b.Release = Release{Tag: r.GetTagName(), Name: r.GetName(), URL: r.GetHTMLURL(), Prerelease: r.GetPrerelease()}
		if b.Ref == "" && r.GetTagName() != "" {
			b.setRef("refs/tags/" + r.GetTagName())
		}
		b.actorFallback(e.GetSender())
	case *github.CreateEvent:
		b.setCreated(e.GetRef(), e.GetRefType())
		b.actorFallback(e.GetSender())
	case *github.DeleteEvent:
		b.setCreated(e.GetRef(), e.GetRefType())
		b.actorFallback(e.GetSender())
	case *github.WorkflowDispatchEvent:
		if b.Ref == "" {
			b.setRef(e.GetRef())
		}
		b.actorFallback(e.GetSender())
	case *github.RepositoryDispatchEvent:
		if b.Ref == "" && e.GetBranch() != "" {
			b.setRef("refs/heads/" + e.GetBranch())
		}
		b.actorFallback(e.GetSender())
	default:
		if s, ok := b.Payload["sender"].(map[string]any); ok && b.Actor == "" {
			b.Actor, _ = s["login"].(string)
		}
	}
}

func (b *builder) fromPR(pr *github.PullRequest) {
	b.PR = PullRequest{
		Number:   pr.GetNumber(),
		Title:    pr.GetTitle(),
		URL:      pr.GetHTMLURL(),
		Author:   pr.GetUser().GetLogin(),
		Merged:   pr.GetMerged(),
		MergedBy: pr.GetMergedBy().GetLogin(),
		Base:     pr.GetBase().GetRef(),
		Head:     pr.GetHead().GetRef(),
		Draft:    pr.GetDraft(),
	}
	if b.Branch == "" {
		b.Branch = b.PR.Head
	}
	b.setSHA(pr.GetHead().GetSHA())
}

// setRef fills Ref, RefName, Branch and Tag from a full ref when the
// environment did not.
func (b *builder) setRef(ref string) {
	if b.Ref == "" {
		b.Ref = ref
	}
	if b.RefName == "" {
		b.RefName = shortRef(ref)
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

// setCreated describes the ref a create or delete event names (its ref is a
// bare name, its ref_type says branch or tag).
func (b *builder) setCreated(name, refType string) {
	if name == "" {
		return
	}
	b.RefName = name
	switch refType {
	case "tag":
		b.Ref, b.Tag, b.Branch = "refs/tags/"+name, name, ""
	case "branch":
		b.Ref, b.Branch, b.Tag = "refs/heads/"+name, name, ""
	}
}

func (b *builder) setSHA(sha string) {
	if b.SHA == "" && strings.Trim(sha, "0") != "" {
		b.SHA = sha
	}
}

func (b *builder) setCommit(message, url, author string) {
	b.Commit = Commit{Title: FirstLine(message), Message: message, URL: url, Author: author}
}

func (b *builder) actorFallback(u *github.User) {
	if b.Actor == "" {
		b.Actor = u.GetLogin()
	}
}

func (b *builder) repoURL() string {
	if b.Repo == "" {
		return ""
	}
	return b.ServerURL + "/" + b.Repo
}

// finish derives the fields that depend on others.
func (b *builder) finish() {
	b.RepoURL = b.repoURL()
	if b.RepoURL != "" && b.RunID > 0 {
		b.RunURL = b.RepoURL + "/actions/runs/" + strconv.FormatInt(b.RunID, 10)
	}
	switch {
	case strings.HasPrefix(b.Ref, "refs/heads/"):
		if b.Branch == "" {
			b.Branch = strings.TrimPrefix(b.Ref, "refs/heads/")
		}
	case strings.HasPrefix(b.Ref, "refs/tags/"):
		b.Tag = strings.TrimPrefix(b.Ref, "refs/tags/")
	}
	if b.RefName == "" {
		b.RefName = shortRef(b.Ref)
	}
	b.ShortSHA = b.SHA
	if len(b.ShortSHA) > 7 {
		b.ShortSHA = b.ShortSHA[:7]
	}
	if b.Commit.URL == "" && b.Commit.Message != "" && b.RepoURL != "" && b.SHA != "" {
		b.Commit.URL = b.RepoURL + "/commit/" + b.SHA
	}
}

func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/", "refs/"} {
		if strings.HasPrefix(ref, p) {
			return strings.TrimPrefix(ref, p)
		}
	}
	return ref
}

func authorName(a *github.CommitAuthor) string {
	return firstNonEmpty(a.GetLogin(), a.GetName())
}

// FirstLine returns s up to its first line break.
func FirstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// StatusFromConclusion maps a run, job or check-suite conclusion to a
// status ("" when the conclusion says nothing: neutral, stale, none).
func StatusFromConclusion(c string) string {
	switch c {
	case "success":
		return StatusSuccess
	case "failure", "timed_out", "startup_failure", "action_required":
		return StatusFailure
	case "cancelled":
		return StatusCancelled
	case "skipped":
		return StatusSkipped
	}
	return ""
}

// FormatDuration writes d for people, to the second: "45s", "3m12s", "1h2m3s".
func FormatDuration(d time.Duration) string {
	return max(d, 0).Round(time.Second).String()
}

func fromDeploymentState(s string) string {
	switch s {
	case "success":
		return StatusSuccess
	case "failure", "error":
		return StatusFailure
	}
	return ""
}

// StatusIcon returns the emoji for a status.
func StatusIcon(status string) string { return statusIcons[status] }

// resolveStatus picks the status input when given, else what the event
// implies, else unknown.
func resolveStatus(input, inferred string) (status, icon string) {
	status = firstNonEmpty(strings.ToLower(input), inferred, StatusUnknown)
	return status, statusIcons[status]
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
