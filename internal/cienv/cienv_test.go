package cienv

import (
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Environments as each system documents them (values invented).
var environments = map[string]map[string]string{
	GitLab: {
		"GITLAB_CI": "true", "CI_PROJECT_PATH": "group/app", "CI_PROJECT_URL": "https://gitlab.example.com/group/app",
		"CI_SERVER_URL": "https://gitlab.example.com", "CI_JOB_NAME": "test", "CI_PIPELINE_ID": "9001", "CI_PIPELINE_IID": "42",
		"CI_PIPELINE_URL": "https://gitlab.example.com/group/app/-/pipelines/9001", "GITLAB_USER_LOGIN": "alice",
		"CI_COMMIT_SHA": "0123456789abcdef0123", "CI_COMMIT_TITLE": "Fix [toall] parser", "CI_COMMIT_MESSAGE": "Fix [toall] parser\n\nbody",
		"CI_COMMIT_AUTHOR": "Alice <alice@example.com>", "CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_TITLE": "Parser fix",
		"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "fix", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_JOB_STATUS": "failed",
		"CI_MERGE_REQUEST_PROJECT_URL": "https://gitlab.example.com/group/app",
	},
	CircleCI: {
		"CIRCLECI": "true", "CIRCLE_PROJECT_USERNAME": "octo", "CIRCLE_PROJECT_REPONAME": "app", "CIRCLE_JOB": "build",
		"CIRCLE_BUILD_NUM": "314", "CIRCLE_BUILD_URL": "https://circleci.com/gh/octo/app/314", "CIRCLE_USERNAME": "bob",
		"CIRCLE_BRANCH": "feature", "CIRCLE_SHA1": "abcdef0123456789", "CIRCLE_REPOSITORY_URL": "git@github.com:octo/app.git",
		"CIRCLE_PULL_REQUEST": "https://github.com/octo/app/pull/12",
	},
	Jenkins: {
		"JENKINS_URL": "https://ci.example.com/", "BUILD_URL": "https://ci.example.com/job/app/55/", "BUILD_NUMBER": "55",
		"BUILD_ID": "55", "JOB_NAME": "app/PR-3", "GIT_COMMIT": "fedcba9876543210", "BRANCH_NAME": "PR-3",
		"GIT_URL": "https://github.com/octo/app.git", "CHANGE_ID": "3", "CHANGE_URL": "https://github.com/octo/app/pull/3",
		"CHANGE_TITLE": "Add thing", "CHANGE_AUTHOR": "carol", "CHANGE_TARGET": "main", "CHANGE_BRANCH": "thing",
	},
	Bitbucket: {
		"BITBUCKET_BUILD_NUMBER": "77", "BITBUCKET_REPO_FULL_NAME": "team/app", "BITBUCKET_GIT_HTTP_ORIGIN": "http://bitbucket.org/team/app",
		"BITBUCKET_COMMIT": "1111111222222233333", "BITBUCKET_BRANCH": "main", "BITBUCKET_EXIT_CODE": "0",
	},
	Buildkite: {
		"BUILDKITE": "true", "BUILDKITE_REPO": "git@github.com:octo/app.git", "BUILDKITE_PIPELINE_SLUG": "app",
		"BUILDKITE_LABEL": ":go: test", "BUILDKITE_BUILD_NUMBER": "88", "BUILDKITE_BUILD_URL": "https://buildkite.com/octo/app/builds/88",
		"BUILDKITE_BUILD_CREATOR": "dave", "BUILDKITE_BRANCH": "main", "BUILDKITE_TAG": "v1.2.0", "BUILDKITE_COMMIT": "9999999888888877",
		"BUILDKITE_MESSAGE": "Release 1.2\n\nnotes", "BUILDKITE_PULL_REQUEST": "false", "BUILDKITE_COMMAND_EXIT_STATUS": "1",
	},
}

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDetect(t *testing.T) {
	for name, env := range environments {
		if got := Detect(getenv(env)); got != name {
			t.Errorf("Detect(%s env) = %s", name, got)
		}
	}
	if got := Detect(getenv(map[string]string{"GITHUB_ACTIONS": "true", "GITLAB_CI": "true"})); got != GitHub {
		t.Errorf("GitHub Actions wins: %s", got)
	}
	if got := Detect(getenv(nil)); got != None {
		t.Errorf("no CI: %s", got)
	}
}

func TestLoad(t *testing.T) {
	want := map[string]event.Summary{
		GitLab: {Event: "pull_request", Status: "failure", Outcome: event.ClassFailed, Repo: "group/app", RepoURL: "https://gitlab.example.com/group/app",
			ServerURL: "https://gitlab.example.com", Workflow: "Pipeline", Job: "test", RunID: 9001, RunNumber: 42,
			RunURL: "https://gitlab.example.com/group/app/-/pipelines/9001", Actor: "alice", Ref: "refs/heads/fix", RefName: "fix", Branch: "fix",
			SHA: "0123456789abcdef0123", ShortSHA: "0123456",
			Commit: event.Commit{Title: "Fix [toall] parser", Message: "Fix [toall] parser\n\nbody", Author: "Alice", URL: "https://gitlab.example.com/group/app/-/commit/0123456789abcdef0123"},
			PR:     event.PullRequest{Number: 7, Title: "Parser fix", URL: "https://gitlab.example.com/group/app/-/merge_requests/7", Author: "alice", Base: "main", Head: "fix"}},
		CircleCI: {Event: "pull_request", Status: "", Repo: "octo/app", RepoURL: "https://github.com/octo/app", ServerURL: "https://github.com",
			Workflow: "Workflow", Job: "build", RunID: 314, RunNumber: 314, RunURL: "https://circleci.com/gh/octo/app/314", Actor: "bob",
			Ref: "refs/heads/feature", RefName: "feature", Branch: "feature", SHA: "abcdef0123456789", ShortSHA: "abcdef0",
			PR: event.PullRequest{Number: 12, URL: "https://github.com/octo/app/pull/12", Head: "feature", Author: "bob"}},
		Jenkins: {Event: "pull_request", Status: "", Repo: "octo/app", RepoURL: "https://github.com/octo/app", ServerURL: "https://ci.example.com",
			Workflow: "app/PR-3", RunID: 55, RunNumber: 55, RunURL: "https://ci.example.com/job/app/55/", Actor: "carol",
			Ref: "refs/heads/thing", RefName: "thing", Branch: "thing", SHA: "fedcba9876543210", ShortSHA: "fedcba9",
			PR: event.PullRequest{Number: 3, Title: "Add thing", URL: "https://github.com/octo/app/pull/3", Author: "carol", Base: "main", Head: "thing"}},
		Bitbucket: {Event: "push", Status: "success", Outcome: event.ClassSucceeded, Repo: "team/app", RepoURL: "http://bitbucket.org/team/app", ServerURL: "https://bitbucket.org",
			Workflow: "Pipeline", RunID: 77, RunNumber: 77, RunURL: "http://bitbucket.org/team/app/pipelines/results/77",
			Ref: "refs/heads/main", RefName: "main", Branch: "main", SHA: "1111111222222233333", ShortSHA: "1111111"},
		Buildkite: {Event: "push", Status: "failure", Outcome: event.ClassFailed, Repo: "octo/app", RepoURL: "https://github.com/octo/app", ServerURL: "https://github.com",
			Workflow: "app", Job: ":go: test", RunID: 88, RunNumber: 88, RunURL: "https://buildkite.com/octo/app/builds/88", Actor: "dave",
			Ref: "refs/tags/v1.2.0", RefName: "v1.2.0", Branch: "main", Tag: "v1.2.0", SHA: "9999999888888877", ShortSHA: "9999999",
			Commit: event.Commit{Title: "Release 1.2", Message: "Release 1.2\n\nnotes"}},
	}
	for name, env := range environments {
		t.Run(name, func(t *testing.T) {
			got, err := Load(name, getenv(env), "")
			if err != nil {
				t.Fatal(err)
			}
			w := want[name]
			if diff := cmp.Diff(w, *got, cmpopts.IgnoreFields(event.Summary{}, "StatusIcon", "Payload")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.StatusIcon != got.Outcome.Icon() || got.Payload == nil {
				t.Errorf("icon %q payload %v", got.StatusIcon, got.Payload)
			}
		})
	}
}

func TestStatusInputWins(t *testing.T) {
	s, _ := Load(GitLab, getenv(environments[GitLab]), "Success")
	if s.Status != "success" {
		t.Errorf("status %s", s.Status)
	}
	if _, err := Load("travis", getenv(nil), ""); err == nil {
		t.Error("unknown CI accepted")
	}
}

func TestCloneURLs(t *testing.T) {
	for in, want := range map[string][2]string{
		"git@github.com:octo/app.git":            {"https://github.com/octo/app", "octo/app"},
		"https://github.com/octo/app.git":        {"https://github.com/octo/app", "octo/app"},
		"https://user:pw@gitlab.com/g/sub/r.git": {"https://gitlab.com/g/sub/r", "g/sub/r"},
		"ssh://git@bitbucket.org/team/app.git":   {"https://bitbucket.org/team/app", "team/app"},
		"":                                       {"", ""},
		"not a url":                              {"", ""},
	} {
		if got := [2]string{webURL(in), slugOf(in)}; got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}
