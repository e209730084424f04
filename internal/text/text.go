// Package text is the one place that shortens text for people: to a
// number of bytes or of characters, always on a rune boundary, ending in
// "…" when it cut. Text that may hold a secret is redacted before it gets
// here (see internal/secret), so a cut never leaves a piece of one.
package text

import "unicode/utf8"

// Ellipsis ends text that was cut.
const Ellipsis = "…"

// Cut keeps at most n bytes of s on a rune boundary, ending in Ellipsis
// (counted in the n bytes) when it cut.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < len(Ellipsis) {
		return ""
	}
	return Head(s, n-len(Ellipsis)) + Ellipsis
}

// CutRunes keeps at most n characters of s, ending in Ellipsis (counted
// as one character) when it cut.
func CutRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return s[:RuneBytes(s, n-1)] + Ellipsis
}

// Head keeps at most n bytes of s on a rune boundary, with no ellipsis:
// for bounds that only protect the program.
func Head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// RuneBytes is how many bytes the first n characters of s take (len(s)
// when s has fewer).
func RuneBytes(s string, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
