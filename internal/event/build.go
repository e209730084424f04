package event

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/sethvargo/go-githubactions"
)

// Options select the event and the job result.
type Options struct {
	Getenv    func(string) string // GITHUB_* lookups
	EventName string              // overrides GITHUB_EVENT_NAME when set
	EventPath string              // overrides GITHUB_EVENT_PATH when set
	Status    string              // the status input (an outcome word), or ""
	// Payload, when set, is the event JSON itself and EventPath is not
	// read (for tests and fuzzing).
	Payload []byte
}

// Note is something the log should say about the event.
type Note struct {
	Notice bool // a notice; else a warning
	Text   string
}

// Load reads the event file and the environment and builds the Summary.
// Notes are problems that do not stop the notification (an odd
// environment value, a payload that does not match its event type) and
// the notice that the event's own outcome overrode the status input.
//
// The outcome: an event that reports on something that ran (workflow_run,
// workflow_job, deployment_status, check_suite, check_run, status) carries
// its own outcome, which wins; otherwise the status input is the current
// job's outcome; with neither the message is an announcement (no status).
func Load(opts Options) (*Summary, []Note, error) {
	getenv := opts.Getenv
	name := cmp.Or(opts.EventName, getenv("GITHUB_EVENT_NAME"))
	path := cmp.Or(opts.EventPath, getenv("GITHUB_EVENT_PATH"))
	raw := opts.Payload
	if raw == nil {
		var err error
		if raw, err = readPayload(path); err != nil {
			return nil, nil, err
		}
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
	var notes []Note
	if ctxErr != nil {
		notes = append(notes, Note{Text: fmt.Sprintf("ignoring malformed GITHUB_* values: %v", ctxErr)})
	}
	s, warnings, err := build(name, raw, ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("event file %s: %w; check GITHUB_EVENT_PATH or --event-path", cmp.Or(path, "(payload)"), err)
	}
	for _, w := range warnings {
		notes = append(notes, Note{Text: w})
	}
	input, _ := NormaliseOutcome(opts.Status)
	switch {
	case s.reported != "":
		s.SetOutcome(s.reported)
		s.ownOutcome = true
		if input != "" && ClassOf(input) != ClassOf(s.reported) {
			notes = append(notes, Note{Notice: true, Text: fmt.Sprintf(
				"the %s event reports %s, so the message says %s; the status input (%s) is this notifying job's own result", name, s.reported, s.reported, input)})
		}
	default:
		s.SetOutcome(input)
	}
	return &s.Summary, notes, nil
}

// SetOutcome sets Status (an outcome word, or "" for an announcement),
// Outcome and StatusIcon.
func (s *Summary) SetOutcome(word string) {
	w, ok := NormaliseOutcome(word)
	if !ok {
		w = ""
	}
	s.Status, s.Outcome = w, ClassOf(w)
	s.StatusIcon = s.Outcome.Icon()
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

// builder carries the summary being built and the outcome the event
// reports on its subject ("" when it reports none).
type builder struct {
	Summary
	reported string
}

func build(name string, raw []byte, ctx *githubactions.GitHubContext) (b builder, warnings []string, err error) {
	payload, err := decodeMap(raw)
	if err != nil {
		return b, nil, err
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
	if cron, ok := payload["schedule"].(string); ok && name == "schedule" {
		b.Schedule = cron
	}
	b.finish()
	if perr != nil && name != "" && knownEvent(name) {
		warnings = append(warnings, fmt.Sprintf("event payload does not match %s (%v); only generic fields are filled", name, perr))
	} else if missing := missingObjects(name, payload); len(missing) > 0 {
		warnings = append(warnings, fmt.Sprintf("the %s payload has no %s object (a payload of another CI server or of another event?), so the message has only what the payload and the environment give", name, strings.Join(missing, " or ")))
	}
	return b, warnings, nil
}

// subjects names, per event, the objects of its payload that say what the
// event is about; without them a message can only say what the
// environment says.
var subjects = map[string][]string{
	"workflow_run": {"workflow_run"}, "workflow_job": {"workflow_job"},
	"check_suite": {"check_suite"}, "check_run": {"check_run"},
	"issues": {"issue"}, "issue_comment": {"issue", "comment"},
	"pull_request": {"pull_request"}, "pull_request_target": {"pull_request"},
	"pull_request_review":         {"pull_request", "review"},
	"pull_request_review_comment": {"pull_request", "comment"},
	"deployment_status":           {"deployment_status"}, "release": {"release"}, "merge_group": {"merge_group"},
}

// missingObjects returns the subject objects of the event that the
// payload lacks (absent, null or not an object).
func missingObjects(name string, payload map[string]any) []string {
	var missing []string
	for _, key := range subjects[name] {
		if _, ok := payload[key].(map[string]any); !ok {
			missing = append(missing, key)
		}
	}
	return missing
}

// knownEvent reports whether go-github claims to parse name, so that a parse
// failure is worth a warning (schedule, dynamic… are expected to fail).
func knownEvent(name string) bool {
	_, err := github.ParseWebHook(name, []byte("{}"))
	return err == nil
}

// decodeMap reads the payload, which must be one JSON object.
func decodeMap(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("is not JSON (%v)", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("holds %s, not a JSON object", jsonKind(v))
	}
	if dec.More() {
		return nil, errors.New("holds more than one JSON value")
	}
	return m, nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
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
		if ref := e.GetRef(); ref != "" {
			// The payload names the pushed ref; for a push that deletes a
			// ref the runner's GITHUB_REF is the default branch instead.
			b.Ref, b.RefName, b.Branch, b.Tag = ref, shortRef(ref), "", ""
		}
		b.Push = Push{Created: e.GetCreated(), Deleted: e.GetDeleted(), Forced: e.GetForced(), Commits: len(e.Commits), RefType: "branch"}
		if strings.HasPrefix(e.GetRef(), "refs/tags/") {
			b.Push.RefType = "tag"
		}
		if e.GetDeleted() {
			// Nothing was built: GITHUB_SHA is only the default branch.
			b.SHA = ""
		} else {
			b.setSHA(e.GetAfter())
			if !e.GetCreated() {
				b.CompareURL = e.GetCompare()
			}
			if hc := e.GetHeadCommit(); hc != nil {
				b.setCommit(hc.GetMessage(), hc.GetURL(), authorName(hc.GetAuthor()))
			}
		}
		b.actorFallback(e.GetSender())
	case *github.PullRequestEvent:
		b.fromPR(e.GetPullRequest())
		b.setRequested(e.GetRequestedReviewer(), e.GetRequestedTeam(), e.GetOrganization(), e.GetRepo())
		b.actorFallback(e.GetSender())
	case *github.PullRequestTargetEvent:
		b.fromPR(e.GetPullRequest())
		b.setRequested(e.GetRequestedReviewer(), e.GetRequestedTeam(), e.GetOrganization(), e.GetRepo())
		b.actorFallback(e.GetSender())
	case *github.WorkflowRunEvent:
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
	case *github.WorkflowJobEvent:
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
		b.actorFallback(e.GetSender())
	case *github.CheckSuiteEvent:
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
		b.actorFallback(e.GetSender())
	case *github.CheckRunEvent:
		cr := e.GetCheckRun()
		b.report(cr.GetConclusion(), cr.GetStatus())
		b.setBuilt(cr.GetCheckSuite().GetHeadBranch(), cr.GetHeadSHA())
		b.Check = Check{Name: cr.GetName(), App: cr.GetApp().GetName(), URL: cr.GetHTMLURL()}
		if prs := checkPRs(cr); len(prs) > 0 {
			b.setPRNumber(prs[0].GetNumber())
		}
		b.actorFallback(e.GetSender())
	case *github.StatusEvent:
		b.report(e.GetState())
		b.SHA = e.GetSHA()
		b.Check = Check{Name: e.GetContext(), URL: e.GetTargetURL()}
		if c := e.GetCommit(); c != nil {
			b.setCommit(c.GetCommit().GetMessage(), c.GetHTMLURL(), cmp.Or(c.GetAuthor().GetLogin(), c.GetCommit().GetAuthor().GetName()))
		}
		if len(e.Branches) > 0 {
			b.setBuilt(e.Branches[0].GetName(), "")
		}
		b.actorFallback(e.GetSender())
	case *github.IssuesEvent:
		b.setIssue(e.GetIssue())
		b.actorFallback(e.GetSender())
	case *github.IssueCommentEvent:
		b.setIssue(e.GetIssue())
		c := e.GetComment()
		b.Comment = Comment{Author: c.GetUser().GetLogin(), URL: c.GetHTMLURL(), Body: c.GetBody(), AuthorAssociation: c.GetAuthorAssociation()}
		b.actorFallback(e.GetSender())
	case *github.PullRequestReviewEvent:
		b.fromPR(e.GetPullRequest())
		r := e.GetReview()
		b.Review = Review{State: strings.ToLower(r.GetState()), Author: r.GetUser().GetLogin(), URL: r.GetHTMLURL(), Body: r.GetBody(), AuthorAssociation: r.GetAuthorAssociation()}
		b.actorFallback(e.GetSender())
	case *github.PullRequestReviewCommentEvent:
		b.fromPR(e.GetPullRequest())
		c := e.GetComment()
		b.Comment = Comment{Author: c.GetUser().GetLogin(), URL: c.GetHTMLURL(), Body: c.GetBody(), AuthorAssociation: c.GetAuthorAssociation()}
		b.actorFallback(e.GetSender())
	case *github.MergeGroupEvent:
		mg := e.GetMergeGroup()
		b.setBuilt("", mg.GetHeadSHA())
		b.PR.Base = strings.TrimPrefix(mg.GetBaseRef(), "refs/heads/")
		b.PR.Queue = true
		if m := mergeQueuePR.FindStringSubmatch(mg.GetHeadRef()); m != nil {
			n, _ := strconv.Atoi(m[1])
			b.setPRNumber(n)
		}
		if hc := mg.GetHeadCommit(); hc != nil {
			b.setCommit(hc.GetMessage(), "", authorName(hc.GetAuthor()))
		}
		b.actorFallback(e.GetSender())
	case *github.DeploymentStatusEvent:
		d, ds := e.GetDeployment(), e.GetDeploymentStatus()
		b.Deployment = Deployment{
			Environment: cmp.Or(ds.GetEnvironment(), d.GetEnvironment()),
			State:       ds.GetState(),
			URL:         cmp.Or(ds.GetEnvironmentURL(), ds.GetTargetURL(), ds.GetLogURL()),
			Description: ds.GetDescription(),
		}
		b.report(ds.GetState())
		b.setSHA(d.GetSHA())
		if b.Ref == "" && d.GetRef() != "" {
			b.RefName = d.GetRef()
		}
		b.actorFallback(e.GetSender())
	case *github.ReleaseEvent:
		r := e.GetRelease()
		b.Release = Release{Tag: r.GetTagName(), Name: r.GetName(), URL: r.GetHTMLURL(), Prerelease: r.GetPrerelease(), Notes: r.GetBody()}
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
		b.Inputs = dispatchInputs(b.Payload)
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

// mergeQueuePR finds the PR number in a merge queue branch:
// refs/heads/gh-readonly-queue/main/pr-104-929f….
var mergeQueuePR = regexp.MustCompile(`/pr-([0-9]+)-[0-9a-f]+$`)

// dispatchInputs returns the workflow_dispatch inputs, sorted by name.
func dispatchInputs(payload map[string]any) []Input {
	m, _ := payload["inputs"].(map[string]any)
	var in []Input
	for k, v := range m {
		if v == nil {
			continue
		}
		in = append(in, Input{Name: k, Value: fmt.Sprint(v)})
	}
	slices.SortFunc(in, func(a, b Input) int { return strings.Compare(a.Name, b.Name) })
	return in
}

// setPRNumber names the pull request an event concerns and links it.
func (b *builder) setPRNumber(n int) {
	b.PR.Number = n
	b.PR.URL = b.repoURL() + "/pull/" + strconv.Itoa(n)
}

func (b *builder) setIssue(i *github.Issue) {
	b.Issue = Issue{Number: i.GetNumber(), Title: i.GetTitle(), URL: i.GetHTMLURL(), Author: i.GetUser().GetLogin(), IsPR: i.GetPullRequestLinks() != nil, Body: i.GetBody(),
		AuthorAssociation: i.GetAuthorAssociation()}
}

// setRequested records whom a review was asked of: a user, or a team as
// org/slug (the organization's login, else the repository owner's).
func (b *builder) setRequested(user *github.User, team *github.Team, org *github.Organization, repo *github.Repository) {
	b.PR.RequestedReviewer = user.GetLogin()
	if slug := team.GetSlug(); slug != "" {
		b.PR.RequestedTeam = cmp.Or(org.GetLogin(), repo.GetOwner().GetLogin()) + "/" + slug
		b.PR.RequestedTeamName = cmp.Or(team.GetName(), slug)
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
		HeadSHA:  pr.GetHead().GetSHA(),
		HeadRepo: fork(pr.GetHead().GetRepo(), pr.GetBase().GetRepo()),
		Draft:    pr.GetDraft(),
		Body:     pr.GetBody(),
	}
	// GitHub builds a test merge (refs/pull/N/merge) nobody pushed; people
	// know the author's head branch and commit.
	if b.PR.Head != "" {
		b.Ref, b.RefName, b.Branch, b.Tag = "refs/heads/"+b.PR.Head, b.PR.Head, b.PR.Head, ""
	}
	if b.PR.HeadSHA != "" {
		b.SHA = b.PR.HeadSHA
	}
}

// fork returns head's full name when it is another repository than base
// (a fork), else "".
func fork(head, base *github.Repository) string {
	if h := head.GetFullName(); h != "" && !strings.EqualFold(h, base.GetFullName()) {
		return h
	}
	return ""
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
	b.Complete()
	if b.Commit.URL == "" && b.RepoURL != "" && b.SHA != "" {
		b.Commit.URL = b.RepoURL + "/commit/" + b.SHA
	}
	if b.Branch != "" && b.RepoURL != "" && !b.Push.Deleted {
		b.BranchURL = b.RepoURL + "/tree/" + b.Branch
	}
}

// Complete derives the fields every summary has from the ones its source
// gave, the same way for GitHub and the other CI systems: Ref from Tag or
// Branch (a tag wins), Branch or Tag from Ref, RefName, ShortSHA (7
// characters) and the commit title (the message's first line).
func (s *Summary) Complete() {
	switch {
	case s.Ref == "" && s.Tag != "":
		s.Ref = "refs/tags/" + s.Tag
	case s.Ref == "" && s.Branch != "":
		s.Ref = "refs/heads/" + s.Branch
	case strings.HasPrefix(s.Ref, "refs/heads/") && s.Branch == "":
		s.Branch = strings.TrimPrefix(s.Ref, "refs/heads/")
	case strings.HasPrefix(s.Ref, "refs/tags/"):
		s.Tag = strings.TrimPrefix(s.Ref, "refs/tags/")
	}
	if s.RefName == "" {
		s.RefName = shortRef(s.Ref)
	}
	s.ShortSHA = s.SHA
	if len(s.ShortSHA) > 7 {
		s.ShortSHA = s.ShortSHA[:7]
	}
	if s.Commit.Title == "" {
		s.Commit.Title = FirstLine(s.Commit.Message)
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
	return cmp.Or(a.GetLogin(), a.GetName())
}

// FirstLine returns s up to its first line break.
func FirstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// report records the outcome the event gives its subject: the first of
// words (a conclusion, then a status) that is an outcome word.
func (b *builder) report(words ...string) {
	for _, w := range words {
		if o, ok := NormaliseOutcome(w); ok {
			b.reported = o
			return
		}
	}
}

// FormatDuration writes d for people, to the second: "45s", "3m12s", "1h2m3s".
func FormatDuration(d time.Duration) string {
	return max(d, 0).Round(time.Second).String()
}
