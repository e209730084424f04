package event

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"
)

// The pull-request family: a pull request changed, was reviewed or
// entered the merge queue.

func fromPullRequest(b *builder, e *github.PullRequestEvent) {
	b.fromPR(e.GetPullRequest())
	b.setRequested(e.GetRequestedReviewer(), e.GetRequestedTeam(), e.GetOrganization(), e.GetRepo())
}

func fromReview(b *builder, e *github.PullRequestReviewEvent) {
	b.fromPR(e.GetPullRequest())
	r := e.GetReview()
	b.Review = Review{State: strings.ToLower(r.GetState()), Author: r.GetUser().GetLogin(), URL: r.GetHTMLURL(), Body: r.GetBody(),
		AuthorAssociation: r.GetAuthorAssociation()}
}

func fromReviewComment(b *builder, e *github.PullRequestReviewCommentEvent) {
	b.fromPR(e.GetPullRequest())
	c := e.GetComment()
	b.Comment = Comment{Author: c.GetUser().GetLogin(), URL: c.GetHTMLURL(), Body: c.GetBody(), AuthorAssociation: c.GetAuthorAssociation()}
}

func fromMergeGroup(b *builder, e *github.MergeGroupEvent) {
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
}

// mergeQueuePR finds the PR number in a merge queue branch:
// refs/heads/gh-readonly-queue/main/pr-104-929f….
var mergeQueuePR = regexp.MustCompile(`/pr-([0-9]+)-[0-9a-f]+$`)

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

// setPRNumber names the pull request an event concerns and links it.
func (b *builder) setPRNumber(n int) {
	b.PR.Number = n
	b.PR.URL = b.repoURL() + "/pull/" + strconv.Itoa(n)
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

// fork returns head's full name when it is another repository than base
// (a fork), else "".
func fork(head, base *github.Repository) string {
	if h := head.GetFullName(); h != "" && !strings.EqualFold(h, base.GetFullName()) {
		return h
	}
	return ""
}
