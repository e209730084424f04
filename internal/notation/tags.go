package notation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// tagNames are the names Chatwork's notation reads after "[" (or "[/"):
// the official tags and those seen in bodies Chatwork generates
// (Chatwork's message-notation page and bodies seen in real rooms).
// Matching ignores case.
var tagNames = []string{
	"to", "toall", "rp", "qt", "qtmeta", "info", "title", "hr", "code", "picon", "piconname", "pname",
	"preview", "download", "task", "dtext", "deleted", "url",
}

// maxTagName is the length of the longest tag name; tagInitials holds the
// first letters of the tag names in both cases (a quick filter).
var maxTagName, tagInitials = func() (int, string) {
	n, initials := 0, ""
	for _, name := range tagNames {
		n = max(n, len(name))
		if c := name[:1]; !strings.Contains(initials, c) {
			initials += c + strings.ToUpper(c)
		}
	}
	return n, initials
}()

// afterOpen returns what follows a "[" at s[i] once the white space and
// an optional "/" that Chatwork tolerates are skipped.
func afterOpen(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if rest, ok := strings.CutPrefix(s, "/"); ok {
		s = strings.TrimLeftFunc(rest, unicode.IsSpace)
	}
	return s
}

// startsTag reports whether s (the text after a "[" or before a "]")
// begins with a tag name that ends there: at the end of s, or at a
// character that is not a letter or digit ("[To:", "[rp aid", "[info]").
func startsTag(s string) bool {
	s = afterOpen(s)
	if s == "" || !strings.ContainsRune(tagInitials, rune(s[0])) {
		return false // no tag name starts with that
	}
	for _, name := range tagNames {
		if len(s) < len(name) || !strings.EqualFold(s[:len(name)], name) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[len(name):])
		if len(s) == len(name) || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// couldBeTagStart reports whether the rest of a string after "[" could be
// the start of a tag once more text follows it: all of it is a prefix of a
// tag name ("[to" at the end of a value, "[" alone).
func couldBeTagStart(rest string) bool {
	rest = afterOpen(rest)
	if len(rest) > maxTagName || strings.ContainsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return false
	}
	for _, name := range tagNames {
		if len(rest) <= len(name) && strings.EqualFold(name[:len(rest)], rest) {
			return true
		}
	}
	return false
}

// liveOpen reports whether a "[" followed by rest could take part in a
// Chatwork tag, alone or joined with text placed after it: it starts a
// tag, or rest could be the start of one once more text follows. (A "]"
// is live when it closes a neutralised "[", or when the text holding it
// begins like a tag body and so could close a "[" placed before it.)
func liveOpen(rest string) bool {
	return startsTag(rest) || couldBeTagStart(rest) && !strings.Contains(rest, "]")
}

// LiveTags returns the openings of what Chatwork's notation reads as tags
// in s: "[" (white space and "/" allowed) a tag name ending at a
// non-letter, with a "]" after it; each as "[" and the text up to the end
// of the name ("[info", "[/title", "[To"). It is the model that Neutralise
// is checked against.
func LiveTags(s string) []string {
	var tags []string
	for i := 0; i < len(s); i++ {
		if s[i] != '[' || !startsTag(s[i+1:]) || !strings.Contains(s[i+1:], "]") {
			continue
		}
		rest := afterOpen(s[i+1:])
		end := len(s) - len(rest)
		for _, name := range tagNames {
			if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) && startsTag(rest[:len(name)]) {
				end = max(end, len(s)-len(rest)+len(name))
			}
		}
		tags = append(tags, strings.Join(strings.Fields(s[i:end]), ""))
	}
	return tags
}

// hasTag reports whether s holds a live tag (see LiveTags).
func hasTag(s string) bool { return len(LiveTags(s)) > 0 }

// Cut keeps at most n bytes of s, already neutralised, on a rune boundary,
// ending in "…" when it cut. Cutting can leave a "[" that now ends the
// text, or is followed by a tag name and "…" ("[to…"); that fragment is
// cut off too, so the result is as safe as s.
func Cut(s string, n int) string {
	cut := text.Cut(s, n)
	if cut == s || cut == "" {
		return cut
	}
	head := strings.TrimSuffix(cut, text.Ellipsis)
	// Find the "[" that only white space, "/" and letters separate from
	// the cut.
	i := len(head)
	for i > 0 && len(head)-i < 64 {
		r, size := utf8.DecodeLastRuneInString(head[:i])
		if !unicode.IsLetter(r) && !unicode.IsSpace(r) && r != '/' {
			break
		}
		i -= size
	}
	if i > 0 && head[i-1] == '[' && liveOpen(head[i:]+text.Ellipsis) {
		return head[:i-1] + text.Ellipsis
	}
	return cut
}

// Bare guards a value that a template prints right after a "[" of its
// own ("[{{ .PR.Head }}]"): when the value begins with a tag name that
// ends there, at a ":" or at white space ("toall", "/info", "To:123", "rp
// aid=1 …"), it would complete a live tag, so the first letter of the
// name becomes its full-width form ("ｔoall"), which reads the same. Other
// values ("info-page", "main") stay as typed.
func Bare(s string) string {
	t := afterOpen(s)
	if t == "" || !strings.ContainsRune(tagInitials, rune(t[0])) {
		return s
	}
	for _, name := range tagNames {
		if len(t) < len(name) || !strings.EqualFold(t[:len(name)], name) {
			continue
		}
		if rest := t[len(name):]; rest == "" || rest[0] == ':' || rest[0] == ' ' || rest[0] == '\t' {
			i := len(s) - len(t)
			return s[:i] + string(rune(0xFF01-0x21+rune(t[0]))) + s[i+1:]
		}
	}
	return s
}
