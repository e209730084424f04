// Package preview renders a Chatwork message body to the HTML subset that
// GitHub's job summary allows, so people can see the message the way
// Chatwork presents it: [info] boxes with their [title], [code] blocks, [hr]
// rules, quotes, and [To]/[toall]/[rp] addressing as "To: name" / "Re: name".
// Everything else is escaped text; the output is one line, so Markdown
// around it cannot split it.
package preview

import (
	"html"
	"regexp"
	"strings"
)

// tagPattern matches the tags the preview understands (case-insensitive,
// as Chatwork reads them).
var tagPattern = regexp.MustCompile(`(?i)\[(?:/?info|/?title|/?code|hr|/?qt|toall|to:\d+|rp aid=\d+ to=\d+-\d+|qtmeta aid=\d+(?: time=\d+)?|picon:\d+|piconname:\d+)\]`)

var urlPattern = regexp.MustCompile(`https?://[^\s<>"'\x{3000}［］]+`)

type renderer struct {
	b      strings.Builder
	open   []string // open blocks: "info", "title", "qt"
	inCode bool
}

// HTML returns the preview of body.
func HTML(body string) string {
	var r renderer
	r.b.WriteString(`<table><tr><td>`)
	pos := 0
	for _, loc := range tagPattern.FindAllStringIndex(body, -1) {
		if loc[0] < pos {
			continue
		}
		tag := strings.ToLower(body[loc[0]+1 : loc[1]-1])
		if r.inCode && tag != "/code" {
			continue // inside [code], tags are text
		}
		r.text(body[pos:loc[0]])
		pos = loc[1]
		pos = r.tag(tag, body, pos)
	}
	r.text(body[pos:])
	if r.inCode {
		r.b.WriteString("</code></pre>")
	}
	for i := len(r.open) - 1; i >= 0; i-- {
		r.closeBlock(r.open[i])
	}
	r.b.WriteString(`</td></tr></table>`)
	return r.b.String()
}

// tag writes one tag; it returns the position after anything it consumed
// (the name that follows [To:…] or [rp …]).
func (r *renderer) tag(tag, body string, pos int) int {
	switch {
	case tag == "info":
		r.b.WriteString(`<table>`)
		if strings.HasPrefix(strings.ToLower(body[pos:]), "[title]") {
			r.b.WriteString(`<tr><th align="left">ℹ️ `)
			r.open = append(r.open, "info", "title")
			return pos + len("[title]")
		}
		r.b.WriteString(`<tr><td>`)
		r.open = append(r.open, "info")
	case tag == "/title" && r.top() == "title":
		r.b.WriteString(`</th></tr><tr><td>`)
		r.open = r.open[:len(r.open)-1]
	case tag == "/info" && r.top() == "info":
		r.b.WriteString(`</td></tr></table>`)
		r.open = r.open[:len(r.open)-1]
	case tag == "title":
		r.b.WriteString(`<b>`)
		r.open = append(r.open, "b")
	case tag == "/title" && r.top() == "b":
		r.b.WriteString(`</b><br>`)
		r.open = r.open[:len(r.open)-1]
	case tag == "code":
		r.b.WriteString(`<pre><code>`)
		r.inCode = true
	case tag == "/code" && r.inCode:
		r.b.WriteString(`</code></pre>`)
		r.inCode = false
	case tag == "hr":
		r.b.WriteString(`<hr>`)
	case tag == "qt":
		r.b.WriteString(`<blockquote>`)
		r.open = append(r.open, "qt")
	case tag == "/qt" && r.top() == "qt":
		r.b.WriteString(`</blockquote>`)
		r.open = r.open[:len(r.open)-1]
	case tag == "toall":
		r.b.WriteString(`<b>To: all</b>`)
	case strings.HasPrefix(tag, "to:"):
		return r.addressed("To", tag[3:], body, pos)
	case strings.HasPrefix(tag, "rp "):
		return r.addressed("Re", "", body, pos)
	case strings.HasPrefix(tag, "qtmeta"), strings.HasPrefix(tag, "picon"):
		// avatars and quote metadata have no text form
	default:
		r.text("[" + tag + "]") // a closing tag with nothing open
	}
	return pos
}

// addressed writes "To: name" (or "Re: name") with the name that follows
// the tag up to the next tag or line end; without a name, fallback.
func (r *renderer) addressed(label, fallback, body string, pos int) int {
	end := len(body)
	if i := strings.IndexAny(body[pos:], "[\n"); i >= 0 {
		end = pos + i
	}
	name := strings.TrimSpace(body[pos:end])
	if name == "" {
		name = fallback
	}
	r.b.WriteString(`<b>` + label + `: ` + html.EscapeString(name) + `</b> `)
	if end < len(body) && body[end] == '\n' {
		r.b.WriteString(`<br>`)
		end++
	}
	return end
}

func (r *renderer) top() string {
	if len(r.open) == 0 {
		return ""
	}
	return r.open[len(r.open)-1]
}

func (r *renderer) closeBlock(kind string) {
	switch kind {
	case "info":
		r.b.WriteString(`</td></tr></table>`)
	case "title":
		r.b.WriteString(`</th></tr>`)
		r.b.WriteString(`<tr><td>`)
	case "b":
		r.b.WriteString(`</b>`)
	case "qt":
		r.b.WriteString(`</blockquote>`)
	}
}

// text writes plain text: escaped, links made clickable, line breaks kept.
func (r *renderer) text(s string) {
	if s == "" {
		return
	}
	pos := 0
	for _, loc := range urlPattern.FindAllStringIndex(s, -1) {
		r.escaped(s[pos:loc[0]])
		u := s[loc[0]:loc[1]]
		r.b.WriteString(`<a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a>`)
		pos = loc[1]
	}
	r.escaped(s[pos:])
}

func (r *renderer) escaped(s string) {
	s = html.EscapeString(strings.ReplaceAll(s, "\r\n", "\n"))
	r.b.WriteString(strings.ReplaceAll(s, "\n", "<br>"))
}
