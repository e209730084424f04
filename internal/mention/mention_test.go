package mention

import (
	"slices"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

func line(s Settings, sum *event.Summary) notation.Markup {
	toAll, people, _ := Addressed(s, sum)
	return Line(toAll, people, nil, sum.Language)
}

func TestCIPeople(t *testing.T) {
	t.Parallel()
	people := map[string][]int64{"octocat": {1}, "mona": {2}, "hubot": {3}, "dependabot[bot]": {4}}
	sum := func(status string) *event.Summary {
		s := &event.Summary{Event: "push", Actor: "OctoCat", PR: event.PullRequest{Author: "mona"}, Commit: event.Commit{Author: "octocat"}}
		s.SetOutcome(status)
		return s
	}
	tests := []struct {
		name string
		s    Settings
		sum  *event.Summary
		want notation.Markup
	}{
		{"nobody", Settings{On: OnFailure}, sum("failure"), ""},
		{"mapped people on failure", Settings{People: people, On: OnFailure}, sum("failure"), "[To:1] OctoCat [To:2] mona"},
		{"not on success", Settings{People: people, On: OnFailure}, sum("success"), ""},
		{"always", Settings{People: people, On: OnAlways}, sum("success"), "[To:1] OctoCat [To:2] mona"},
		{"mentioned: not the CI people", Settings{People: people, On: OnMentioned}, sum("failure"), ""},
		{"never, but to still applies", Settings{People: people, On: OnNever, ToIDs: []int64{9, 9}}, sum("failure"), "[To:9]"},
		{"toall and to first, no repeats", Settings{People: people, On: OnAlways, ToAll: true, ToIDs: []int64{2}}, sum("failure"), "[toall] [To:2] [To:1] OctoCat"},
		{"bots are never addressed", Settings{People: people, On: OnAlways}, &event.Summary{Actor: "dependabot[bot]"}, ""},
	}
	for _, tc := range tests {
		if got := line(tc.s, tc.sum); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestConversationPeople: whom each conversation event concerns, mapped
// through mentions (teams expand), never the person who acted.
func TestConversationPeople(t *testing.T) {
	t.Parallel()
	people := map[string][]int64{"octocat": {1}, "codertocat": {2}, "octo-org/reviewers": {3, 4, 1}, "mona": {5}}
	tests := []struct {
		name string
		sum  event.Summary
		on   On
		want notation.Markup
	}{
		{"review requested from a user", event.Summary{Event: "pull_request", Action: "review_requested", Actor: "codertocat", PR: event.PullRequest{RequestedReviewer: "octocat"}}, OnFailure, "[To:1] octocat"},
		{"review requested from a team", event.Summary{Event: "pull_request", Action: "review_requested", Actor: "codertocat", PR: event.PullRequest{RequestedTeam: "Octo-Org/reviewers"}}, OnFailure, "[To:3] @Octo-Org/reviewers [To:4] @Octo-Org/reviewers [To:1] @Octo-Org/reviewers"},
		{"review submitted: the author", event.Summary{Event: "pull_request_review", Action: "submitted", PR: event.PullRequest{Author: "Codertocat"}, Review: event.Review{Author: "octocat", Body: "ask @mona"}}, OnFailure, "[To:2] Codertocat [To:5] mona"},
		{"a review of one's own pull request", event.Summary{Event: "pull_request_review", Action: "submitted", PR: event.PullRequest{Author: "codertocat"}, Review: event.Review{Author: "Codertocat"}}, OnFailure, ""},
		{"comment mentions", event.Summary{Event: "issue_comment", Action: "created", Comment: event.Comment{Author: "mona", Body: "@octocat and @mona (me) and `@codertocat` and x@octocat.com\n> @codertocat\n@unknown"}}, OnFailure, "[To:1] octocat"},
		{"review comment by a member", event.Summary{Event: "pull_request_review_comment", Action: "created", Comment: event.Comment{Author: "x", AuthorAssociation: "MEMBER", Body: "@octo-org/reviewers please"}}, OnFailure, "[To:3] @octo-org/reviewers [To:4] @octo-org/reviewers [To:1] @octo-org/reviewers"},
		{"a team mention from outside the organization", event.Summary{Event: "issue_comment", Action: "created", Comment: event.Comment{Author: "x", AuthorAssociation: "CONTRIBUTOR", Body: "@octo-org/reviewers and @mona please"}}, OnFailure, "[To:5] mona"},
		{"a team mention does not address its author", event.Summary{Event: "issue_comment", Action: "created", Comment: event.Comment{Author: "octocat", AuthorAssociation: "OWNER", Body: "@octo-org/reviewers"}}, OnFailure, "[To:3] @octo-org/reviewers [To:4] @octo-org/reviewers"},
		{"issue opened", event.Summary{Event: "issues", Action: "opened", Issue: event.Issue{Author: "x", Body: "cc @Codertocat"}}, OnFailure, "[To:2] Codertocat"},
		{"issue closed is not a conversation", event.Summary{Event: "issues", Action: "closed", Issue: event.Issue{Author: "x", Body: "cc @Codertocat"}}, OnAlways, ""},
		{"never", event.Summary{Event: "issues", Action: "opened", Issue: event.Issue{Author: "x", Body: "cc @Codertocat"}}, OnNever, ""},
		{"mentioned", event.Summary{Event: "issues", Action: "opened", Issue: event.Issue{Author: "x", Body: "cc @Codertocat"}}, OnMentioned, "[To:2] Codertocat"},
	}
	for _, tc := range tests {
		if got := line(Settings{People: people, On: tc.on}, &tc.sum); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLogins(t *testing.T) {
	t.Parallel()
	md := "Hi @octocat, @Mona-Lisa. cc @octo-org/team-a!\n" +
		"mail me@example.com or @hubot; not `@code` nor ``@code2``\n" +
		"```\n@fenced\n```\n" +
		"> @quoted said\n  > @quoted2\n" +
		"trailing @dash- and again @octocat and (@paren)\n" +
		"\n    @indented code\n\t@tabbed code\n\n" +
		"<code>@html-code</code> <pre>\n@pre\n</pre> <!-- @commented\nover lines --> [see @linked](https://x) [@ref][1]\n" +
		"after them @last"
	want := []string{"octocat", "Mona-Lisa", "octo-org/team-a", "hubot", "dash", "paren", "last"}
	if got := Logins(md); !slices.Equal(got, want) {
		t.Errorf("Logins = %q, want %q", got, want)
	}
}

func TestLineWithNames(t *testing.T) {
	t.Parallel()
	people := []Person{{ID: 1, Label: "octocat"}, {ID: 2, Label: ""}, {ID: 3, Label: "@org/team"}, {ID: 4, Label: "mona"}}
	names := map[int64]string{1: "佐藤 太郎", 2: "Suzuki [toall]"}
	if got := Line(true, people, names, "ja"); got != "[toall] [To:1] 佐藤 太郎さん [To:2] Suzuki ［toall］さん [To:3] @org/team [To:4] monaさん" {
		t.Errorf("ja: %q", got)
	}
	if got := Line(false, people, names, "en"); got != "[To:1] 佐藤 太郎 [To:2] Suzuki ［toall］ [To:3] @org/team [To:4] mona" {
		t.Errorf("en: %q", got)
	}
}

// TestAddressedIsCapped: a huge team addresses at most MaxAddressed
// accounts, and the rest are counted.
func TestAddressedIsCapped(t *testing.T) {
	t.Parallel()
	team := make([]int64, 150)
	for i := range team {
		team[i] = int64(1000 + i)
	}
	sum := &event.Summary{Event: "issue_comment", Action: "created", Comment: event.Comment{Author: "x", AuthorAssociation: "MEMBER", Body: "@org/everyone"}}
	_, people, dropped := Addressed(Settings{ToIDs: []int64{7}, People: map[string][]int64{"org/everyone": team}, On: OnFailure}, sum)
	if len(people) != MaxAddressed || dropped != 51 || people[0].ID != 7 {
		t.Errorf("%d people (first %d), %d dropped", len(people), people[0].ID, dropped)
	}
	if line := Line(false, people, map[int64]string{1000: strings.Repeat("長い名前", 100)}, "ja"); len(line) > MaxAddressed*(len("[To:1000] ")+maxNameBytes+len("さん ")) {
		t.Errorf("line of %d bytes", len(line))
	}
}
