package notation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNeutralise(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"[toall]", "［toall］"},
		{"[To:123] boss", "［To:123］ boss"},
		{"x[/info][info]", "x［/info］［info］"},
		{"[TOALL] and [ToAll]", "［TOALL］ and ［ToAll］"},
		{"[ to:1]", "［ to:1］"},
		{"[ / info ]", "［ / info ］"},
		{"[\u3000code]", "［\u3000code］"},
		{"[rp aid=1 to=2-3]", "［rp aid=1 to=2-3］"},
		{"[piconname:1]", "［piconname:1］"},
		{"[qtmeta aid=1]", "［qtmeta aid=1］"},
		{"dependabot[bot]", "dependabot[bot]"},
		{"github-actions[bot]", "github-actions[bot]"},
		{"[WIP] ログイン画面", "[WIP] ログイン画面"},
		{"[skip ci] bump", "[skip ci] bump"},
		{"[information]", "[information]"},
		{"[1/2] part", "[1/2] part"},
		{"ends with [to", "ends with ［to"},
		{"ends with [", "ends with ［"},
		{"toall] starts", "toall］ starts"},
		{" info] starts", " info］ starts"},
		{"fine] here", "fine] here"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"bell\a nul\x00 del\x7f tab\tok", "bell nul del tab\tok"},
		{"rtl\u202eevil\u2066", "rtlevil"},
		{"日本語 [code]", "日本語 ［code］"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tc := range tests {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"[toall]", "[To:1]x[/info]", "\r\n::error::x", "[[]]", "\u202e", "\xff["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Neutralise(in)
		if hasTag(out) || strings.Contains(out, "\r") {
			t.Fatalf("Neutralise(%q) = %q holds a live tag or CR", in, out)
		}
		// Values are placed next to each other and after a template's own "[".
		half := len(in) / 2
		for _, joined := range []string{Neutralise(in[:half]) + Neutralise(in[half:]), "[" + out, "[/" + out} {
			if hasTag(joined) {
				t.Fatalf("Neutralise(%q) joined as %q holds a live tag", in, joined)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 %q", out)
		}
		if Neutralise(out) != out {
			t.Fatalf("not idempotent on %q", in)
		}
	})
}

func TestMarkup(t *testing.T) {
	t.Parallel()
	got := Join([]Markup{ToAll, To(12), Markup("[To:3] ") + Markup(Neutralise("[x]"))}, " [")
	if got != "[toall] ［[To:12] ［[To:3] [x]" {
		t.Errorf("got %q", got)
	}
}

// FuzzCut: cutting neutralised text anywhere keeps it neutral, alone and
// followed by more neutralised text.
func FuzzCut(f *testing.F) {
	f.Add("[tox] [to", 4, "o:1]")
	f.Add("x [  /  info", 9, "]")
	f.Add("[t", 2, "oall]")
	f.Fuzz(func(t *testing.T, s string, n int, next string) {
		if n < 0 {
			n = -n
		}
		cut := Cut(Neutralise(s), n%(len(s)+2))
		if len(cut) > n%(len(s)+2) || hasTag(cut) || hasTag(cut+Neutralise(next)) {
			t.Fatalf("Cut(%q, %d) = %q (next %q)", s, n, cut, next)
		}
	})
}

// TestBareTagBodies: a value that is a tag body by itself cannot become a
// tag after a template's own "["; other values stay as typed.
func TestBareTagBodies(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"toall": "ｔoall", "TOALL": "ＴOALL", "/info": "/ｉnfo", "To:123": "Ｔo:123", "rp aid=1 to=2-3": "ｒp aid=1 to=2-3",
		"code": "ｃode", " hr": " ｈr",
		"info-page": "info-page", "code_review": "code_review", "main": "main", "topic": "topic", "todo": "todo", "": "",
	} {
		got := Bare(in)
		if got != want {
			t.Errorf("Bare(%q) = %q, want %q", in, got, want)
		}
		if live := LiveTags("[" + got + "]"); len(live) > 0 && got != in {
			t.Errorf("[%s] still holds %q", got, live)
		}
	}
}
