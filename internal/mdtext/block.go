package mdtext

import (
	"regexp"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

var (
	defRe   = regexp.MustCompile(`^\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*(<[^<>]*>|[^ \t<]\S*)(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*$`)
	delimRe = regexp.MustCompile(`^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
)

// parser reads the Markdown a line at a time.
type parser struct {
	refs    map[string]string // link reference definitions by normalised label
	out     []Line
	code    *codeBlock // the open code block; nil outside one
	held    int        // blank lines inside indented code, written if it goes on
	list    []int      // indentation of each open list item's marker, outermost first
	depth   int        // quote depth of the last line
	para    bool       // the last line was paragraph text, which a setext underline makes a heading
	blank   bool       // the last line was blank, or there was none
	table   bool       // inside a table
	comment bool       // inside an HTML comment
	skip    bool       // the next source line was read already (a table's delimiter row)
}

// codeBlock is an open code block.
type codeBlock struct {
	fence  string // the opening fence ("```", "~~~~"); "" for indented code
	indent int    // columns of indentation removed from each line
	depth  int    // quote depth the block is in
}

// line reads one source line; next is the line after it, for tables.
func (p *parser) line(s, next string) {
	if p.comment {
		end := strings.Index(s, "-->")
		if end < 0 {
			return
		}
		p.comment = false
		if s = s[end+len("-->"):]; strings.TrimSpace(s) == "" {
			return
		}
	}
	if p.code != nil && p.codeLine(s) {
		return
	}
	depth, rest := unquote(s, len(s))
	if depth != p.depth {
		p.depth, p.list, p.para, p.table = depth, nil, false, false
	}
	if cut := p.openComment(rest); cut != rest {
		if rest = cut; strings.TrimSpace(rest) == "" {
			return
		}
	}
	_, nextRest := unquote(next, depth)
	p.block(depth, rest, nextRest)
}

// codeLine reads a line inside a code block and reports whether the line
// belonged to it.
func (p *parser) codeLine(s string) bool {
	c := p.code
	depth, rest := unquote(s, c.depth)
	if depth < c.depth {
		p.closeCode()
		return false
	}
	if c.fence == "" {
		if strings.TrimSpace(rest) == "" {
			p.held++
			return true
		}
		if cols, _ := indent(rest); cols < 4 {
			p.closeCode()
			return false
		}
		for ; p.held > 0; p.held-- {
			p.out = append(p.out, Line{Code: true, Quote: depth > 0})
		}
	} else if body := strings.TrimLeft(rest, " \t"); strings.HasPrefix(body, c.fence) &&
		strings.TrimSpace(strings.TrimLeft(body, c.fence[:1])) == "" {
		p.closeCode()
		return true
	}
	p.out = append(p.out, Line{Text: notation.Neutralise(dedent(rest, c.indent)), Code: true, Quote: depth > 0})
	return true
}

// closeCode ends the open code block with a blank line, so that a code
// block right after it is a block of its own.
func (p *parser) closeCode() {
	p.code, p.held = nil, 0
	p.out = append(p.out, Line{})
	p.blank, p.para = true, false
}

// openComment cuts s at an HTML comment that starts on it and does not
// end there; the lines up to the comment's end are dropped.
func (p *parser) openComment(s string) string {
	for i := 0; ; {
		start := strings.Index(s[i:], "<!--")
		if start < 0 {
			return s
		}
		start += i
		end := strings.Index(s[start+4:], "-->")
		if end >= 0 {
			i = start + 4 + end + 3
			continue
		}
		if strings.Count(s[:start], "`")%2 == 1 {
			return s // inside a code span
		}
		p.comment = true
		return s[:start]
	}
}

// block reads a line outside code, quote markers removed.
func (p *parser) block(depth int, rest, next string) {
	cols, body := indent(rest)
	after := p.blank
	p.blank = false
	q := quotePrefix(depth)
	switch {
	case body == "":
		p.blank, p.para, p.table = true, false, false
		if l := (Line{Text: strings.TrimSpace(q), Quote: depth > 0}); len(p.out) == 0 || p.out[len(p.out)-1] != l {
			p.out = append(p.out, l)
		}
	case cols >= 4 && after && len(p.list) == 0:
		p.code = &codeBlock{indent: 4, depth: depth}
		p.out = append(p.out, Line{Text: notation.Neutralise(dedent(rest, 4)), Code: true, Quote: depth > 0})
	case p.table && strings.Contains(body, "|"):
		p.emit(Line{Quote: depth > 0}, q, q, p.row(body))
	case (cols < 4 || len(p.list) > 0) && fenceOf(body) != "":
		p.code = &codeBlock{fence: fenceOf(body), indent: cols, depth: depth}
		p.para, p.table = false, false
	case cols < 4 && body[0] == '[' && defRe.MatchString(body):
	default:
		p.table = false
		p.leaf(depth, cols, body, next, after)
	}
}

// leaf reads a line that is not blank, code or a table row.
func (p *parser) leaf(depth, cols int, body, next string, after bool) {
	q := quotePrefix(depth)
	l := Line{Quote: depth > 0}
	para := false
	switch title, heading := atx(body); {
	case cols < 4 && p.para && isUnderline(body):
		p.out[len(p.out)-1].Heading = true
	case cols < 4 && isRule(body):
		p.list = nil
		p.out = append(p.out, Line{Rule: true, Quote: depth > 0})
	case cols < 4 && heading:
		p.list = nil
		l.Heading = true
		p.emit(l, q, q, p.span(title))
	case isItem(body):
		p.item(l, q, cols, body)
	case strings.Contains(body, "|") && strings.Contains(next, "|") && delimRe.MatchString(strings.TrimSpace(next)):
		p.table, p.skip, p.list = true, true, nil
		p.emit(l, q, q, p.row(body))
	default:
		for len(p.list) > 0 && after && cols < p.list[len(p.list)-1]+2 {
			p.list = p.list[:len(p.list)-1]
		}
		pad := q + strings.Repeat("  ", min(len(p.list), maxShown))
		para = p.emit(l, pad, pad, p.span(strings.TrimSpace(body))) && len(p.list) == 0
	}
	p.para = para
}

// item reads a list item: body starts with its marker and was indented
// cols columns.
func (p *parser) item(l Line, q string, cols int, body string) {
	for len(p.list) > 0 && cols < p.list[len(p.list)-1]+2 {
		p.list = p.list[:len(p.list)-1]
	}
	p.list = append(p.list, cols)
	pad := q + strings.Repeat("  ", min(len(p.list)-1, maxShown))
	n := markerLen(body)
	marker := "- "
	if body[0] >= '0' && body[0] <= '9' {
		marker = body[:n-1] + ". "
	}
	box, content := "", strings.TrimLeft(body[n:], " \t")
	if len(content) >= 3 && content[0] == '[' && content[2] == ']' && (len(content) == 3 || content[3] == ' ' || content[3] == '\t') {
		switch content[1] {
		case ' ':
			box = "☐ "
		case 'x', 'X':
			box = "☑ "
		}
		if box != "" {
			content = strings.TrimLeft(content[3:], " \t")
		}
	}
	text := p.span(content)
	if box == "" && content != "" && strings.TrimSpace(text) == "" {
		return // only a comment or tags: nothing to show
	}
	p.emit(l, pad+marker, pad+"  ", box+text)
}

// markerLen is the length of the list item marker that body starts with
// ("-", "*", "+", "1.", "10)"), or 0.
func markerLen(body string) int {
	n := 0
	switch body[0] {
	case '-', '*', '+':
		n = 1
	default:
		for n < len(body) && n < 10 && body[n] >= '0' && body[n] <= '9' {
			n++
		}
		if n == 0 || n == 10 || n == len(body) || body[n] != '.' && body[n] != ')' {
			return 0
		}
		n++
	}
	return n
}

// isItem reports whether body is a list item: a marker followed by white
// space or nothing.
func isItem(body string) bool {
	n := markerLen(body)
	return n > 0 && (n == len(body) || body[n] == ' ' || body[n] == '\t')
}

// emit adds text, the converted content of one source line, as lines:
// prefix before the first and cont before those that a <br> began. A
// line whose content came to nothing is dropped, unless prefix says
// something (a list marker). It reports whether it added a line.
func (p *parser) emit(l Line, prefix, cont, text string) bool {
	text = strings.TrimRight(text, " \t\n")
	if strings.TrimSpace(text) == "" && strings.TrimSpace(strings.TrimLeft(prefix, "> ")) == "" {
		return false
	}
	for i, part := range strings.Split(text, "\n") {
		if i > 0 {
			prefix = cont
		}
		l.Text = notation.Neutralise(strings.TrimRight(prefix+part, " \t"))
		p.out = append(p.out, l)
	}
	return true
}

// row converts a table row: its cells joined by " | ".
func (p *parser) row(body string) string {
	body = strings.TrimSpace(body)
	body = strings.TrimPrefix(body, "|")
	if strings.HasSuffix(body, "|") && !strings.HasSuffix(body, `\|`) {
		body = body[:len(body)-1]
	}
	var cells []string
	start := 0
	for i := 0; i <= len(body); i++ {
		switch {
		case i+1 < len(body) && body[i] == '\\':
			i++
		case i == len(body) || body[i] == '|':
			cell := strings.ReplaceAll(p.span(body[start:i]), "\n", " ")
			cells = append(cells, strings.TrimSpace(cell))
			start = i + 1
		}
	}
	return strings.Join(cells, " | ")
}

// definitions collects the link reference definitions outside fenced
// code, by normalised label; the first definition of a label counts.
func definitions(src []string) map[string]string {
	refs := map[string]string{}
	fence := ""
	for _, s := range src {
		cols, body := indent(s)
		switch {
		case fence != "":
			if strings.HasPrefix(body, fence) && strings.TrimSpace(strings.TrimLeft(body, fence[:1])) == "" {
				fence = ""
			}
		case fenceOf(body) != "":
			fence = fenceOf(body)
		case cols < 4:
			m := defRe.FindStringSubmatch(body)
			if m == nil || len(m[1]) > maxLabel {
				continue
			}
			if key := label(m[1]); refs[key] == "" {
				refs[key] = unescape(strings.TrimSuffix(strings.TrimPrefix(m[2], "<"), ">"))
			}
		}
	}
	return refs
}

// label normalises a link label: case and runs of white space do not count.
func label(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// unescape drops the backslash of each backslash escape in s.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(punct, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unquote removes up to limit blockquote markers from s and reports how
// many it removed.
func unquote(s string, limit int) (int, string) {
	d := 0
	for d < limit {
		cols, body := indent(s)
		if cols > 3 || !strings.HasPrefix(body, ">") {
			break
		}
		s = body[1:]
		if s != "" && (s[0] == ' ' || s[0] == '\t') {
			s = s[1:]
		}
		d++
	}
	return d, s
}

// quotePrefix is the text that marks a line quoted depth times.
func quotePrefix(depth int) string { return strings.Repeat("> ", min(depth, maxShown)) }

// indent measures the white space that starts s in columns (a tab goes to
// the next multiple of 4) and returns what follows it.
func indent(s string) (int, string) {
	cols, i := 0, 0
	for ; i < len(s) && (s[i] == ' ' || s[i] == '\t'); i++ {
		if s[i] == '\t' {
			cols += 4 - cols%4
		} else {
			cols++
		}
	}
	return cols, s[i:]
}

// dedent removes up to n columns of indentation from s.
func dedent(s string, n int) string {
	cols, i := 0, 0
	for ; i < len(s) && cols < n && (s[i] == ' ' || s[i] == '\t'); i++ {
		if s[i] == '\t' {
			cols += 4 - cols%4
		} else {
			cols++
		}
	}
	return s[i:]
}

// fenceOf returns the code fence that body opens with, or "".
func fenceOf(body string) string {
	if len(body) < 3 || body[0] != '`' && body[0] != '~' {
		return ""
	}
	n := len(body) - len(strings.TrimLeft(body, body[:1]))
	if n < 3 || body[0] == '`' && strings.Contains(body[n:], "`") {
		return ""
	}
	return body[:n]
}

// atx returns the words of an ATX heading ("## words ##").
func atx(body string) (string, bool) {
	n := len(body) - len(strings.TrimLeft(body, "#"))
	if n == 0 || n > 6 || n < len(body) && body[n] != ' ' && body[n] != '\t' {
		return "", false
	}
	title := strings.TrimSpace(body[n:])
	if t := strings.TrimRight(title, "#"); t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t") {
		title = strings.TrimSpace(t)
	}
	return title, true
}

// isRule reports whether body is a thematic break: three or more of one
// of "-", "*", "_", with only spaces between.
func isRule(body string) bool {
	c, n := body[0], 0
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// isUnderline reports whether body is a setext heading underline.
func isUnderline(body string) bool {
	t := strings.TrimRight(body, " \t")
	return t != "" && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "")
}
