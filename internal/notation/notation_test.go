package notation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"[toall]", "［toall］"},
		{"[To:123] boss", "［To:123］ boss"},
		{"x[/info][info]", "x［/info］［info］"},
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
		if strings.ContainsAny(out, "[]\r") {
			t.Fatalf("Neutralise(%q) = %q still has brackets or CR", in, out)
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
	got := Join([]Markup{ToAll, To(12), Markup("[To:3] ") + Markup(Neutralise("[x]"))}, " [")
	if got != "[toall] ［[To:12] ［[To:3] ［x］" {
		t.Errorf("got %q", got)
	}
}
