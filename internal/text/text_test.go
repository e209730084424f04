package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s     string
		n     int
		bytes string
		runes string
	}{
		{"hello", 10, "hello", "hello"},
		{"hello", 5, "hello", "hello"},
		{"hello world", 8, "hello…", "hello w…"},
		{"日本語のテキスト", 9, "日本…", "日本語のテキスト"},
		{"日本語のテキスト", 4, "…", "日本語…"},
		{"abc", 2, "", "a…"},
		{"abc", 0, "", ""},
	}
	for _, tc := range tests {
		if got := Cut(tc.s, tc.n); got != tc.bytes || len(got) > tc.n {
			t.Errorf("Cut(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.bytes)
		}
		if got := CutRunes(tc.s, tc.n); got != tc.runes {
			t.Errorf("CutRunes(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.runes)
		}
	}
}

func FuzzCut(f *testing.F) {
	f.Add("日本語 and ascii", 7)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) || n < 0 || n > 1<<20 {
			return
		}
		c, r, h := Cut(s, n), CutRunes(s, n), Head(s, n)
		if len(c) > n || !utf8.ValidString(c) || !utf8.ValidString(r) || !utf8.ValidString(h) || len(h) > n || utf8.RuneCountInString(r) > n {
			t.Fatalf("%q %d: %q %q %q", s, n, c, r, h)
		}
		if c != s && !strings.HasSuffix(c, Ellipsis) && c != "" {
			t.Fatalf("Cut(%q, %d) = %q cut without an ellipsis", s, n, c)
		}
	})
}
