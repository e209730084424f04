package answer

import "strings"

// ApproveWords are the words that approve the question when an answer's
// text begins with one of them. They are written normalised (see
// normalise), as Classify compares them. Normalising does not fold
// katakana to hiragana, so the words people also type in katakana are
// listed in both ("ハイ" is what a half-width "ﾊｲ" becomes).
var ApproveWords = []string{
	"ok", "okay", "yes", "y", "approve", "approved", "lgtm", "go", "go ahead",
	"(y)", // Chatwork's thumbs-up emoticon code
	"👍",   // with or without a skin-tone modifier after it
	"承認", "はい", "ハイ", "了解", "お願いします",
}

// RejectWords are the words that reject the question when an answer's
// text begins with one of them. The negated Japanese forms of approve
// words ("承認しません", "OKじゃない") are here so that, being longer, they
// win over the approve word they begin with.
var RejectWords = []string{
	"ng", "no", "n", "reject", "rejected", "deny", "denied", "stop", "cancel", "abort",
	"👎",
	"却下", "いいえ", "イイエ", "中止", "ダメ", "だめ", "不可", "待って",
	"承認しない", "承認しません", "承認できない", "承認できません",
	"okじゃない", "ok じゃない", "okじゃありません", "ok じゃありません",
	"okではない", "ok ではない", "okではありません", "ok ではありません",
}

// Classify reads normalised text: Approve, Reject or None. The text must
// begin with a word of ApproveWords or RejectWords; when the word ends in
// an ASCII letter or digit, the character after it must not be one ("no"
// does not match "now" or "noted", "ok" does not match "okinawa", "go"
// does not match "good"), otherwise the word is a prefix ("承認します",
// "はい、お願いします", "👍🏽"). When several words match, the longest wins
// ("approved" over "approve", "承認しません" over "承認").
func Classify(text string) Verdict {
	v, n := None, 0
	for _, list := range []struct {
		words []string
		v     Verdict
	}{{ApproveWords, Approve}, {RejectWords, Reject}} {
		for _, w := range list.words {
			if len(w) > n && begins(text, w) {
				v, n = list.v, len(w)
			}
		}
	}
	return v
}

// begins reports whether text begins with the word w (see Classify).
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

// normalise folds text the way NFKC (then lower case) would for the words
// Judge looks for, without the Unicode tables of golang.org/x/text. It
// folds exactly:
//   - full-width ASCII U+FF01–U+FF5E ("ＯＫ", "！") to ASCII U+0021–U+007E;
//   - the ideographic space U+3000 to a space;
//   - half-width katakana and punctuation U+FF61–U+FF9D ("ﾊｲ", "｡") to
//     their full-width forms ("ハイ", "。"), and the half-width sound marks
//     U+FF9E and U+FF9F to the combining marks U+3099 and U+309A;
//   - a combining sound mark U+3099 or U+309A after a kana that has a
//     precomposed voiced or semi-voiced form to that form ("ｶﾞ" → "ガ",
//     "ﾊﾟ" → "パ", "か\u3099" → "が"); elsewhere the mark stays;
//   - upper case to lower case (strings.ToLower, Unicode simple mapping);
//   - runs of white space (unicode.IsSpace: ASCII spaces and controls
//     \t \n \v \f \r, U+0085, U+00A0 and the Unicode space separators) to
//     one space, and white space at either end is trimmed.
//
// Nothing else changes: other compatibility characters (circled digits,
// ligatures, half-width symbols U+FFE0–U+FFEE), invisible characters
// (U+200B, U+FEFF) and emoji variation selectors stay as they are.
func normalise(s string) string {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - 0x21
		case r == 0x3000:
			r = ' '
		case r >= 0xFF61 && r <= 0xFF9D:
			r = fullKana[r-0xFF61]
		case r == 0xFF9E:
			r = 0x3099
		case r == 0xFF9F:
			r = 0x309A
		}
		if n := len(rs); n > 0 && (r == 0x3099 || r == 0x309A) {
			if c, ok := compose(rs[n-1], r); ok {
				rs[n-1] = c
				continue
			}
		}
		rs = append(rs, r)
	}
	return strings.Join(strings.Fields(strings.ToLower(string(rs))), " ")
}

// fullKana holds the full-width forms of U+FF61–U+FF9D, in order.
var fullKana = []rune("。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")

// voiced and semiVoiced map a kana to its precomposed form with U+3099
// (dakuten) or U+309A (handakuten), as Unicode's canonical composition
// does.
var voiced, semiVoiced = func() (map[rune]rune, map[rune]rune) {
	v := map[rune]rune{
		'ウ': 'ヴ', 'ワ': 'ヷ', 'ヰ': 'ヸ', 'ヱ': 'ヹ', 'ヲ': 'ヺ', 'ヽ': 'ヾ',
		'う': 'ゔ', 'ゝ': 'ゞ',
	}
	p := map[rune]rune{}
	// In these rows the voiced form is the next code point.
	for _, r := range "カキクケコサシスセソタチツテトかきくけこさしすせそたちつてと" {
		v[r] = r + 1
	}
	// In the h row the voiced form is next, the semi-voiced one after it.
	for _, r := range "ハヒフヘホはひふへほ" {
		v[r], p[r] = r+1, r+2
	}
	return v, p
}()

// compose returns base with the combining sound mark applied, if Unicode
// has that character.
func compose(base, mark rune) (rune, bool) {
	table := voiced
	if mark == 0x309A {
		table = semiVoiced
	}
	c, ok := table[base]
	return c, ok
}
