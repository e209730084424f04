package answer

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// classifyCase is a text as typed (Text normalises it) and the verdict.
type classifyCase struct {
	text string
	want Verdict
}

// testClassify runs Classify on the normalised text of each case.
func testClassify(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		if got := Classify(Text(tc.text)); got != tc.want {
			t.Errorf("Classify(%q) = %v, want %v", Text(tc.text), got, tc.want)
		}
	}
}

// TestClassifyNotApproved: the replies a Japanese reviewer found read as
// approvals when an approve word at the start was enough. None of them
// may approve: a negation or a stop anywhere rejects, a question or an
// approve word followed by something else answers nothing.
func TestClassifyNotApproved(t *testing.T) {
	t.Parallel()
	testClassify(t, []classifyCase{
		{"承認できかねます", Reject}, {"承認しかねます", Reject}, {"承認不可", Reject}, {"承認NG", Reject},
		{"承認は保留で", Reject}, {"承認はまだです", Reject}, {"承認待ってください", Reject},
		{"承認前に確認させてください", None}, {"承認したいのですが、テストが落ちています", Reject},
		{"OK?", None}, {"OKですか？", None}, {"OKかな", None}, {"OKしないで", Reject}, {"OKできません", Reject},
		{"OK出せません", Reject}, {"OKは出せません", Reject}, {"OKとは言えません", None},
		{"はい？", None}, {"はい、確認します", None}, {"はい、見ます", None}, {"はい、少々お待ちください", Reject},
		{"了解、ちょっと見ます", None}, {"了解です。ただ少し待ってください", Reject},
		{"GOサイン待ち", Reject}, {"GOしないで", Reject}, {"go back", None}, {"お願いしますが、先に確認を", None},
		// More of the same kind.
		{"ＯＫ？", None}, {"OK❓", None}, {"OK🤔", None}, {"承認しません", Reject}, {"OKじゃないです", Reject},
		{"承認…", None}, {"ok, i guess", None}, {"お疲れ様です。OKですか？", None}, {"OK.\nOK?", Approve},
		{"お疲れ様です。確認しました。ありがとうございます。OK", None}, // a third greeting is not passed over
		{"確認しましたOK", None}, {"hi?", None}, {"thanks", None}, {"お疲れ様です", None},
		{"no problem", Reject}, {"OK, no problem", Reject}, {"LGTM, not a blocker", Reject},
		{"OKです。デプロイは待ってもらえますか？", Reject}, {"待ってもらえますか？", Reject},
		{"👍 but wait", Reject}, {"👍❌", Reject}, {"👍 ×", Reject}, {"OK 🙅‍♂️", Reject},
		{"ok\nNG", Reject}, {"ok [code]no[/code]", Approve}, // code is not read
	})
}

// TestClassifyStop: the everyday ways to say stop reject.
func TestClassifyStop(t *testing.T) {
	t.Parallel()
	var cases []classifyCase
	for _, s := range []string{
		"ちょっと待って", "ちょっと待ってください", "少し待ってください", "少々お待ちください", "一旦待って",
		"いったん止めて", "ストップ", "ストップで", "ｽﾄｯﾌﾟ", "止めてください", "とめて", "やめてください",
		"中断してください", "保留", "保留で", "まだです", "見送りで", "キャンセル", "キャンセルで", "差し戻し",
		"×", "✕", "❌", "🙅", "🙅‍♀️", "👎", "👎🏽", "却下", "いいえ", "ｲｲｴ", "ﾀﾞﾒです", "中止してください",
		"NG", "ＮＧです", "no", "No.", "nope", "reject", "Rejected", "deny", "denied", "stop", "cancel",
		"abort", "wait", "hold on", "not yet", "don't", "please don’t deploy", "n",
		"お疲れ様です。ちょっと待ってください", "OK。やっぱり止めてください", "OKです。今日はデプロイしないでください",
	} {
		cases = append(cases, classifyCase{s, Reject})
	}
	testClassify(t, cases)
}

// TestClassifyApprove: a whole approve sentence approves, after a
// greeting or two, with decoration after it, whatever follows in later
// sentences (when it holds no reject word).
func TestClassifyApprove(t *testing.T) {
	t.Parallel()
	var cases []classifyCase
	for _, s := range []string{
		"OK", "ＯＫ", "ｵｯｹｰ", "おっけー", "オーケー", "おk", "おけ", "OK!!", "OK！", "ok~", "OKです", "OK です",
		"OKです🙏", "OKです！", "OKでお願いします", "okay", "Yes", "y", "y.", "Approve", "approved", "LGTM",
		"LGTM 👍", "go", "GO", "Go ahead!", "ship it", "(y)", "(y)(y)", "👍", "👍🏻", "👍🏿 lgtm", "👍👍", "👌",
		"🙆", "🙆‍♂️", "⭕", "⭕️", "〇", "○", "承認", "承認します", "承認します。よろしくお願いします",
		"承認しました", "承認です", "承認いたします", "お願いします", "お願いいたします", "よろしくお願いします",
		"よろしくお願いいたします", "問題ありません", "問題ないです", "問題なし", "いいですよ", "進めてください",
		"デプロイしてください", "許可します", "はい", "ﾊｲ", "はい、OKです", "はい、お願いします", "はい, OK",
		"了解", "了解です", "了解しました", "承知しました", "お疲れ様です。OKです", "お疲れさまです！\nOKです",
		"おはようございます。確認しました。承認します", "hi, LGTM", "Thanks! Ship it", "thank you. ok",
		"こんにちはー OKです", "OK。テストも見ました", "OK. Deploy v1.2 today", "OK\n問題ありません",
		"OKです♪", "了解です✨", "承認します🙇‍♂️",
	} {
		cases = append(cases, classifyCase{s, Approve})
	}
	testClassify(t, cases)
}

// TestClassifyEdges: word edges, sentence ends and what is not decoration.
func TestClassifyEdges(t *testing.T) {
	t.Parallel()
	testClassify(t, []classifyCase{
		{"okinawa", None}, {"ok2", None}, {"yesterday", None}, {"approves", None}, {"good", None},
		{"go aheadx", None}, {"oky", None}, {"okok", None}, {"now", None}, {"noted", None}, {"know", None},
		{"testing", None}, {"nonstop", None}, {"stopwatch", None}, {"ngx", None}, {"nah", None}, {"await", None},
		{"ok testing", None}, {"OK (testing done)", None}, {"ok, knowing the risk", None},
		{"v1.2 ok", None}, {"ok v1.2", None}, {"OK 1.2. later", None}, {"🙏OK", None}, {"、OK", None},
		{"", None}, {"hmm", None}, {"🙏", None}, {"!", None}, {"ok…", None}, {"はーい", None},
		{"大丈夫です", None}, {"結構です", None}, {"いいです", None}, {"問題ではありません", Reject},
		{"OKです。まとめて見ました", Reject}, // とめて: a false alarm, on the safe side
	})
}

// TestWords: the lists are written as Classify compares them (normalised),
// hold each entry once, and do what they say: an approve phrase approves,
// a reject word rejects (and none is inside another, which would make it
// redundant), a greeting alone answers nothing and before an approve
// phrase takes nothing away.
func TestWords(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, w := range slices.Concat(ApprovePhrases, RejectWords, Greetings) {
		if normalise(w) != w || w == "" {
			t.Errorf("word %q is not normalised (%q)", w, normalise(w))
		}
		if seen[w] {
			t.Errorf("word %q listed twice", w)
		}
		seen[w] = true
	}
	for _, w := range ApprovePhrases {
		for _, s := range []string{w, w + "!", w + "。承認します", "お疲れ様です。" + w} {
			if Classify(s) != Approve {
				t.Errorf("Classify(%q) = %v", s, Classify(s))
			}
		}
		if s := w + "?"; Classify(s) != None {
			t.Errorf("Classify(%q) = %v", s, Classify(s))
		}
	}
	for _, w := range RejectWords {
		for _, s := range []string{w, "ok " + w, "承認します。" + w} {
			if Classify(s) != Reject {
				t.Errorf("Classify(%q) = %v", s, Classify(s))
			}
		}
		for _, o := range RejectWords {
			if o != w && !asciiAlnum(o[0]) && strings.Contains(w, o) {
				t.Errorf("reject word %q holds %q", w, o)
			}
		}
	}
	for _, g := range Greetings {
		if Classify(g) != None || Classify(g+"、ok") != Approve || Classify(g+" "+g+"。ok") != Approve {
			t.Errorf("greeting %q: %v, %v", g, Classify(g), Classify(g+"、ok"))
		}
	}
}

// FuzzRejectWins: whatever surrounds it, a text that holds a reject word
// never approves, through Classify and through Judge. The word is put in
// with spaces around it when it has ASCII edges; notation around it may
// hide it (a quote, a code block), and then the check is whether the
// text Judge read still holds it, found here with a regular expression
// rather than the code under test.
func FuzzRejectWins(f *testing.F) {
	for _, s := range [][2]string{
		{"OK", ""}, {"承認", "です"}, {"お疲れ様です。OK\n", "OK"}, {"👍", "👍"}, {"[code]", "[/code]OK"},
		{"ｶ", "\u3099"}, {"OK", "\u3099"}, {"はい、", ""}, {"LGTM. ", "!"}, {"[qt]", "[/qt]OK"},
	} {
		for i := range len(RejectWords) {
			f.Add(s[0], s[1], uint(i))
		}
	}
	f.Fuzz(func(t *testing.T, before, after string, i uint) {
		w := RejectWords[i%uint(len(RejectWords))]
		sep := ""
		if asciiAlnum(w[0]) || asciiAlnum(w[len(w)-1]) {
			sep = " "
		}
		body := rp + before + sep + w + sep + after
		text := Text(body)
		if !holds(text, w) {
			return
		}
		if v := Classify(text); v != Reject {
			t.Fatalf("Classify(%q) = %v, holding %q", text, v, w)
		}
		if v, _ := Judge(question, Message{ID: later, AccountID: approver, Body: body}); v != Reject {
			t.Fatalf("Judge(%q) = %v, holding %q", body, v, w)
		}
	})
}

// holds reports whether text holds the reject word w (with ASCII word
// edges where w has them), independently of containsWord.
func holds(text, w string) bool {
	re := regexp.QuoteMeta(w)
	if asciiAlnum(w[0]) {
		re = `(?:^|[^a-zA-Z0-9])` + re
	}
	if asciiAlnum(w[len(w)-1]) {
		re += `(?:[^a-zA-Z0-9]|$)`
	}
	return regexp.MustCompile(re).MatchString(text)
}
