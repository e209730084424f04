package ghaction

import (
	"strings"
	"unicode"
)

// The runner reads a line as a workflow command when, after .NET's
// TrimStart (every Unicode white space character), it starts with "::",
// or when it holds "##[" anywhere (actions/runner ActionCommand.TryParseV2
// and TryParse). It splits output at CR and LF, and compares with .NET's
// culture-sensitive StartsWith/IndexOf, which skip default-ignorable
// characters. couldBeCommand answers for that rule with a margin: it
// treats more characters as line breaks and as skippable than the runner
// does, so whatever the runner could read as a command is fenced.

// lineBreak reports whether r may end a line for the runner or for a
// viewer of the log.
func lineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// skippable reports whether r may be trimmed or ignored before the runner
// matches "::" or "##[": white space, controls, format characters
// (U+00AD, U+200B, U+FEFF, …), combining marks, variation selectors and
// other default-ignorable code points.
func skippable(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me,
		unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) || r == 0x180E
}

// commandView is text as the runner's comparisons may see it: lower case
// (command names and the resume token compare case-insensitively), with
// skippable characters dropped and every line break as "\n".
func commandView(text string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case lineBreak(r):
			return '\n'
		case skippable(r):
			return -1
		}
		return unicode.ToLower(r)
	}, text)
}

// couldBeCommand reports whether the runner could read any line of text
// as a workflow command.
func couldBeCommand(view string) bool {
	if strings.Contains(view, "##[") {
		return true
	}
	for line := range strings.SplitSeq(view, "\n") {
		if strings.HasPrefix(line, "::") {
			return true
		}
	}
	return false
}

// oneLine folds every line break so a label or an annotation stays on one
// line of the log.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if lineBreak(r) {
			return ' '
		}
		return r
	}, s)
}
