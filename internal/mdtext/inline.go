package mdtext

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	schemeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-"
	domainChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
	emailChars  = domainChars + "!#$%&'*+/=?^_`{|}~"
	specials    = "\\`<![*_~"                          // what starts inline markup
	punct       = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" // what a backslash escapes
)

// tok is a piece of converted inline text: literal text, or a run of
// emphasis marks that may pair with another run.
type tok struct {
	text        string
	end         int  // where text ends in the source when it is a slice of it, else -1
	n           int  // marks left in the run
	mark        byte // '*', '_' or '~'; 0 for text
	open, close bool // the run can open, close emphasis
}

// inliner converts the inline Markdown of one line (or of a link's text).
type inliner struct {
	refs      map[string]string
	s         string
	nest      int // how deep in link text s is
	toks      []tok
	ticks     map[int][]int // start of each backtick run by its length; made at the first backtick
	closer    map[int]int   // the "]" that matches each "["; made at the first "["
	http      int           // where the next "http" is, once looked for
	noComment bool          // no "-->" follows the "<!--" looked at
}

// span converts the inline Markdown of s to plain text, not yet
// neutralised.
func (p *parser) span(s string) string { return convert(p.refs, s, 0) }

// convert converts inline Markdown nest levels deep in link text.
func convert(refs map[string]string, s string, nest int) string {
	in := &inliner{refs: refs, s: s, nest: nest}
	for i := 0; i < len(s); {
		i = in.step(i)
	}
	return in.resolve()
}

// step converts the markup that starts at s[i] and returns where the
// rest starts.
func (in *inliner) step(i int) int {
	s := in.s
	switch c := s[i]; {
	case c == '\\':
		return in.escape(i)
	case c == '`':
		return in.code(i)
	case c == '<':
		return in.angle(i)
	case c == '!' && i+1 < len(s) && s[i+1] == '[':
		if end, ok := in.link(i+1, true); ok {
			return end
		}
		in.src(i, i+1)
		return i + 1
	case c == '[':
		if end, ok := in.link(i, false); ok {
			return end
		}
		in.src(i, i+1)
		return i + 1
	case c == '*' || c == '_' || c == '~':
		return in.mark(i)
	}
	return in.plain(i)
}

// add adds text that the converter made.
func (in *inliner) add(text string) { in.toks = append(in.toks, tok{text: text, end: -1}) }

// src adds s[from:to] as literal text, joined to the text before it when
// that ends at from.
func (in *inliner) src(from, to int) {
	if k := len(in.toks) - 1; k >= 0 && in.toks[k].mark == 0 && int(in.toks[k].end) == from {
		t := &in.toks[k]
		t.text, t.end = in.s[from-len(t.text):to], to
		return
	}
	in.toks = append(in.toks, tok{text: in.s[from:to], end: to})
}

// plain takes text up to the next markup, or a bare URL whole (so that
// the underscores in it are not emphasis).
func (in *inliner) plain(i int) int {
	s := in.s
	if end := bareURL(s, i); end > i {
		in.src(i, end)
		return end
	}
	if in.http <= i {
		in.http = len(s)
		if k := strings.Index(s[i+1:], "http"); k >= 0 {
			in.http = i + 1 + k
		}
	}
	j := in.http
	if k := strings.IndexAny(s[i+1:j], specials); k >= 0 {
		j = i + 1 + k
	}
	in.src(i, j)
	return j
}

// escape takes a backslash escape: the character it escapes, nothing for
// a backslash that ends the line (a hard line break), else a backslash.
func (in *inliner) escape(i int) int {
	switch {
	case i+1 == len(in.s):
		return i + 1
	case strings.IndexByte(punct, in.s[i+1]) >= 0:
		in.src(i+1, i+2)
		return i + 2
	}
	in.src(i, i+1)
	return i + 1
}

// code takes a code span: its text as written.
func (in *inliner) code(i int) int {
	n := run(in.s, i)
	if in.ticks == nil {
		in.ticks = map[int][]int{}
		for j := 0; j < len(in.s); j++ {
			if in.s[j] == '`' {
				m := run(in.s, j)
				in.ticks[m] = append(in.ticks[m], j)
				j += m - 1
			}
		}
	}
	starts := in.ticks[n]
	k := sort.SearchInts(starts, i+n)
	if k == len(starts) {
		in.src(i, i+n)
		return i + n
	}
	from, to := i+n, starts[k]
	if body := in.s[from:to]; len(body) >= 2 && body[0] == ' ' && body[len(body)-1] == ' ' && strings.Trim(body, " ") != "" {
		from, to = from+1, to-1
	}
	in.src(from, to)
	return starts[k] + n
}

// angle takes what starts with "<": a comment (dropped), an autolink
// (its URL), an HTML tag (dropped; <br> is a line break) or a "<".
func (in *inliner) angle(i int) int {
	rest := in.s[i:]
	if strings.HasPrefix(rest, "<!--") && !in.noComment {
		if end := strings.Index(rest[4:], "-->"); end >= 0 {
			return i + 4 + end + 3
		}
		in.noComment = true
	}
	if n := autolink(rest); n > 0 {
		in.src(i+1, i+n-1)
		return i + n
	}
	if n, name := htmlTag(rest); n > 0 {
		if strings.EqualFold(name, "br") {
			in.add("\n")
		}
		return i + n
	}
	in.src(i, i+1)
	return i + 1
}

// autolink returns the length of the autolink that s starts with
// ("<https://x>", "<me@example.com>"), or 0.
func autolink(s string) int {
	end := strings.IndexAny(s[1:], "<> \t\n") + 1
	if end <= 0 || s[end] != '>' {
		return 0
	}
	body := s[1:end]
	if c := strings.IndexByte(body, ':'); c >= 2 && c <= 32 && isLetter(body[0]) &&
		strings.Trim(body[:c], schemeChars) == "" {
		return end + 1
	}
	if at := strings.IndexByte(body, '@'); at > 0 && at+1 < len(body) && isWordByte(body[at+1]) &&
		strings.Trim(body[:at], emailChars) == "" && strings.Trim(body[at+1:], domainChars) == "" {
		return end + 1
	}
	return 0
}

// htmlTag returns the length and name of the HTML tag that s starts
// with ("<b>", "</details>", "<img src=x />"), or 0.
func htmlTag(s string) (int, string) {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	start := i
	for i < len(s) && (isWordByte(s[i]) || i > start && s[i] == '-') {
		i++
	}
	if i == start || i == len(s) || !isLetter(s[start]) {
		return 0, ""
	}
	switch s[i] {
	case '>':
		return i + 1, s[start:i]
	case '/', ' ', '\t', '\n', '\f':
		if e := strings.IndexAny(s[i:], "<>"); e >= 0 && s[i+e] == '>' {
			return i + e + 1, s[start:i]
		}
	}
	return 0, ""
}

// link takes a link or, with image, an image, whose text starts with the
// "[" at s[i]; it reports false when there is none.
func (in *inliner) link(i int, image bool) (int, bool) {
	if in.closer == nil {
		in.closer = brackets(in.s)
	}
	q, ok := in.closer[i]
	if !ok {
		return 0, false
	}
	raw := in.s[i+1 : q]
	url, end, ok := in.target(q+1, raw)
	if !ok {
		return 0, false
	}
	text := raw
	if in.nest < maxNest {
		text = convert(in.refs, raw, in.nest+1)
	}
	switch {
	case image && url != "":
		in.add(url)
	case image:
		in.add(text)
	default:
		in.add(linkText(text, url))
	}
	return end, true
}

// target reads what follows a link's text at s[j]: "(url "title")", a
// reference "[ref]" or "[]", or nothing (the text is the reference).
func (in *inliner) target(j int, text string) (string, int, bool) {
	s := in.s
	if j < len(s) && s[j] == '(' {
		return in.destination(j)
	}
	key, end := text, j
	if j < len(s) && s[j] == '[' {
		k, ok := in.closer[j]
		if !ok {
			return "", 0, false
		}
		if k > j+1 {
			key = s[j+1 : k]
		}
		end = k + 1
	}
	if len(in.refs) == 0 || len(key) > maxLabel {
		return "", 0, false
	}
	url, ok := in.refs[label(key)]
	return url, end, ok
}

// destination reads "(url "title")" at s[j].
func (in *inliner) destination(j int) (string, int, bool) {
	s := in.s
	k := skipBlank(s, j+1)
	var url string
	if k < len(s) && s[k] == '<' {
		e := strings.IndexAny(s[k+1:], "<>")
		if e < 0 || s[k+1+e] != '>' {
			return "", 0, false
		}
		url, k = s[k+1:k+1+e], k+e+2
	} else {
		start, depth := k, 0
		for ; k < len(s) && s[k] > ' ' && (s[k] != ')' || depth > 0); k++ {
			switch s[k] {
			case '\\':
				k++
			case '(':
				if depth++; depth > maxParen {
					return "", 0, false
				}
			case ')':
				depth--
			}
		}
		url = s[start:min(k, len(s))]
	}
	k, ok := title(s, k)
	if !ok || k >= len(s) || s[k] != ')' {
		return "", 0, false
	}
	return unescape(url), k + 1, true
}

// title skips white space and a link title in s from k, and returns
// where what follows them starts.
func title(s string, k int) (int, bool) {
	t := skipBlank(s, k)
	if t == k || t >= len(s) {
		return t, true
	}
	var end byte
	switch s[t] {
	case '"', '\'':
		end = s[t]
	case '(':
		end = ')'
	default:
		return t, true
	}
	for i := t + 1; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == end:
			return skipBlank(s, i+1), true
		case end == ')' && s[i] == '(':
			return 0, false
		}
	}
	return 0, false
}

// mark takes a run of emphasis marks. It can open emphasis at the start
// of a word and close it at the end of one (so snake_case and 2*3*4 stay).
func (in *inliner) mark(i int) int {
	s := in.s
	n := run(s, i)
	before, after := ' ', ' '
	if i > 0 {
		before, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if i+n < len(s) {
		after, _ = utf8.DecodeRuneInString(s[i+n:])
	}
	t := tok{mark: s[i], n: n, end: -1}
	if s[i] != '~' || n <= 2 {
		t.open = !unicode.IsSpace(after) && isBoundary(before)
		t.close = !unicode.IsSpace(before) && isBoundary(after)
	}
	in.toks = append(in.toks, t)
	return i + n
}

// resolve pairs emphasis marks, drops the pairs, and returns the text.
// Each kind of mark pairs with the nearest open run of its kind; runs of
// "~" pair only with runs of the same length.
func (in *inliner) resolve() string {
	var open [3][]int
	for i := range in.toks {
		t := &in.toks[i]
		if t.mark == 0 {
			continue
		}
		st := &open[strings.IndexByte("*_~", t.mark)]
		for t.close && t.n > 0 && len(*st) > 0 {
			o := &in.toks[(*st)[len(*st)-1]]
			if t.mark == '~' && o.n != t.n {
				break
			}
			m := min(o.n, t.n)
			o.n, t.n = o.n-m, t.n-m
			if o.n == 0 {
				*st = (*st)[:len(*st)-1]
			}
		}
		if t.open && t.n > 0 {
			*st = append(*st, i)
		}
	}
	var b strings.Builder
	for _, t := range in.toks {
		b.WriteString(t.text)
		for range t.n {
			b.WriteByte(t.mark)
		}
	}
	return b.String()
}

// brackets matches each "[" in s with its "]", nested ones inside.
func brackets(s string) map[int]int {
	m := map[int]int{}
	var open []int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			open = append(open, i)
		case ']':
			if len(open) > 0 {
				m[open[len(open)-1]] = i
				open = open[:len(open)-1]
			}
		}
	}
	return m
}

// bareURL returns where a bare http(s) URL that starts at s[i] ends, as
// GitHub links it (trailing punctuation left out), or i.
func bareURL(s string, i int) int {
	if !strings.HasPrefix(s[i:], "https://") && !strings.HasPrefix(s[i:], "http://") ||
		i > 0 && isWordByte(s[i-1]) {
		return i
	}
	end := i
	for end < len(s) && s[end] > ' ' && s[end] != '<' {
		end++
	}
	opens, closes := strings.Count(s[i:end], "("), strings.Count(s[i:end], ")")
	for ; end > i; end-- {
		if c := s[end-1]; c == ')' && closes > opens {
			closes--
		} else if strings.IndexByte("?!.,:;*_~'\"", c) < 0 {
			break
		}
	}
	return end
}

// linkText is how a link reads: "text (url)", or the URL alone when the
// text says no more than it.
func linkText(text, url string) string {
	t := strings.TrimSpace(text)
	switch {
	case url == "":
		return text
	case t == "" || t == url || t == trimScheme(url):
		return url
	}
	return text + " (" + url + ")"
}

func trimScheme(url string) string {
	for _, scheme := range []string{"https://", "http://", "mailto:"} {
		if rest, ok := strings.CutPrefix(url, scheme); ok {
			return rest
		}
	}
	return url
}

// run is the length of the run of s[i]'s character that starts at s[i].
func run(s string, i int) int {
	n := i
	for n < len(s) && s[n] == s[i] {
		n++
	}
	return n - i
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isWordByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isBoundary reports whether r, the rune beside an emphasis mark, lets
// the mark open or close: white space, punctuation, or a character of a
// script written without spaces between words (Japanese, Chinese).
func isBoundary(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
		unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}
