package event

import "github.com/google/go-github/v60/github"

// The conversation family: issues and comments.

func fromIssues(b *builder, e *github.IssuesEvent) { b.setIssue(e.GetIssue()) }

func fromIssueComment(b *builder, e *github.IssueCommentEvent) {
	b.setIssue(e.GetIssue())
	c := e.GetComment()
	b.Comment = Comment{Author: c.GetUser().GetLogin(), URL: c.GetHTMLURL(), Body: c.GetBody(), AuthorAssociation: c.GetAuthorAssociation()}
}

func (b *builder) setIssue(i *github.Issue) {
	b.Issue = Issue{Number: i.GetNumber(), Title: i.GetTitle(), URL: i.GetHTMLURL(), Author: i.GetUser().GetLogin(), IsPR: i.GetPullRequestLinks() != nil, Body: i.GetBody(),
		AuthorAssociation: i.GetAuthorAssociation()}
}
