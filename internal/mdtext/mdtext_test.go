package mdtext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/google/go-cmp/cmp"
)

const releaseNotes = "## What's Changed\n* Fix login by @octocat in https://github.com/o/r/pull/12\n\n" +
	"**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v1.1.0"

var textTests = []struct{ name, in, want string }{
	// Headings.
	{"atx", "# One\n## Two ##\n###### Six\n####### seven", "One\nTwo\nSix\n####### seven"},
	{"atx needs a space", "#hashtag and C#", "#hashtag and C#"},
	{"setext", "Title\n===\n\nSub\n---\ntext", "Title\n\nSub\ntext"},
	{"release notes", releaseNotes, "What's Changed\n- Fix login by @octocat in https://github.com/o/r/pull/12\n\n" +
		"Full Changelog: https://github.com/o/r/compare/v1.0.0...v1.1.0"},
	// Emphasis.
	{"strong and em", "**a** __b__ *c* _d_ ~~e~~ ~f~", "a b c d e f"},
	{"nested emphasis", "***both*** and **bold _in_ it**", "both and bold in it"},
	{"snake case", "snake_case_identifiers and __init__.py", "snake_case_identifiers and init.py"},
	{"arithmetic", "2*3*4 and a * b * c", "2*3*4 and a * b * c"},
	{"unclosed", "**open and *args, **kwargs", "**open and *args, **kwargs"},
	{"url underscores", "see https://x.example/_a_/b_c_ now", "see https://x.example/_a_/b_c_ now"},
	{"japanese emphasis", "これは**重要**です。*注意*：～テスト～", "これは重要です。注意：～テスト～"},
	// Code spans.
	{"code span", "run `go test ./...` and ``a ` b``", "run go test ./... and a ` b"},
	{"code span keeps marks", "`**not bold** [x](y)`", "**not bold** [x](y)"},
	{"unclosed code span", "a ` b", "a ` b"},
	// Links.
	{"inline link", `[docs](https://d.example "Title") and [x](<https://a b>)`, "docs (https://d.example) and x (https://a b)"},
	{"link text is the url", "[https://a.example/x](https://a.example/x) [a.example/x](https://a.example/x)",
		"https://a.example/x https://a.example/x"},
	{"link with markup", "[**bold** `code`](https://b.example)", "bold code (https://b.example)"},
	{"autolink", "<https://auto.example/p?q=1> <me@mail.example>", "https://auto.example/p?q=1 me@mail.example"},
	{"reference links", "[text][Ref] [ref][] [ref]\n\n[ref]: https://r.example 'T'", "text (https://r.example) ref (https://r.example) ref (https://r.example)"},
	{"undefined reference", "[WIP] fix [skip ci] and dependabot[bot]", "[WIP] fix [skip ci] and dependabot[bot]"},
	{"image", "![screenshot](https://i.example/a.png) ![](https://i.example/b.png)", "https://i.example/a.png https://i.example/b.png"},
	{"badge in link", "[![CI](https://b.example/ci.svg)](https://ci.example)", "https://b.example/ci.svg (https://ci.example)"},
	{"parens in url", "[w](https://w.example/A_(b)) end", "w (https://w.example/A_(b)) end"},
	// Lists.
	{"bullets", "- a\n* b\n+ c", "- a\n- b\n- c"},
	{"nested", "- a\n  - b\n    - c\n  - d\n- e", "- a\n  - b\n    - c\n  - d\n- e"},
	{"ordered", "1. one\n2) two\n10. ten\n   - sub", "1. one\n2. two\n10. ten\n  - sub"},
	{"tasks", "- [ ] todo\n- [x] done\n* [X] Done\n1. [ ] numbered\n- [ ]", "- ☐ todo\n- ☑ done\n- ☑ Done\n1. ☐ numbered\n- ☐"},
	{"item continuation", "- item\n  more\n\n    after blank\n\nout", "- item\n  more\n\n  after blank\n\nout"},
	{"empty item", "-\n- x\n- <!-- say what -->\n- [ ] <!-- task -->", "-\n- x\n- ☐"},
	// Code blocks.
	{"fenced", "```go\nfunc f() {}\n\n  x\n```", "[code]func f() {}\n\n  x[/code]"},
	{"tilde fence", "~~~\n```\ninner\n```\n~~~", "[code]```\ninner\n```[/code]"},
	{"long fence", "````\n```\n````", "[code]```[/code]"},
	{"unclosed fence", "text\n```\ncode\n\n", "text\n[code]code[/code]"},
	{"blank lines around code", "```\n\n\ncode\n\nmore\n\n```\n```\n\n```", "[code]code\n\nmore[/code]"},
	{"adjacent fences", "```\na\n```\n```\nb\n```", "[code]a[/code]\n\n[code]b[/code]"},
	{"empty fence", "```\n```\nafter", "after"},
	{"fence in list", "- item\n  ```\n  code\n  ```", "- item\n[code]code[/code]"},
	{"indented", "text\n\n    code\n\n    more\n\nafter", "text\n\n[code]code\n\nmore[/code]\n\nafter"},
	{"indented needs blank", "text\n    not code", "text\nnot code"},
	{"inline fence is a span", "```inline``` text", "inline text"},
	// Thematic breaks.
	{"rules", "a\n\n---\n***\n___\n- - -\n* * *", "a\n\n[hr]\n[hr]\n[hr]\n[hr]\n[hr]"},
	// Quotes.
	{"quote", "> quoted **text**\n> > deeper\n>\n> back", "> quoted text\n> > deeper\n>\n> back"},
	{"quoted code", "> ```\n> code\n> ```\n> after", "[code]code[/code]\n\n> after"},
	// HTML.
	{"comment", "a <!-- b --> c", "a  c"},
	{"multi-line comment", "<!--\n- [ ] hidden\n-->\nshown <!-- x\ny --> tail", "shown\ntail"},
	{"details", "<details><summary>Logs</summary>\n\nbody\n</details>", "Logs\n\nbody"},
	{"br", "one<br>two<br/>three<BR />", "one\ntwo\nthree"},
	{"kbd and lt", "press <kbd>Ctrl</kbd>, a < b, x<3", "press Ctrl, a < b, x<3"},
	{"comment in code span", "`<!--` stays\nnext", "<!-- stays\nnext"},
	// Escapes.
	{"escapes", `\*not em\* \_x\_ \[toall] \# \\ \a`, `*not em* _x_ ［toall］ # \ \a`},
	{"hard breaks", "a  \nb\\\nc", "a\nb\nc"},
	// Tables.
	{"table", "| a | b |\n|---|:-:|\n| 1 | **2** |\n| x \\| y | `z` |\n\nafter", "a | b\n1 | 2\nx | y | z\n\nafter"},
	{"table without edges", "a | b\n--|--\n1 | 2", "a | b\n1 | 2"},
	{"pipe is not a table", "a | b\nc | d", "a | b\nc | d"},
	// Blank lines and line ends.
	{"blank lines", "\n\n\na\n\n\n\nb\n\n", "a\n\nb"},
	{"crlf", "a\r\nb\rc\r\n\r\n\r\nd", "a\nb\nc\n\nd"},
	{"empty", "", ""},
	// Hostile text.
	{"tags in text", "[toall] hi [To:123] [/info]", "［toall］ hi ［To:123］ ［/info］"},
	{"tags in link", "[[toall]](https://x.example/[To:1])", "［toall］ (https://x.example/［To:1］)"},
	{"tags in code span", "`[toall]` `[/code]`", "［toall］ ［/code］"},
	{"tags in code block", "```\n[/code][toall]\n[hr]\n```", "[code]［/code］［toall］\n［hr］[/code]"},
	{"tags in info string", "```[toall]\nx\n```", "[code]x[/code]"},
	{"tag split by markup", "[**toall**] [`to`:1] [<b>info</b>] [**to**all]", "［toall］ ［to:1］ ［info］ [**to**all]"},
	{"open bracket at the end", "text [\n\n```\nto]\n```", "text ［\n\n[code]to］[/code]"},
	{"controls", "a\x00b\u202ec\x1b", "abc"},
}

func TestText(t *testing.T) {
	t.Parallel()
	for _, tc := range textTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, string(Text(tc.in))); diff != "" {
				t.Errorf("Text(%q) (-want +got):\n%s", tc.in, diff)
			}
			checkSafe(t, tc.in)
		})
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.md: %v", err)
	}
	for _, file := range files {
		md, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		got := string(Text(string(md))) + "\n---- FirstLine\n" + FirstLine(string(md)) +
			"\n---- Excerpt 3, 40\n" + strings.Join(Excerpt(string(md), 3, 40), "\n") + "\n"
		golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), got)
		checkSafe(t, string(md))
	}
}

func TestLines(t *testing.T) {
	t.Parallel()
	got := Lines("# Title\n\ntext\n> quoted\n\n```\ncode\n```\n---\n- item")
	want := []Line{
		{Text: "Title", Heading: true},
		{},
		{Text: "text"},
		{Text: "> quoted", Quote: true},
		{},
		{Text: "code", Code: true},
		{},
		{Rule: true},
		{Text: "- item"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}
}

func TestFirstLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"release notes", releaseNotes, "- Fix login by @octocat in https://github.com/o/r/pull/12"},
		{"plain", "Fix the *build*\n\nMore.", "Fix the build"},
		{"leading headings", "# Title\n## Sub\n\ntext", "text"},
		{"skips code rules quotes", "```\ncode\n```\n---\n> quoted\n\n  - nested", "- nested"},
		{"comment first", "<!-- template -->\n\nBody [toall]", "Body ［toall］"},
		{"only a heading", "## What's Changed", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		if got := FirstLine(tc.in); got != tc.want {
			t.Errorf("%s: FirstLine(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		n, width int
		want     []string
	}{
		{"release notes", releaseNotes, 3, 200, []string{
			"- Fix login by @octocat in https://github.com/o/r/pull/12",
			"Full Changelog: https://github.com/o/r/compare/v1.0.0...v1.1.0"}},
		{"later headings count", "# Top\nintro\n## Details\nmore", 5, 80, []string{"intro", "Details", "more"}},
		{"cut", "abcdefghij\nあいうえおかきくけこ\nshort", 3, 5, []string{"abcd…", "あいうえ…", "short"}},
		{"cut before a tag fragment", "see [tox] more", 1, 8, []string{"see …"}},
		{"n", "a\nb\nc", 2, 10, []string{"a", "b"}},
		{"nothing", "```\ncode\n```", 3, 10, nil},
		{"zero", "a", 0, 10, nil},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, Excerpt(tc.in, tc.n, tc.width)); diff != "" {
			t.Errorf("%s: Excerpt(%q, %d, %d) (-want +got):\n%s", tc.name, tc.in, tc.n, tc.width, diff)
		}
	}
}

// TestLimits feeds input built to make a naive converter slow or huge: each
// must convert quickly, and input over maxInput is cut on a rune boundary.
func TestLimits(t *testing.T) {
	t.Parallel()
	big := 1 << 20
	inputs := map[string]string{
		"brackets":       strings.Repeat("[", big),
		"nested links":   strings.Repeat("[", big/2) + strings.Repeat("](x)", big/8),
		"link attempts":  strings.Repeat("[a](x", big/5),
		"backticks":      backtickStaircase(big),
		"comments":       strings.Repeat("<!--", big/4),
		"tags":           strings.Repeat("<a ", big/3),
		"emphasis":       strings.Repeat("*a _b ", big/6),
		"http":           strings.Repeat("http*", big/5),
		"quotes":         strings.Repeat(">", big/2) + strings.Repeat("<br>", big/8),
		"lists":          nestedList(big),
		"lines":          strings.Repeat("\n", big),
		"over the limit": strings.Repeat("あ", big),
	}
	for name, in := range inputs {
		start := time.Now()
		out := string(Text(in))
		t.Logf("%s: %v", name, time.Since(start))
		if d := time.Since(start); d > time.Minute {
			t.Errorf("%s: took %v", name, d)
		}
		if len(out) > 4*big || !utf8.ValidString(out) {
			t.Errorf("%s: %d bytes of output, valid UTF-8 %v", name, len(out), utf8.ValidString(out))
		}
	}
	if got := len(Text(strings.Repeat("あ", big))); got > big {
		t.Errorf("input over the limit gave %d bytes", got)
	}
}

// backtickStaircase is runs of backticks of growing length, none closed.
func backtickStaircase(size int) string {
	var b strings.Builder
	for n := 1; b.Len() < size; n++ {
		b.WriteString(strings.Repeat("`", n) + " ")
	}
	return b.String()
}

// nestedList is list items, each nested under the one before.
func nestedList(size int) string {
	var b strings.Builder
	for n := 0; b.Len() < size; n += 2 {
		b.WriteString(strings.Repeat(" ", n) + "- x<br><br><br>\n")
	}
	return b.String()
}

// checkSafe checks what must hold for any input: the only live notation
// in Text is the [code], [/code] and [hr] it writes, one pair for each
// code block and one [hr] for each rule that Lines reports; no line of
// Lines, FirstLine or Excerpt holds live notation.
func checkSafe(t *testing.T, md string) {
	t.Helper()
	out := string(Text(md))
	lines := Lines(md)
	blocks, rules := 0, 0
	for i, l := range lines {
		if l.Code && (i == 0 || !lines[i-1].Code) {
			blocks++
		}
		if l.Rule {
			rules++
		}
		if tags := notation.LiveTags(l.Text); len(tags) > 0 || strings.ContainsAny(l.Text, "\r\n") {
			t.Fatalf("Lines(%q): line %q holds %q or a line break", md, l.Text, tags)
		}
	}
	count := map[string]int{}
	for _, tag := range notation.LiveTags(out) {
		if tag != "[code" && tag != "[/code" && tag != "[hr" {
			t.Fatalf("Text(%q) = %q holds live %q", md, out, tag)
		}
		count[tag]++
	}
	if count["[code"] != blocks || count["[/code"] != blocks || count["[hr"] != rules {
		t.Fatalf("Text(%q) = %q: live tags %v for %d code blocks and %d rules", md, out, count, blocks, rules)
	}
	if !utf8.ValidString(out) || strings.Contains(out, "\r") {
		t.Fatalf("Text(%q) = %q: invalid UTF-8 or CR", md, out)
	}
	for _, s := range append(Excerpt(md, 3, 10), FirstLine(md)) {
		if tags := notation.LiveTags(s); len(tags) > 0 {
			t.Fatalf("excerpt of %q: %q holds %q", md, s, tags)
		}
	}
	for _, s := range Excerpt(md, 3, 10) {
		if utf8.RuneCountInString(s) > 10 {
			t.Fatalf("excerpt of %q: %q is longer than 10 characters", md, s)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, tc := range textTests {
		f.Add(tc.in)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, file := range files {
		if md, err := os.ReadFile(file); err == nil {
			f.Add(string(md))
		}
	}
	f.Fuzz(func(t *testing.T, md string) { checkSafe(t, md) })
}

func BenchmarkText(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("## What's Changed\n")
	for i := 0; sb.Len() < 20<<10; i++ {
		sb.WriteString("* Fix `retry_max` handling for **large** uploads by @octocat in https://github.com/o/r/pull/1234\n")
		if i%10 == 0 {
			sb.WriteString("* Bump [golang.org/x/net](https://github.com/golang/net) from 0.22.0 to 0.23.0 by @dependabot[bot]\n")
		}
	}
	sb.WriteString("\n## New Contributors\n* @hubot made their first contribution in https://github.com/o/r/pull/14\n\n")
	sb.WriteString("**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v1.1.0\n")
	md := sb.String()
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		Text(md)
	}
}
