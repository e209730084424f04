package answer

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Classify reads normalised text (see Text) and says what it answers. The
// rules, in order:
//
//  1. Reject wins anywhere: text holding a word of RejectWords anywhere
//     rejects ("承認できかねます", "OK出せません", "了解です。ただ少し待って
//     ください", "OK, no problem"), so a deploy never goes ahead on a reply
//     that also says stop, even one that asks ("待ってもらえますか？").
//  2. A greeting first is skipped: one or two Greetings at the start, each
//     followed by decoration or the end of its sentence ("お疲れ様です。",
//     "thanks, "), are passed over.
//  3. A question is not an answer: a question mark (?, ？, ❓, ❔, ⁇, ⁈,
//     ⁉) or 🤔 in the first sentence left gives None ("OK?", "はい？").
//  4. Approve only a whole approve sentence: the first sentence left
//     approves when it is made of ApprovePhrases alone, one after another
//     with decoration between and after them ("OK!!", "はい、OKです",
//     "LGTM 👍", "OKです🙏"): spaces, 、 , ~ 〜 ー ! ‼ and emoji (those
//     of RejectWords and the question marks are never decoration). An
//     approve phrase that ends in an ASCII letter or digit must not be
//     followed by one ("okinawa", "good"). "はい、確認します" and "OKかな"
//     approve nothing.
//  5. Anything else is None.
//
// A sentence ends at 。 . ! or a line break ("." between two digits, as in
// v1.2, does not end one); full-width ？ ！ ． are their ASCII forms once
// normalised.
func Classify(text string) Verdict {
	if hasRejectWord(text) {
		return Reject
	}
	s := firstSentence(skipGreetings(text))
	if strings.ContainsFunc(s, doubt) {
		return None
	}
	if approves(s) {
		return Approve
	}
	return None
}

// hasRejectWord reports whether a word of RejectWords is in text.
func hasRejectWord(text string) bool {
	return slices.ContainsFunc(RejectWords, func(w string) bool { return containsWord(text, w) })
}

// containsWord reports whether w occurs in text where an edge of w that is
// an ASCII letter or digit does not touch another (see RejectWords).
func containsWord(text, w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || !asciiAlnum(w[0]) || !asciiAlnum(text[start-1])) &&
			(end == len(text) || !asciiAlnum(w[len(w)-1]) || !asciiAlnum(text[end])) {
			return true
		}
		i = start + 1
	}
	return false
}

// begins reports whether text begins with w, not followed by an ASCII
// letter or digit when w ends in one.
func begins(text, w string) bool {
	rest, ok := strings.CutPrefix(text, w)
	if !ok || w == "" {
		return false
	}
	return rest == "" || !asciiAlnum(w[len(w)-1]) || !asciiAlnum(rest[0])
}

func asciiAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// longest returns the longest word of words that text begins with, or "".
func longest(text string, words []string) string {
	found := ""
	for _, w := range words {
		if len(w) > len(found) && begins(text, w) {
			found = w
		}
	}
	return found
}

// maxGreetings is how many greetings Classify passes over.
const maxGreetings = 2

// skipGreetings returns text without the greetings it begins with (see
// Classify): each must be followed by the end of the text, decoration or
// the end of a sentence, all of which go with it.
func skipGreetings(text string) string {
	for range maxGreetings {
		g := longest(text, Greetings)
		if g == "" {
			break
		}
		rest := skipDecoration(text[len(g):], true)
		if rest == text[len(g):] && rest != "" {
			break // "確認しましたok" is not a greeting and an answer
		}
		text = rest
	}
	return text
}

// firstSentence returns text up to the end of its first sentence (see
// Classify).
func firstSentence(text string) string {
	for i, r := range text {
		if r == '.' && i > 0 && i+1 < len(text) && isDigit(text[i-1]) && isDigit(text[i+1]) {
			continue
		}
		if sentenceEnd(r) {
			return text[:i]
		}
	}
	return text
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// sentenceEnd reports whether r ends a sentence in normalised text.
func sentenceEnd(r rune) bool {
	return r == '。' || r == '.' || r == '!' || r == '\n'
}

// approves reports whether sentence is made of approve phrases and
// decoration alone, beginning with a phrase (see Classify).
func approves(sentence string) bool {
	if sentence == "" {
		return false
	}
	for sentence != "" {
		p := longest(sentence, ApprovePhrases)
		if p == "" {
			return false
		}
		sentence = skipDecoration(sentence[len(p):], false)
	}
	return true
}

// skipDecoration returns s without the decoration it begins with, and
// without sentence ends too when ends is true; it stops at an approve
// phrase, even one that is an emoji ("お疲れ様です。👍").
func skipDecoration(s string, ends bool) string {
	for s != "" && longest(s, ApprovePhrases) == "" {
		r, n := utf8.DecodeRuneInString(s)
		if !decoration(r) && (!ends || !sentenceEnd(r)) {
			return s
		}
		s = s[n:]
	}
	return s
}

// doubt reports whether r is a question mark or 🤔 (see Classify).
func doubt(r rune) bool {
	return strings.ContainsRune("?❓❔⁇⁈⁉🤔", r)
}

// decoration reports whether r may come between and after approve phrases
// and after a greeting: white space, 、 , ~ 〜 ー ! ‼, and emoji other than
// the reject symbols and doubt.
func decoration(r rune) bool {
	switch {
	case strings.ContainsRune(" 、,~〜ー!‼", r):
		return true
	case doubt(r) || !emoji(r):
		return false
	}
	return !slices.Contains(RejectWords, string(r))
}

// emoji reports whether r is in one of the blocks most emoji are written
// with (U+1F000–U+1FAFF pictographs, emoticons and skin tones; U+2600–
// U+27BF symbols and dingbats; U+2B00–U+2BFF, which holds ⭐ and ⭕), or
// joins or varies them (U+200D, U+FE0E, U+FE0F, U+20E3).
func emoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, // pictographs, emoticons, skin tones
		r >= 0x2600 && r <= 0x27BF, // symbols and dingbats: ☀ ♪ ✨ ✅
		r >= 0x2B00 && r <= 0x2BFF, // ⭐ ⭕
		r == 0x200D, r == 0xFE0E, r == 0xFE0F, r == 0x20E3:
		return true
	}
	return false
}
