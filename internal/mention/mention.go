// Package mention decides whom a message addresses: the fixed recipients of
// the to input; the people of a CI message (actor, pull-request author,
// commit author) on a failure; and the people a conversation event
// concerns (the reviewers asked for, the author whose pull request was
// reviewed, everyone @mentioned in a comment, issue or review) — each
// mapped to Chatwork accounts by the mentions input, when mention-on says
// so. It writes the [To:…] line, with Chatwork names when they are known.
package mention

import (
	"regexp"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// The mention-on words.
const (
	OnFailure   = "failure"   // CI people on a failure; conversation people always
	OnAlways    = "always"    // CI people on every message; conversation people always
	OnMentioned = "mentioned" // only the people the event concerns
	OnNever     = "never"     // nobody but the to input
)

// Words are the accepted mention-on values, the default first.
var Words = []string{OnFailure, OnAlways, OnMentioned, OnNever}

// Settings are the validated to, mentions and mention-on inputs.
type Settings struct {
	ToAll  bool
	ToIDs  []int64
	People map[string][]int64 // lower-cased login or "org/team" → account IDs
	On     string             // one of Words
}

// Person is an account a message addresses.
type Person struct {
	ID    int64
	Label string // the GitHub login or @org/team it was found by; "" for the to input
}

// Addressed returns whom a message about sum addresses, in order and each
// account once: the to input first, then the people of the event that the
// mentions input maps and mention-on allows. Bots ([bot] logins) are never
// addressed, and nobody is addressed for what they did themselves (a
// review of one's own pull request, a mention in one's own comment).
func Addressed(s Settings, sum *event.Summary) (toAll bool, people []Person) {
	seen := map[int64]bool{}
	add := func(id int64, label string) {
		if !seen[id] {
			seen[id] = true
			people = append(people, Person{ID: id, Label: label})
		}
	}
	for _, id := range s.ToIDs {
		add(id, "")
	}
	lookup := func(who string) {
		key := strings.ToLower(strings.TrimPrefix(who, "@"))
		if who == "" || strings.HasSuffix(key, "[bot]") {
			return
		}
		label := who
		if strings.Contains(key, "/") {
			label = "@" + strings.TrimPrefix(who, "@")
		}
		for _, id := range s.People[key] {
			add(id, label)
		}
	}
	if s.On == OnAlways || s.On == OnFailure && sum.Outcome == event.ClassFailed {
		for _, login := range []string{sum.Actor, sum.PR.Author, sum.Commit.Author} {
			lookup(login)
		}
	}
	if s.On != OnNever {
		for _, who := range Concerned(sum) {
			lookup(who)
		}
	}
	return s.ToAll, people
}

// Concerned returns the logins (and org/team names) a conversation event
// is meant to reach: the reviewer or team asked for a review, the author of
// a reviewed pull request, and everyone @mentioned in a comment, an opened
// issue or a review — never the person who acted.
func Concerned(sum *event.Summary) []string {
	var who []string
	var by string
	switch sum.Event {
	case "pull_request", "pull_request_target":
		if sum.Action == "review_requested" {
			who = append(who, sum.PR.RequestedReviewer, sum.PR.RequestedTeam) // nobody asks themselves
		}
	case "pull_request_review":
		if sum.Action == "submitted" {
			who = append(who, sum.PR.Author)
			who = append(who, Logins(sum.Review.Body)...)
		}
		by = sum.Review.Author
	case "pull_request_review_comment", "issue_comment":
		if sum.Action == "created" || sum.Action == "edited" {
			who = append(who, Logins(sum.Comment.Body)...)
		}
		by = sum.Comment.Author
	case "issues":
		if sum.Action == "opened" {
			who = append(who, Logins(sum.Issue.Body)...)
		}
		by = sum.Issue.Author
	}
	var out []string
	for _, w := range who {
		if w != "" && !strings.EqualFold(w, by) {
			out = append(out, w)
		}
	}
	return out
}

var (
	// atMention is GitHub's @login or @org/team after a start or a
	// character that cannot be part of an address (so not an e-mail).
	atMention  = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@/-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)`)
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	fenceStart = regexp.MustCompile("^\\s*(```|~~~)")
)

// Logins returns the @mentions of a Markdown text in order, once each,
// leaving out those in code (spans and fenced blocks) and in quoted lines
// ("> …"), and e-mail addresses.
func Logins(md string) []string {
	var out []string
	seen := map[string]bool{}
	inFence := false
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		if fenceStart.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence || strings.HasPrefix(strings.TrimSpace(line), ">") {
			continue
		}
		line = codeSpan.ReplaceAllString(line, " ")
		for _, m := range atMention.FindAllStringSubmatch(line, -1) {
			login := strings.TrimRight(m[1], "-.")
			if k := strings.ToLower(login); !seen[k] {
				seen[k] = true
				out = append(out, login)
			}
		}
	}
	return out
}

// Line writes the addressing line: [toall], then "[To:id] Name" for each
// person, where Name is the account's Chatwork name when names has it,
// else the login or team it was found by ("さん" after a person's name in
// Japanese, as Chatwork's own To button writes it). It is empty when
// nobody is addressed.
func Line(toAll bool, people []Person, names map[int64]string, language string) notation.Markup {
	var parts []notation.Markup
	if toAll {
		parts = append(parts, notation.ToAll)
	}
	for _, p := range people {
		name, known := names[p.ID]
		if !known {
			name = p.Label
		}
		part := notation.To(p.ID)
		if name != "" {
			if language == "ja" && (known || !strings.HasPrefix(name, "@")) {
				name += "さん"
			}
			part += notation.Markup(" " + notation.Neutralise(name))
		}
		parts = append(parts, part)
	}
	return notation.Join(parts, " ")
}
