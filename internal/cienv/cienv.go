// Package cienv builds the same neutral Summary that GitHub Actions runs
// get from the documented environment variables of other CI systems
// (GitLab CI, CircleCI, Jenkins, Bitbucket Pipelines, Buildkite), so the
// CLI renders the same templates wherever it runs.
package cienv

import (
	"fmt"
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

// Names lists the accepted --ci values.
var Names = []string{GitHub, GitLab, CircleCI, Jenkins, Bitbucket, Buildkite, None}

// Detect names the CI system the process runs in, from the variables each
// one documents; "none" when none matches.
func Detect(getenv func(string) string) string {
	switch {
	case getenv("GITHUB_ACTIONS") == "true":
		return GitHub
	case getenv("GITLAB_CI") != "":
		return GitLab
	case getenv("CIRCLECI") != "":
		return CircleCI
	case getenv("BUILDKITE") != "":
		return Buildkite
	case getenv("BITBUCKET_BUILD_NUMBER") != "":
		return Bitbucket
	case getenv("JENKINS_URL") != "" || getenv("JENKINS_HOME") != "":
		return Jenkins
	}
	return None
}

// Load builds the Summary for a non-GitHub CI system. status is the status
// input ("" infers it where the system exposes the job result).
func Load(ci string, getenv func(string) string, status string) (*event.Summary, error) {
	var s *event.Summary
	inferred := ""
	switch ci {
	case GitLab:
		s, inferred = gitlab(getenv)
	case CircleCI:
		s = circleci(getenv)
	case Jenkins:
		s = jenkins(getenv)
	case Bitbucket:
		s, inferred = bitbucket(getenv)
	case Buildkite:
		s, inferred = buildkite(getenv)
	default:
		return nil, fmt.Errorf("unknown CI system %q (known: %s)", ci, strings.Join(Names, ", "))
	}
	s.Payload = map[string]any{}
	finish(s, status, inferred)
	return s, nil
}

func gitlab(env func(string) string) (*event.Summary, string) {
	s := &event.Summary{
		Event:     "push",
		Repo:      env("CI_PROJECT_PATH"),
		RepoURL:   env("CI_PROJECT_URL"),
		ServerURL: env("CI_SERVER_URL"),
		Workflow:  "Pipeline",
		Job:       env("CI_JOB_NAME"),
		RunID:     num(env("CI_PIPELINE_ID")),
		RunNumber: num(env("CI_PIPELINE_IID")),
		RunURL:    env("CI_PIPELINE_URL"),
		Actor:     env("GITLAB_USER_LOGIN"),
		Branch:    firstNonEmpty(env("CI_COMMIT_BRANCH"), env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")),
		Tag:       env("CI_COMMIT_TAG"),
		SHA:       env("CI_COMMIT_SHA"),
		Commit: event.Commit{
			Title:   env("CI_COMMIT_TITLE"),
			Message: env("CI_COMMIT_MESSAGE"),
			Author:  authorName(env("CI_COMMIT_AUTHOR")),
		},
	}
	if iid := env("CI_MERGE_REQUEST_IID"); iid != "" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{
			Number: int(num(iid)),
			Title:  env("CI_MERGE_REQUEST_TITLE"),
			URL:    firstNonEmpty(env("CI_MERGE_REQUEST_PROJECT_URL"), s.RepoURL) + "/-/merge_requests/" + iid,
			Author: s.Actor,
			Base:   env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
			Head:   env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
			Draft:  env("CI_MERGE_REQUEST_DRAFT") == "true",
		}
	}
	if env("CI_PIPELINE_SOURCE") == "schedule" {
		s.Event = "schedule"
	}
	if s.RepoURL != "" && s.SHA != "" {
		s.Commit.URL = s.RepoURL + "/-/commit/" + s.SHA
	}
	// CI_JOB_STATUS is set in after_script: success, failed or canceled.
	return s, map[string]string{"success": "success", "failed": "failure", "canceled": "cancelled"}[env("CI_JOB_STATUS")]
}

func circleci(env func(string) string) *event.Summary {
	owner, repo := env("CIRCLE_PROJECT_USERNAME"), env("CIRCLE_PROJECT_REPONAME")
	s := &event.Summary{
		Event:     "push",
		Repo:      joinSlug(owner, repo),
		ServerURL: hostOf(env("CIRCLE_REPOSITORY_URL")),
		Workflow:  firstNonEmpty(env("CIRCLE_WORKFLOW_NAME"), "Workflow"),
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
	if pr := firstNonEmpty(env("CIRCLE_PULL_REQUEST"), firstOf(env("CIRCLE_PULL_REQUESTS"))); pr != "" {
		s.Event = "pull_request"
		s.PR = event.PullRequest{Number: int(num(firstNonEmpty(env("CIRCLE_PR_NUMBER"), lastSegment(pr)))), URL: pr, Head: s.Branch, Author: s.Actor}
	}
	return s
}

func jenkins(env func(string) string) *event.Summary {
	branch := firstNonEmpty(env("BRANCH_NAME"), strings.TrimPrefix(env("GIT_BRANCH"), "origin/"))
	s := &event.Summary{
		Event:     "push",
		Repo:      slugOf(env("GIT_URL")),
		RepoURL:   webURL(env("GIT_URL")),
		ServerURL: strings.TrimRight(env("JENKINS_URL"), "/"),
		Workflow:  env("JOB_NAME"),
		Job:       env("STAGE_NAME"),
		RunID:     num(env("BUILD_ID")),
		RunNumber: num(env("BUILD_NUMBER")),
		RunURL:    env("BUILD_URL"),
		Actor:     firstNonEmpty(env("BUILD_USER_ID"), env("CHANGE_AUTHOR")),
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
	return s
}

func bitbucket(env func(string) string) (*event.Summary, string) {
	origin := env("BITBUCKET_GIT_HTTP_ORIGIN")
	s := &event.Summary{
		Event:     "push",
		Repo:      firstNonEmpty(env("BITBUCKET_REPO_FULL_NAME"), joinSlug(env("BITBUCKET_WORKSPACE"), env("BITBUCKET_REPO_SLUG"))),
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

func buildkite(env func(string) string) (*event.Summary, string) {
	s := &event.Summary{
		Event:     "push",
		Repo:      slugOf(env("BUILDKITE_REPO")),
		RepoURL:   webURL(env("BUILDKITE_REPO")),
		ServerURL: hostOf(env("BUILDKITE_REPO")),
		Workflow:  firstNonEmpty(env("BUILDKITE_PIPELINE_NAME"), env("BUILDKITE_PIPELINE_SLUG")),
		Job:       env("BUILDKITE_LABEL"),
		RunNumber: num(env("BUILDKITE_BUILD_NUMBER")),
		RunURL:    env("BUILDKITE_BUILD_URL"),
		Actor:     firstNonEmpty(env("BUILDKITE_BUILD_CREATOR"), env("BUILDKITE_BUILD_AUTHOR")),
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

// finish fills the derived fields as event.Load does for GitHub.
func finish(s *event.Summary, status, inferred string) {
	switch {
	case s.Tag != "":
		s.Ref, s.RefName = "refs/tags/"+s.Tag, s.Tag
	case s.Branch != "":
		s.Ref, s.RefName = "refs/heads/"+s.Branch, s.Branch
	}
	s.ShortSHA = s.SHA
	if len(s.ShortSHA) > 7 {
		s.ShortSHA = s.ShortSHA[:7]
	}
	if s.Commit.Title == "" {
		s.Commit.Title = event.FirstLine(s.Commit.Message)
	}
	s.SetOutcome(firstNonEmpty(status, inferred))
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

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
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
