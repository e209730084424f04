// Package mention decides whom a message addresses: the fixed recipients of
// the to input; the people of a CI message (actor, pull-request author,
// commit author) on a failure; and the people a conversation event
// concerns (the reviewers asked for, the author whose pull request was
// reviewed, everyone @mentioned in a comment, issue or review) — each
// mapped to Chatwork accounts by the mentions input, when mention-on says
// so (a review reminder concerns the reviewers it lists). It writes the [To:…] line, with Chatwork names when they are known.
package mention

import (
	"regexp"
	"slices"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// On is when to address the people of the mentions input (mention-on).
type On string

// The mention-on words.
const (
	OnFailure   On = "failure"   // CI people on a failure; conversation people always
	OnAlways    On = "always"    // CI people on every message; conversation people always
	OnMentioned On = "mentioned" // only the people the event concerns
	OnNever     On = "never"     // nobody but the to input
)

// Words are the accepted mention-on values, the default first.
var Words = []On{OnFailure, OnAlways, OnMentioned, OnNever}

// Settings are the validated to, mentions and mention-on inputs.
type Settings struct {
	ToAll  bool
	ToIDs  []int64
	People map[string][]int64 // lower-cased login or "org/team" → account IDs
	On     On                 // one of Words
}

// Person is an account a message addresses.
type Person struct {
	ID    int64
	Label string // the GitHub login or @org/team it was found by; "" for the to input
}

// MaxAddressed caps the accounts one message addresses (the to input and
// everyone the event concerns together): a line of To tags longer than
// that pages more people than a notification should, and a large team
// could push the message past Chatwork's limit.
const MaxAddressed = 100

// Addressed returns whom a message about sum addresses, in order and each
// account once: the to input first, then the people of the event that the
// mentions input maps and mention-on allows, at most MaxAddressed in all;
// dropped counts the accounts left out. Bots ([bot] logins) are never
// addressed, and nobody is addressed for what they did themselves (a
// review of one's own pull request, a mention in one's own comment, a
// team that includes its own author).
func Addressed(s Settings, sum *event.Summary) (toAll bool, people []Person, dropped int) {
	seen := map[int64]bool{}
	add := func(id int64, label string) {
		switch {
		case seen[id]:
		case len(people) >= MaxAddressed:
			dropped++
		default:
			people = append(people, Person{ID: id, Label: label})
		}
		seen[id] = true
	}
	for _, id := range s.ToIDs {
		add(id, "")
	}
	c := concerned(sum)
	for _, id := range s.People[strings.ToLower(c.by)] {
		seen[id] = true // the person who acted: never for their own act
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
			if !strings.EqualFold(login, c.by) || c.by == "" {
				lookup(login)
			}
		}
	}
	if s.On != OnNever {
		for _, who := range c.who {
			lookup(who)
		}
	}
	return s.ToAll, people, dropped
}

// concern is whom a conversation event is meant to reach, and who acted.
type concern struct {
	who []string // logins, and org/team names
	by  string   // the person who acted ("" for CI events)
}

// concerned returns whom a conversation event is meant to reach: the
// reviewer or team asked for a review, the author of a reviewed pull
// request, everyone @mentioned in a comment, an opened issue or a
// review, and every reviewer and team a review reminder waits for — never the person who acted, and a team only when the person
// who mentioned it belongs to the organization (GitHub notifies a team
// for its members' mentions only).
func concerned(sum *event.Summary) concern {
	var c concern
	mentioned := func(body, association string) {
		for _, login := range Logins(body) {
			if !strings.Contains(login, "/") || event.InOrganization(association) {
				c.who = append(c.who, login)
			}
		}
	}
	for _, g := range sum.Reviews.Groups {
		c.who = append(c.who, g.Reviewer) // a review reminder: everyone it waits for
	}
	switch sum.Event {
	case "pull_request", "pull_request_target":
		if sum.Action == "review_requested" {
			c.who = append(c.who, sum.PR.RequestedReviewer, sum.PR.RequestedTeam) // nobody asks themselves
		}
	case "pull_request_review":
		if sum.Action == "submitted" {
			c.who = append(c.who, sum.PR.Author)
			mentioned(sum.Review.Body, sum.Review.AuthorAssociation)
		}
		c.by = sum.Review.Author
	case "pull_request_review_comment", "issue_comment":
		if sum.Action == "created" || sum.Action == "edited" {
			mentioned(sum.Comment.Body, sum.Comment.AuthorAssociation)
		}
		c.by = sum.Comment.Author
	case "issues":
		if sum.Action == "opened" {
			mentioned(sum.Issue.Body, sum.Issue.AuthorAssociation)
		}
		c.by = sum.Issue.Author
	}
	c.who = slices.DeleteFunc(c.who, func(w string) bool { return w == "" || strings.EqualFold(w, c.by) })
	return c
}

var (
	// atMention is GitHub's @login or @org/team after a start or a
	// character that cannot be part of an address (so not an e-mail).
	atMention  = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@/-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)`)
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	fenceStart = regexp.MustCompile("^\\s*(```|~~~)")
	// hidden are the parts of Markdown where GitHub links no mention:
	// HTML comments, <pre> and <code> elements (an unclosed one hides the
	// rest), and link text ([text](url), [text][ref]).
	hidden = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<!--.*?(?:-->|$)`),
		regexp.MustCompile(`(?is)<pre\b.*?(?:</pre\s*>|$)`),
		regexp.MustCompile(`(?is)<code\b.*?(?:</code\s*>|$)`),
		regexp.MustCompile(`\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])`),
	}
)

// maxScanned bounds the text searched for mentions.
const maxScanned = 256 << 10

// Logins returns the @mentions of a Markdown text in order, once each,
// where GitHub would notify them: not in code (spans, fenced and indented
// blocks, <code> and <pre>), quoted lines ("> …"), HTML comments or link
// text, and not e-mail addresses.
func Logins(md string) []string {
	if len(md) > maxScanned {
		md = md[:maxScanned]
	}
	md = strings.ReplaceAll(md, "\r\n", "\n")
	for _, re := range hidden {
		md = re.ReplaceAllString(md, " ")
	}
	var out []string
	seen := map[string]bool{}
	for _, line := range prose(md) {
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

// prose returns the lines of md outside fenced and indented code blocks
// and quotes. An indented line (four spaces or a tab) is code when it
// follows a blank line or another code line.
func prose(md string) []string {
	var out []string
	inFence, inIndented, prevBlank := false, false, true
	for _, line := range strings.Split(md, "\n") {
		blank := strings.TrimSpace(line) == ""
		indented := strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")
		switch {
		case fenceStart.MatchString(line):
			inFence = !inFence
		case inFence:
		case indented && !blank && (prevBlank || inIndented):
			inIndented = true
		case blank:
		default:
			inIndented = false
			if !strings.HasPrefix(strings.TrimSpace(line), ">") {
				out = append(out, line)
			}
		}
		prevBlank = blank
	}
	return out
}

// maxNameBytes bounds a name in the addressing line.
const maxNameBytes = 100

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
			part += notation.Markup(" " + notation.Cut(notation.Neutralise(name), maxNameBytes))
		}
		parts = append(parts, part)
	}
	return notation.Join(parts, " ")
}
