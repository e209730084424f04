// Package mention decides whom a message addresses: the fixed recipients of
// the to input, and the people of the event (actor, pull-request author,
// commit author) mapped to Chatwork accounts by the mentions input, when
// mention-on says so.
package mention

import (
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Settings are the validated to, mentions and mention-on inputs.
type Settings struct {
	ToAll  bool
	ToIDs  []int64
	People map[string]int64 // lower-cased GitHub login → Chatwork account ID
	On     string           // "failure", "always" or "never"
}

// Line returns the addressing line for the summary: [toall], [To:id] for
// every to ID, then "[To:id] login" for each mapped person ("[To:id]
// loginさん" when the summary's language is ja), each account once. It is
// empty when nobody is addressed.
func Line(s Settings, sum *event.Summary) notation.Markup {
	var parts []notation.Markup
	if s.ToAll {
		parts = append(parts, notation.ToAll)
	}
	seen := map[int64]bool{}
	for _, id := range s.ToIDs {
		if !seen[id] {
			seen[id] = true
			parts = append(parts, notation.To(id))
		}
	}
	if s.On == "always" || s.On == "failure" && sum.Outcome == event.ClassFailed {
		for _, login := range []string{sum.Actor, sum.PR.Author, sum.Commit.Author} {
			id, ok := s.People[strings.ToLower(login)]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			name := notation.Neutralise(login)
			if sum.Language == "ja" {
				name += "さん"
			}
			parts = append(parts, notation.To(id)+notation.Markup(" "+name))
		}
	}
	return notation.Join(parts, " ")
}
