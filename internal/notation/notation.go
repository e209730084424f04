// Package notation owns Chatwork's message notation on the safe side:
// neutralising untrusted text so it cannot form tags, and building the few
// tags the action itself writes ([To:id], [toall]) as trusted Markup.
package notation

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Markup is Chatwork notation built by the action from validated values. The
// renderer leaves Markup live; every other string a template sees is
// neutralised.
type Markup string

// To addresses one account: [To:id].
func To(id int64) Markup { return Markup("[To:" + strconv.FormatInt(id, 10) + "]") }

// ToAll addresses the whole room.
const ToAll Markup = "[toall]"

// Join joins markup pieces with sep (plain text, neutralised).
func Join(parts []Markup, sep string) Markup {
	ss := make([]string, len(parts))
	for i, p := range parts {
		ss[i] = string(p)
	}
	return Markup(strings.Join(ss, Neutralise(sep)))
}

// Neutralise makes untrusted text safe to place in a Chatwork message while
// it still reads the same to a person:
//   - a square bracket that could take part in a Chatwork tag becomes a
//     full-width bracket (［ ］): one that opens a tag name ([toall], [To:1],
//     [/info], [ code ], [rp …], any case), a "[" left open at the end of
//     the text, and a "]" that could close a tag opened before the text
//     ("toall]"); every other bracket stays as typed (dependabot[bot],
//     [WIP], [skip ci]);
//   - CRLF and lone CR become LF;
//   - control characters other than LF and TAB, and the Unicode
//     bidirectional overrides that can make text display differently from
//     what it says, are dropped.
func Neutralise(s string) string {
	if isPlain(s) {
		return s
	}
	s = clean(s)
	if !strings.ContainsAny(s, "[]") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	open := false // the last "[" was neutralised and is not closed yet
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '[':
			open = liveBracket(s, i)
			if open {
				b.WriteString("［")
			} else {
				b.WriteByte('[')
			}
		case c == ']':
			// The "]" of a neutralised "[" goes with it, so the text reads
			// ［toall］ rather than ［toall].
			if open || liveBracket(s, i) {
				b.WriteString("］")
			} else {
				b.WriteByte(']')
			}
			open = false
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// clean turns CRLF and CR into LF, drops controls and bidirectional
// overrides, and replaces invalid UTF-8, so brackets are judged on the
// text as it will read.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // the LF follows
			}
			b.WriteByte('\n')
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case dropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s needs no change (the common case: no brackets,
// no controls, plain ASCII), so Neutralise can return it without copying.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' || c == ']' || c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func dropped(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
