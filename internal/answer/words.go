package answer

import (
	"strings"
	"unicode"
)

// The lists below are written normalised (see normalise), as Classify
// compares them. Normalising does not fold katakana to hiragana, so words
// people also type in katakana are listed in both ("ハイ" is what a
// half-width "ﾊｲ" becomes).

// ApprovePhrases are the phrases that approve the question: an answer
// approves when its first sentence (after greetings) is made of them
// alone, with decoration and separators between and after them (see
// Classify). Words that can also mean "no, thanks" (大丈夫です, 結構です,
// いいです) are left out on purpose.
var ApprovePhrases = []string{
	"ok", "okay", "ok です", "okです", "ok でお願いします", "okでお願いします",
	"おk", "おけ", "オッケー", "おっけー", "オーケー",
	"yes", "y", "approve", "approved", "lgtm", "go", "go ahead", "ship it",
	"(y)", // Chatwork's thumbs-up emoticon code
	"👍",   // with or without a skin-tone modifier after it
	"👌", "🙆", "⭕", "〇", "○",
	"承認", "承認します", "承認しました", "承認です", "承認いたします",
	"お願いします", "お願いいたします", "よろしくお願いします", "よろしくお願いいたします",
	"問題ありません", "問題ないです", "問題なし", "いいですよ",
	"進めてください", "デプロイしてください", "許可します",
	"はい", "ハイ", "了解", "了解です", "了解しました", "承知しました",
}

// RejectWords are the words that reject the question wherever they occur
// in an answer, even after an approve phrase: a deploy must never go
// ahead on a reply that also says stop. A word that begins or ends with
// an ASCII letter or digit matches only where the character on that side
// is not one ("no" is not in "know" or "now", "ng" is not in "testing",
// "stop" is not in "nonstop"); the others match anywhere ("承認不可",
// "GOサイン待ち"). The Japanese negative endings ("できません", "しない",
// "出せません") are here because they make an approve word negative
// ("OKできません", "承認しかねます"); "ない" and "ありません" alone are not,
// so "問題ありません" and "問題ないです" approve. Being read anywhere, the
// English words reject some friendly replies too ("OK, no problem"): on
// the safe side; the step fails, and a re-run asks again.
var RejectWords = []string{
	"ng", "no", "n", "nope", "not", "don't", "don’t", "dont",
	"reject", "rejected", "deny", "denied", "stop", "stopped",
	"cancel", "cancelled", "canceled", "abort", "aborted",
	"wait", "waiting", "hold", "halt", "pause",
	"👎", "❌", "❎", "×", "✕", "✖", "✗", "✘", "🙅", "🚫", "⛔", "🛑",
	"却下", "いいえ", "イイエ", "中止", "中断", "ダメ", "だめ", "駄目", "不可", "無理", "反対",
	"待って", "待ち", "保留", "まだ", "見送", "差し戻", "差戻", "キャンセル", "ストップ",
	"止めて", "とめて", "やめて", "一旦", "いったん",
	"できない", "できません", "かねます", "出せない", "出せません", "しない", "しません",
	"じゃない", "ではない", "ではありません", "じゃありません",
	// A reservation after an approval ("OKです。ただ、テストが落ちています")
	// is not an approval.
	"but", "however", "ただ、", "ただし", "ですが", "けど", "でも",
}

// Greetings are the greetings and acknowledgements that may come before
// an answer, as a sentence or a part of one of their own ("お疲れ様です。
// OKです", "thanks, LGTM"): at most two are passed over (see Classify).
// Alone they answer nothing.
var Greetings = []string{
	"お疲れさまです", "お疲れ様です", "おつかれさまです", "お疲れさまでした", "お疲れ様でした",
	"おはようございます", "こんにちは", "こんばんは", "お世話になっております", "お待たせしました",
	"確認しました", "ありがとうございます", "hi", "hello", "thanks", "thank you",
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
//     \t \n \v \f \r, U+0085, U+00A0, U+2028, U+2029 and the Unicode
//     space separators) to one line break "\n" when the run holds a line
//     break (\n \v \f \r, U+0085, U+2028 or U+2029), where a sentence ends
//     (see Classify), and to one space otherwise; white space at either
//     end is trimmed.
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
	return collapseSpace(strings.ToLower(string(rs)))
}

// collapseSpace makes each run of white space in s one line break or one
// space, and trims it (see normalise).
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, lineBreak := false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			lineBreak = lineBreak || strings.ContainsRune("\n\v\f\r\u0085\u2028\u2029", r)
			continue
		}
		if space && b.Len() > 0 {
			if lineBreak {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		space, lineBreak = false, false
		b.WriteRune(r)
	}
	return b.String()
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
