// Package mdtext turns GitHub-flavoured Markdown (release notes, pull
// request and issue bodies, comments) into plain Chatwork text. The input
// is untrusted: each line taken from it is neutralised with
// notation.Neutralise before lines are joined, so the only live notation
// in the output is the [code], [/code] and [hr] the converter writes.
package mdtext

import (
	"strings"
	"unicode/utf8"

	"github.com/chatwork-notify/chatwork-notify/internal/text"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

const (
	maxInput = 1 << 20 // bytes of Markdown converted; longer input is cut first
	maxNest  = 4       // how deep link text inside link text is converted
	maxLabel = 999     // the longest link label (CommonMark's limit)
	maxShown = 8       // quote and list levels shown; deeper ones show as this deep
	maxParen = 32      // nested parentheses in a link destination (CommonMark's limit)
)

// Line is one line of converted text and what it was in the Markdown. A
// rule's Text is empty; Text renders it as [hr].
type Line struct {
	Text    string // neutralised plain text of the line, "" for a blank line
	Heading bool   // the line was a heading
	Code    bool   // the line is inside a code block
	Rule    bool   // a thematic break
	Quote   bool   // the line was quoted ("> …")
}

// Text converts Markdown to plain Chatwork text: headings become their
// words, emphasis and code marks go, links read "text (url)", lists and
// quotes keep their markers, code blocks become [code]…[/code] and
// thematic breaks [hr]. Every piece of the input is neutralised; the only
// live notation is the [code], [/code] and [hr] that Text writes.
func Text(md string) notation.Markup {
	lines := Lines(md)
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if l.Code && (i == 0 || !lines[i-1].Code) {
			b.WriteString("[code]")
		}
		if l.Rule {
			b.WriteString("[hr]")
		}
		b.WriteString(l.Text) // neutralised by Lines
		if l.Code && (i+1 == len(lines) || !lines[i+1].Code) {
			b.WriteString("[/code]")
		}
	}
	return notation.Markup(b.String())
}

// Lines returns the converted text as plain lines (neutralised, no
// [code]/[hr] notation) with what each line is, for callers that pick
// lines (excerpts, first lines). A code block is a run of Code lines,
// neither starting nor ending with a blank one; two code blocks are
// always parted by a blank line. Input over 1 MiB is cut first.
func Lines(md string) []Line {
	if len(md) > maxInput {
		cut := maxInput
		for cut > 0 && !utf8.RuneStart(md[cut]) {
			cut--
		}
		md = md[:cut]
	}
	md = strings.ReplaceAll(strings.ReplaceAll(md, "\r\n", "\n"), "\r", "\n")
	src := strings.Split(md, "\n")
	p := &parser{refs: definitions(src), blank: true}
	for i, s := range src {
		if p.skip {
			p.skip = false
			continue
		}
		next := ""
		if i+1 < len(src) {
			next = src[i+1]
		}
		p.line(s, next)
	}
	return collapse(p.out)
}

// FirstLine is the first line that says something: not blank, not code,
// not a rule, and not a heading that comes before any other text (a
// leading heading is skipped: release notes start with "## What's
// Changed"). Quotes are skipped too, as Excerpt does. The result is
// neutralised, without leading white space, and "" when nothing is left.
func FirstLine(md string) string {
	if lines := said(md, 1); len(lines) > 0 {
		return strings.TrimLeft(lines[0], " \t")
	}
	return ""
}

// Excerpt returns the first n lines that say something (as FirstLine
// chooses: blank lines, code, rules, quotes and leading headings skipped),
// each at most width characters (cut with notation.Cut on a rune
// boundary, ending in "…"). The lines are neutralised.
func Excerpt(md string, n, width int) []string {
	lines := said(md, n)
	for i, l := range lines {
		lines[i] = cut(l, width)
	}
	return lines
}

// said returns the text of the first n lines that say something.
func said(md string, n int) []string {
	var out []string
	for _, l := range Lines(md) {
		if len(out) >= n {
			break
		}
		if l.Text == "" || l.Code || l.Rule || l.Quote || l.Heading && len(out) == 0 {
			continue
		}
		out = append(out, l.Text)
	}
	return out
}

// cut keeps at most width characters of the neutralised s (notation.Cut
// keeps it neutral).
func cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	// notation.Cut counts bytes: handed the head and more than an
	// ellipsis after it, it cuts right after the head (or before a tag
	// fragment that ends it).
	head := text.RuneBytes(s, width-1)
	return notation.Cut(s[:head]+text.Ellipsis+text.Ellipsis, head+len(text.Ellipsis))
}

// collapse drops leading and trailing blank lines, of the text and of
// each code block, and makes each run of blank lines one.
func collapse(in []Line) []Line {
	var out []Line
	for _, l := range in {
		inCode := len(out) > 0 && out[len(out)-1].Code
		switch {
		case l.Code && l.Text == "" && !inCode:
			continue
		case !l.Code:
			out = trimCode(out)
		}
		if l == (Line{}) && (len(out) == 0 || out[len(out)-1] == (Line{})) {
			continue
		}
		out = append(out, l)
	}
	out = trimCode(out)
	for len(out) > 0 && out[len(out)-1] == (Line{}) {
		out = out[:len(out)-1]
	}
	return out
}

// trimCode drops the blank code lines that end lines.
func trimCode(lines []Line) []Line {
	for len(lines) > 0 && lines[len(lines)-1].Code && lines[len(lines)-1].Text == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
