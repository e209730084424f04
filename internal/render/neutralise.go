package render

import (
	"reflect"
	"strings"
	"unicode/utf8"
)

// Neutralise makes untrusted text safe to place in a Chatwork message while
// it still reads the same to a person:
//   - square brackets become full-width brackets (［ ］), so the text can
//     neither open nor close any Chatwork tag ([toall], [To:1], [/info],
//     [code], [rp …], …), whatever the case or spacing Chatwork tolerates;
//   - CRLF and lone CR become LF;
//   - control characters other than LF and TAB, and the Unicode
//     bidirectional overrides that can make text display differently from
//     what it says, are dropped.
func Neutralise(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '[':
			b.WriteRune('［')
		case r == ']':
			b.WriteRune('］')
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

// isPlain reports whether s needs no change (the common case: no brackets,
// no controls, plain ASCII), so Neutralise can return it without copying.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' || c == ']' || c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
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

// mapStrings returns a deep copy of v in which every string (struct fields,
// slice elements, map keys and values, interface contents) is replaced by
// f(string). Other values are copied as they are.
func mapStrings(v reflect.Value, f func(string) string) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(f(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(mapStrings(v.Elem(), f))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(mapStrings(v.Elem(), f))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() {
				out.Field(i).Set(mapStrings(v.Field(i), f))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(mapStrings(v.Index(i), f))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(mapStrings(iter.Key(), f), mapStrings(iter.Value(), f))
		}
		return out
	}
	return v
}

// longestString returns the byte length of the longest string inside v.
func longestString(v reflect.Value) int {
	n := 0
	mapStrings(v, func(s string) string {
		n = max(n, len(s))
		return s
	})
	return n
}

// capString shortens s to at most n bytes on a rune boundary, ending in "…"
// when it was cut.
func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	if n < len(ellipsis) {
		return ""
	}
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
