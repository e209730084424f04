// Package cienv builds the same neutral Summary that GitHub Actions runs
// get from the documented environment variables of other CI systems
// (GitLab CI, CircleCI, Jenkins, Bitbucket Pipelines, Buildkite), so the
// CLI renders the same templates wherever it runs.
package cienv

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// Names of the CI systems (the values of --ci).
const (
	GitHub    = "github"
	GitLab    = "gitlab"
	CircleCI  = "circleci"
	Jenkins   = "jenkins"
	Bitbucket = "bitbucket"
	Buildkite = "buildkite"
	None      = "none"
)

// System is one CI system the binary can run in: how to recognise it and
// how to build the Summary from its variables. Adding a system is one row
// here, its build function and an environment fixture in testdata.
type System struct {
	Name   string
	Detect func(getenv func(string) string) bool
	// Build reads the system's documented variables. It returns the
	// summary without its derived fields and the job's result when the
	// system exposes one (an outcome word, or "" when unknown). Nil for
	// GitHub and none: their summary comes from a GitHub event file.
	Build func(getenv func(string) string) (s *event.Summary, result string)
	// Words maps the system's own result words (lower case) to outcome
	// words, so --status accepts what the system prints as it prints it.
	Words map[string]string
}

// systems in detection order: GitHub Actions first (its runners may carry
// other systems' variables), none last.
var systems = []System{
	{GitHub, func(env func(string) string) bool { return env("GITHUB_ACTIONS") == "true" }, nil, nil},
	{GitLab, func(env func(string) string) bool { return env("GITLAB_CI") != "" }, gitlab, gitlabWords},
	{CircleCI, func(env func(string) string) bool { return env("CIRCLECI") != "" }, circleci, nil},
	{Buildkite, func(env func(string) string) bool { return env("BUILDKITE") != "" }, buildkite, map[string]string{
		// buildkite-agent step get outcome, and build and job states.
		"passed": "success", "failed": "failure", "hard_failed": "failure", "errored": "error",
		"soft_failed": "neutral", "canceling": "cancelled", "blocked": "waiting", "not_run": "skipped",
		"running": "in_progress", "scheduled": "queued", "broken": "failure",
	}},
	{Bitbucket, func(env func(string) string) bool { return env("BITBUCKET_BUILD_NUMBER") != "" }, bitbucket, map[string]string{
		// Pipeline and step states.
		"successful": "success", "failed": "failure", "stopped": "cancelled", "halted": "cancelled",
		"expired": "timed_out", "inprogress": "in_progress",
	}},
	{Jenkins, func(env func(string) string) bool { return env("JENKINS_URL") != "" || env("JENKINS_HOME") != "" }, jenkins, map[string]string{
		// currentBuild.currentResult and currentBuild.result.
		"aborted": "cancelled", "not_built": "skipped",
	}},
	{None, func(func(string) string) bool { return true }, nil, nil},
}

// gitlabWords are GitLab's job and pipeline statuses (CI_JOB_STATUS in
// after_script is one of success, failed, canceled).
var gitlabWords = map[string]string{
	"failed": "failure", "canceling": "cancelled", "manual": "action_required",
	"running": "in_progress", "created": "queued", "scheduled": "queued", "preparing": "queued",
	"waiting_for_resource": "queued",
}

// Outcome returns the outcome word for a result word: one of GitHub's
// (event.OutcomeWords), or one a CI system prints for its jobs and builds
// (Buildkite's hard_failed, GitLab's failed, Jenkins' UNSTABLE, …), in any
// case. No two systems use one word for different outcomes (a test checks).
func Outcome(word string) (string, bool) {
	for _, s := range systems {
		if o := outcomeIn(s.Words, word); o != "" {
			return o, true
		}
	}
	return "", false
}

// outcomeIn returns the outcome word for word in GitHub's vocabulary or in
// words ("" when neither knows it).
func outcomeIn(words map[string]string, word string) string {
	if w, ok := event.NormaliseOutcome(word); ok {
		return w
	}
	return words[strings.ToLower(strings.TrimSpace(word))]
}

// NativeWords lists, per system with words of its own, the result words
// Outcome accepts beyond GitHub's, for help and errors.
func NativeWords() []string {
	var out []string
	for _, s := range systems {
		if len(s.Words) > 0 {
			out = append(out, s.Name+": "+strings.Join(slices.Sorted(maps.Keys(s.Words)), ", "))
		}
	}
	return out
}

// Names lists the accepted --ci values.
var Names = func() []string {
	names := make([]string, len(systems))
	for i, s := range systems {
		names[i] = s.Name
	}
	return names
}()

// Detect names the CI system the process runs in, from the variables each
// one documents; "none" when none matches.
func Detect(getenv func(string) string) string {
	for _, s := range systems {
		if s.Detect(getenv) {
			return s.Name
		}
	}
	return None
}

// Options say where a run's summary comes from.
type Options struct {
	CI        string // a name of Names; "" detects it
	Getenv    func(string) string
	EventName string // a GitHub event name and payload: with a path, the
	EventPath string // event file is read whatever the CI system
	Status    string // the status input
}

// Source is where the summary came from.
type Source struct {
	System string // the CI system (a name of Names)
	// GitHubRun: the summary describes a GitHub Actions run, so the GitHub
	// API can add its jobs and previous run.
	GitHubRun bool
}

// Load decides once where the summary comes from and builds it: a GitHub
// event file under GitHub Actions, with no CI, or when an event path is
// given; otherwise the detected (or named) system's variables. Notes are
// the event reader's (see event.Load).
func Load(opts Options) (*event.Summary, []event.Note, Source, error) {
	src := Source{System: cmp.Or(opts.CI, Detect(opts.Getenv))}
	i := slices.IndexFunc(systems, func(s System) bool { return s.Name == src.System })
	if i < 0 {
		return nil, nil, src, fmt.Errorf("unknown CI system %q (known: %s)", src.System, strings.Join(Names, ", "))
	}
	if build := systems[i].Build; build != nil && opts.EventPath == "" {
		s, result := build(opts.Getenv)
		s.Payload = map[string]any{}
		s.Complete()
		s.SetOutcome(cmp.Or(opts.Status, result))
		return s, nil, src, nil
	}
	src.GitHubRun = src.System == GitHub || src.System == None
	s, notes, err := event.Load(event.Options{
		Getenv: opts.Getenv, EventName: opts.EventName, EventPath: opts.EventPath, Status: opts.Status,
	})
	return s, notes, src, err
}

// gitlabSources are GitLab's pipeline sources (CI_PIPELINE_SOURCE) that
// have a GitHub event of the same meaning; any other (web, api, trigger,
// pipeline, chat…) is a build with no event.
var gitlabSources = map[string]string{"push": "push", "schedule": "schedule", "merge_request_event": "pull_request"}

func gitlab(env func(string) string) (*event.Summary, string) {
	s := &event.Summary{
		Repo:      env("CI_PROJECT_PATH"),
		RepoURL:   env("CI_PROJECT_URL"),
		ServerURL: env("CI_SERVER_URL"),
		Workflow:  "Pipeline",
		Job:       env("CI_JOB_NAME"),
		RunID:     num(env("CI_PIPELINE_ID")),
		RunNumber: num(env("CI_PIPELINE_IID")),
		RunURL:    env("CI_PIPELINE_URL"),
		Actor:     env("GITLAB_USER_LOGIN"),
		Branch:    cmp.Or(env("CI_COMMIT_BRANCH"), env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")),
		Tag:       env("CI_COMMIT_TAG"),
		SHA:       env("CI_COMMIT_SHA"),
		Commit: event.Commit{
			Title:   env("CI_COMMIT_TITLE"),
			Message: env("CI_COMMIT_MESSAGE"),
			Author:  authorName(env("CI_COMMIT_AUTHOR")),
		},
	}
	s.Event = gitlabSources[env("CI_PIPELINE_SOURCE")]
	if iid := env("CI_MERGE_REQUEST_IID"); iid != "" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{
			Name:   "MR !" + iid,
			Number: int(num(iid)),
			Title:  env("CI_MERGE_REQUEST_TITLE"),
			URL:    cmp.Or(env("CI_MERGE_REQUEST_PROJECT_URL"), s.RepoURL) + "/-/merge_requests/" + iid,
			Author: s.Actor,
			Base:   env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
			Head:   env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
			Draft:  env("CI_MERGE_REQUEST_DRAFT") == "true",
		}
	}
	if s.RepoURL != "" && s.SHA != "" {
		s.Commit.URL = s.RepoURL + "/-/commit/" + s.SHA
	}
	// CI_JOB_STATUS is set in after_script: success, failed or canceled.
	return s, outcomeIn(gitlabWords, env("CI_JOB_STATUS"))
}

func circleci(env func(string) string) (*event.Summary, string) {
	owner, repo := env("CIRCLE_PROJECT_USERNAME"), env("CIRCLE_PROJECT_REPONAME")
	s := &event.Summary{
		Event:     "push",
		Repo:      joinSlug(owner, repo),
		ServerURL: hostOf(env("CIRCLE_REPOSITORY_URL")),
		Workflow:  cmp.Or(env("CIRCLE_WORKFLOW_NAME"), "Workflow"),
		Job:       env("CIRCLE_JOB"),
		RunNumber: num(env("CIRCLE_BUILD_NUM")),
		RunURL:    env("CIRCLE_BUILD_URL"),
		Actor:     env("CIRCLE_USERNAME"),
		Branch:    env("CIRCLE_BRANCH"),
		Tag:       env("CIRCLE_TAG"),
		SHA:       env("CIRCLE_SHA1"),
	}
	s.RunID = s.RunNumber
	s.RepoURL = webURL(env("CIRCLE_REPOSITORY_URL"))
	if pr := cmp.Or(env("CIRCLE_PULL_REQUEST"), firstOf(env("CIRCLE_PULL_REQUESTS"))); pr != "" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{Number: int(num(cmp.Or(env("CIRCLE_PR_NUMBER"), lastSegment(pr)))), URL: pr, Head: s.Branch, Author: s.Actor}
	}
	return s, "" // CircleCI does not expose the job result
}

func jenkins(env func(string) string) (*event.Summary, string) {
	branch := cmp.Or(env("BRANCH_NAME"), strings.TrimPrefix(env("GIT_BRANCH"), "origin/"))
	// A Jenkins build is not a push unless it says so: a change request
	// (CHANGE_ID) is a pull request, anything else a build with no event.
	s := &event.Summary{
		Repo:      slugOf(env("GIT_URL")),
		RepoURL:   webURL(env("GIT_URL")),
		ServerURL: strings.TrimRight(env("JENKINS_URL"), "/"),
		Workflow:  env("JOB_NAME"),
		Job:       env("STAGE_NAME"),
		RunID:     num(env("BUILD_ID")),
		RunNumber: num(env("BUILD_NUMBER")),
		RunURL:    env("BUILD_URL"),
		Actor:     cmp.Or(env("BUILD_USER_ID"), env("CHANGE_AUTHOR")),
		Branch:    branch,
		Tag:       env("TAG_NAME"),
		SHA:       env("GIT_COMMIT"),
	}
	if id := env("CHANGE_ID"); id != "" {
		s.Event = "pull_request"
		s.Branch = env("CHANGE_BRANCH")
		s.PR = event.PullRequest{
			Number: int(num(id)), Title: env("CHANGE_TITLE"), URL: env("CHANGE_URL"),
			Author: env("CHANGE_AUTHOR"), Base: env("CHANGE_TARGET"), Head: env("CHANGE_BRANCH"),
		}
	}
	return s, "" // Jenkins does not expose the build result to the shell
}

func bitbucket(env func(string) string) (*event.Summary, string) {
	origin := env("BITBUCKET_GIT_HTTP_ORIGIN")
	s := &event.Summary{
		Event:     "push",
		Repo:      cmp.Or(env("BITBUCKET_REPO_FULL_NAME"), joinSlug(env("BITBUCKET_WORKSPACE"), env("BITBUCKET_REPO_SLUG"))),
		RepoURL:   strings.TrimSuffix(origin, ".git"),
		ServerURL: hostOf(origin),
		Workflow:  "Pipeline",
		Job:       env("BITBUCKET_STEP_UUID"),
		RunNumber: num(env("BITBUCKET_BUILD_NUMBER")),
		Branch:    env("BITBUCKET_BRANCH"),
		Tag:       env("BITBUCKET_TAG"),
		SHA:       env("BITBUCKET_COMMIT"),
	}
	s.RunID = s.RunNumber
	if s.RepoURL == "" && s.Repo != "" {
		s.RepoURL = "https://bitbucket.org/" + s.Repo
	}
	if s.RepoURL != "" && s.RunNumber > 0 {
		s.RunURL = s.RepoURL + "/pipelines/results/" + strconv.FormatInt(s.RunNumber, 10)
	}
	if id := env("BITBUCKET_PR_ID"); id != "" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{
			Number: int(num(id)), URL: s.RepoURL + "/pull-requests/" + id,
			Base: env("BITBUCKET_PR_DESTINATION_BRANCH"), Head: s.Branch,
		}
	}
	// BITBUCKET_EXIT_CODE is set in after-script.
	return s, fromExitCode(env("BITBUCKET_EXIT_CODE"))
}

// buildkiteSources are Buildkite's build sources (BUILDKITE_SOURCE) that
// have a GitHub event of the same meaning; ui, api and trigger_job are
// builds with no event.
var buildkiteSources = map[string]string{"webhook": "push", "schedule": "schedule"}

func buildkite(env func(string) string) (*event.Summary, string) {
	s := &event.Summary{
		Event:     buildkiteSources[env("BUILDKITE_SOURCE")],
		Repo:      slugOf(env("BUILDKITE_REPO")),
		RepoURL:   webURL(env("BUILDKITE_REPO")),
		ServerURL: hostOf(env("BUILDKITE_REPO")),
		Workflow:  cmp.Or(env("BUILDKITE_PIPELINE_NAME"), env("BUILDKITE_PIPELINE_SLUG")),
		Job:       env("BUILDKITE_LABEL"),
		RunNumber: num(env("BUILDKITE_BUILD_NUMBER")),
		RunURL:    env("BUILDKITE_BUILD_URL"),
		Actor:     cmp.Or(env("BUILDKITE_BUILD_CREATOR"), env("BUILDKITE_BUILD_AUTHOR")),
		Branch:    env("BUILDKITE_BRANCH"),
		Tag:       env("BUILDKITE_TAG"),
		SHA:       env("BUILDKITE_COMMIT"),
		Commit:    event.Commit{Title: event.FirstLine(env("BUILDKITE_MESSAGE")), Message: env("BUILDKITE_MESSAGE"), Author: env("BUILDKITE_BUILD_AUTHOR")},
	}
	s.RunID = s.RunNumber
	if pr := env("BUILDKITE_PULL_REQUEST"); pr != "" && pr != "false" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{
			Number: int(num(pr)), Base: env("BUILDKITE_PULL_REQUEST_BASE_BRANCH"), Head: s.Branch,
			Draft: env("BUILDKITE_PULL_REQUEST_DRAFT") == "true", Author: s.Actor,
		}
		if s.RepoURL != "" {
			s.PR.URL = s.RepoURL + "/pull/" + pr
		}
	}
	return s, fromExitCode(env("BUILDKITE_COMMAND_EXIT_STATUS"))
}

// fromExitCode maps a command's exit status to a status ("" when unset).
func fromExitCode(code string) string {
	switch code {
	case "":
		return ""
	case "0":
		return "success"
	}
	return "failure"
}

func num(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

func firstOf(list string) string {
	first, _, _ := strings.Cut(list, ",")
	return first
}

func lastSegment(u string) string {
	return u[strings.LastIndex(u, "/")+1:]
}

func joinSlug(owner, repo string) string {
	if owner == "" || repo == "" {
		return ""
	}
	return owner + "/" + repo
}

// authorName turns "Name <email>" into "Name".
func authorName(s string) string {
	if i := strings.Index(s, " <"); i > 0 {
		return s[:i]
	}
	return s
}

// webURL turns a clone URL (https://host/o/r.git or git@host:o/r.git) into
// the repository's web address.
func webURL(clone string) string {
	host, slug := splitClone(clone)
	if host == "" || slug == "" {
		return ""
	}
	return "https://" + host + "/" + slug
}

func slugOf(clone string) string { _, slug := splitClone(clone); return slug }

func hostOf(clone string) string {
	host, _ := splitClone(clone)
	if host == "" {
		return ""
	}
	return "https://" + host
}

func splitClone(clone string) (host, slug string) {
	s := strings.TrimSuffix(strings.TrimSpace(clone), ".git")
	switch {
	case strings.HasPrefix(s, "git@"):
		host, slug, _ = strings.Cut(strings.TrimPrefix(s, "git@"), ":")
	case strings.Contains(s, "://"):
		_, rest, _ := strings.Cut(s, "://")
		if i := strings.Index(rest, "@"); i >= 0 && i < strings.Index(rest+"/", "/") {
			rest = rest[i+1:]
		}
		host, slug, _ = strings.Cut(rest, "/")
	}
	return host, strings.Trim(slug, "/")
}
