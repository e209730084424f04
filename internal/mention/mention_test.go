package mention

import (
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

func TestLine(t *testing.T) {
	t.Parallel()
	people := map[string]int64{"octocat": 1, "mona": 2, "hubot": 3}
	sum := func(status string) *event.Summary {
		s := &event.Summary{Actor: "OctoCat", PR: event.PullRequest{Author: "mona"}, Commit: event.Commit{Author: "octocat"}}
		s.SetOutcome(status)
		return s
	}
	tests := []struct {
		name string
		s    Settings
		sum  *event.Summary
		want notation.Markup
	}{
		{"nobody", Settings{On: "failure"}, sum("failure"), ""},
		{"mapped people on failure", Settings{People: people, On: "failure"}, sum("failure"), "[To:1] OctoCat [To:2] mona"},
		{"not on success", Settings{People: people, On: "failure"}, sum("success"), ""},
		{"always", Settings{People: people, On: "always"}, sum("success"), "[To:1] OctoCat [To:2] mona"},
		{"never, but to still applies", Settings{People: people, On: "never", ToIDs: []int64{9, 9}}, sum("failure"), "[To:9]"},
		{"toall and to first, no repeats", Settings{People: people, On: "always", ToAll: true, ToIDs: []int64{2}}, sum("failure"), "[toall] [To:2] [To:1] OctoCat"},
		{"hostile login", Settings{People: map[string]int64{"x[bot]": 5}, On: "always"}, &event.Summary{Actor: "x[bot]"}, "[To:5] x[bot]"},
	}
	for _, tc := range tests {
		if got := Line(tc.s, tc.sum); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLineInJapaneseAddsSan(t *testing.T) {
	t.Parallel()
	s := &event.Summary{Actor: "octocat", Language: "ja"}
	s.SetOutcome("failure")
	if got := Line(Settings{People: map[string]int64{"octocat": 1}, On: "failure"}, s); got != "[To:1] octocatさん" {
		t.Errorf("got %q", got)
	}
}
