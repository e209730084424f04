package chatwork

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// cappedText is a JSON string decoded straight into at most maxKeptBody
// bytes: a message body from a room read. A body longer than any message
// Chatwork accepts is cut (so it never equals a real one), and an escaped
// body (Chatwork writes non-ASCII as \uXXXX, six bytes a character) is
// not first copied whole, as encoding/json's own decoding would.
type cappedText string

// UnmarshalJSON decodes a JSON string (or null) into at most maxKeptBody
// bytes, cut on a rune boundary.
func (c *cappedText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = ""
		return nil
	}
	s, err := unquoteCapped(b, maxKeptBody)
	*c = cappedText(s)
	return err
}

var errNotString = errors.New("a message body is not a JSON string")

// unquoteCapped decodes the JSON string literal b (quotes included, as the
// decoder has already checked it) and keeps at most limit bytes.
func unquoteCapped(b []byte, limit int) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", errNotString
	}
	b = b[1 : len(b)-1]
	out := make([]byte, 0, min(len(b), limit+utf8.UTFMax))
	i := 0
	for i < len(b) && len(out) < limit {
		if b[i] != '\\' {
			out = append(out, b[i])
			i++
			continue
		}
		r, n := unescape(b[i:])
		if n == 0 {
			return "", errNotString
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	if i < len(b) || len(out) > limit { // cut: drop what passes the limit and a rune left incomplete
		out = out[:limit]
		for len(out) > 0 && !utf8.FullRune(out[lastRuneStart(out):]) {
			out = out[:lastRuneStart(out)]
		}
	}
	return string(out), nil
}

// lastRuneStart is the index where the last (maybe incomplete) rune of b
// starts.
func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// unescape reads one escape sequence at the start of b ("\n", "\u00e9",
// a surrogate pair "\ud83d\ude00") and returns the rune and the bytes it
// took (0 when b does not start with a valid escape).
func unescape(b []byte) (rune, int) {
	if len(b) < 2 {
		return 0, 0
	}
	switch b[1] {
	case '"', '\\', '/':
		return rune(b[1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hex4(b[2:])
		if r < 0 {
			return 0, 0
		}
		if utf16.IsSurrogate(r) {
			if len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
				if r2 := hex4(b[8:]); r2 >= 0 {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						return pair, 12
					}
				}
			}
			return utf8.RuneError, 6
		}
		return r, 6
	}
	return 0, 0
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(n)
}
