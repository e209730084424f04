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
	brackets, dirty := scan(s)
	if dirty {
		s = clean(s)
	} else if !brackets {
		return s
	}
	// Whether a "]" could close a tag opened before s depends only on how
	// s begins (see liveOpen), so it is decided once.
	tagBody := startsTag(s)
	var b strings.Builder
	last := 0
	open := false // the last "[" was neutralised and is not closed yet
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '[' && c != ']' {
			continue
		}
		var live bool
		if s[i] == '[' {
			live = liveOpen(s[i+1:])
			open = live
		} else {
			// The "]" of a neutralised "[" goes with it, so the text reads
			// ［toall］ rather than ［toall].
			live = open || tagBody
			open = false
		}
		if live {
			if last == 0 {
				b.Grow(len(s) + 16)
			}
			b.WriteString(s[last:i])
			if s[i] == '[' {
				b.WriteString("［")
			} else {
				b.WriteString("］")
			}
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
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

// Clean is what Neutralise does to s besides brackets: CRLF and CR to LF,
// controls and bidirectional overrides dropped, invalid UTF-8 replaced.
// A secret with a control character inside becomes whole again here, so
// redaction runs on cleaned text (see app.prepare).
func Clean(s string) string {
	if _, dirty := scan(s); !dirty {
		return s
	}
	return clean(s)
}

// scan reports whether s holds square brackets, and whether clean would
// change it (controls, CR, bidirectional overrides, invalid UTF-8).
func scan(s string) (brackets, dirty bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '[' || c == ']':
				brackets = true
			case c < 0x20 && c != '\n' && c != '\t' || c == 0x7f:
				return brackets, true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || dropped(r) {
			return brackets, true
		}
		i += size
	}
	return brackets, false
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
