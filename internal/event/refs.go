package event

import (
	"cmp"
	"strings"

	"github.com/google/go-github/v60/github"
)

// The refs family: pushes, branches and tags created or deleted, releases.

func fromPush(b *builder, e *github.PushEvent) {
	if ref := e.GetRef(); ref != "" {
		// The payload names the pushed ref; for a push that deletes a ref
		// the runner's GITHUB_REF is the default branch instead.
		b.Ref, b.RefName, b.Branch, b.Tag = ref, shortRef(ref), "", ""
	}
	b.Push = Push{Created: e.GetCreated(), Deleted: e.GetDeleted(), Forced: e.GetForced(), Commits: len(e.Commits), RefType: "branch"}
	if strings.HasPrefix(e.GetRef(), "refs/tags/") {
		b.Push.RefType = "tag"
	}
	if e.GetDeleted() {
		// Nothing was built: GITHUB_SHA is only the default branch.
		b.SHA = ""
		return
	}
	b.setSHA(e.GetAfter())
	if !e.GetCreated() {
		b.CompareURL = e.GetCompare()
	}
	if hc := e.GetHeadCommit(); hc != nil {
		b.setCommit(hc.GetMessage(), hc.GetURL(), authorName(hc.GetAuthor()))
	}
}

func fromRelease(b *builder, e *github.ReleaseEvent) {
	r := e.GetRelease()
	b.Release = Release{Tag: r.GetTagName(), Name: r.GetName(), URL: r.GetHTMLURL(), Prerelease: r.GetPrerelease(), Notes: r.GetBody()}
	if b.Ref == "" && r.GetTagName() != "" {
		b.setRef("refs/tags/" + r.GetTagName())
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

func (b *builder) setSHA(sha string) {
	if b.SHA == "" && strings.Trim(sha, "0") != "" {
		b.SHA = sha
	}
}

func (b *builder) setCommit(message, url, author string) {
	b.Commit = Commit{Title: FirstLine(message), Message: message, URL: url, Author: author}
}

func authorName(a *github.CommitAuthor) string {
	return cmp.Or(a.GetLogin(), a.GetName())
}

func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/", "refs/"} {
		if strings.HasPrefix(ref, p) {
			return strings.TrimPrefix(ref, p)
		}
	}
	return ref
}
