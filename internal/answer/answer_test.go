package answer

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	room     = 456
	me       = 4242001 // the token's account
	approver = 1001
	stranger = 2002
	qid      = "1897000000000000001"
	later    = "1897000000000000002"
)

// question is the question the Judge cases answer; the token's account is
// listed as an approver too, which must not let it answer.
var question = Question{Room: room, ID: qid, Me: me, Approvers: []int64{approver, me, 1003}}

// rp is what the reply button writes in front of an answer to the question.
const rp = "[rp aid=4242001 to=456-1897000000000000001]CI Bot\n"

// judgeCases are the messages TestJudge reads: each answers question (with
// its ID replaced by qid when that is set).
var judgeCases = []struct {
	name   string
	qid    string // the question's id when not qid
	m      Message
	want   Verdict
	reason Reason
}{
	{"reply OK", "", Message{ID: later, AccountID: approver, Body: rp + "OK"}, Approve, ""},
	{"reply ok!", "", Message{ID: later, AccountID: approver, Body: rp + "ok!"}, Approve, ""},
	{"full-width ＯＫ", "", Message{ID: later, AccountID: approver, Body: rp + "ＯＫ"}, Approve, ""},
	{"full-width ｙｅｓ", "", Message{ID: later, AccountID: approver, Body: rp + "ｙｅｓ"}, Approve, ""},
	{"LGTM 👍", "", Message{ID: later, AccountID: approver, Body: rp + "LGTM 👍"}, Approve, ""},
	{"👍 skin tone", "", Message{ID: later, AccountID: approver, Body: rp + "👍🏽"}, Approve, ""},
	{"👍 alone", "", Message{ID: later, AccountID: approver, Body: rp + "👍"}, Approve, ""},
	{"emoticon (y)", "", Message{ID: later, AccountID: approver, Body: rp + "(y)"}, Approve, ""},
	{"承認します", "", Message{ID: later, AccountID: approver, Body: rp + "承認します"}, Approve, ""},
	{"はい、お願いします", "", Message{ID: later, AccountID: approver, Body: rp + "はい、お願いします"}, Approve, ""},
	{"half-width ﾊｲ", "", Message{ID: later, AccountID: approver, Body: rp + "ﾊｲ"}, Approve, ""},
	{"half-width ｲｲｴ", "", Message{ID: later, AccountID: approver, Body: rp + "ｲｲｴ"}, Reject, ""},
	{"half-width ﾀﾞﾒ", "", Message{ID: later, AccountID: approver, Body: rp + "ﾀﾞﾒです"}, Reject, ""},
	{"ok です", "", Message{ID: later, AccountID: approver, Body: rp + "OK です"}, Approve, ""},
	{"go ahead", "", Message{ID: later, AccountID: approver, Body: rp + "Go ahead!"}, Approve, ""},
	{"NG", "", Message{ID: later, AccountID: approver, Body: rp + "NG"}, Reject, ""},
	{"no thanks", "", Message{ID: later, AccountID: approver, Body: rp + "no thanks"}, Reject, ""},
	{"却下で", "", Message{ID: later, AccountID: approver, Body: rp + "却下で"}, Reject, ""},
	{"いいえ", "", Message{ID: later, AccountID: approver, Body: rp + "いいえ"}, Reject, ""},
	{"中止してください", "", Message{ID: later, AccountID: approver, Body: rp + "中止してください"}, Reject, ""},
	{"👎", "", Message{ID: later, AccountID: approver, Body: rp + "👎🏿 not now"}, Reject, ""},
	{"承認しません beats 承認", "", Message{ID: later, AccountID: approver, Body: rp + "承認しません"}, Reject, ""},
	{"OKじゃない beats OK", "", Message{ID: later, AccountID: approver, Body: rp + "ＯＫじゃないです"}, Reject, ""},
	{"now", "", Message{ID: later, AccountID: approver, Body: rp + "now checking"}, None, UnknownWord},
	{"okinawa", "", Message{ID: later, AccountID: approver, Body: rp + "okinawa"}, None, UnknownWord},
	{"good", "", Message{ID: later, AccountID: approver, Body: rp + "good question"}, None, UnknownWord},
	{"noted", "", Message{ID: later, AccountID: approver, Body: rp + "noted"}, None, UnknownWord},
	{"not ok", "", Message{ID: later, AccountID: approver, Body: rp + "not ok"}, Reject, ""},
	{"greeting, then OK on the next line", "", Message{ID: later, AccountID: approver, Body: rp + "お疲れ様です\nOKです"}, Approve, ""},
	{"OK, then wait on the next line", "", Message{ID: later, AccountID: approver, Body: rp + "OK\nちょっと待ってください"}, Reject, ""},
	{"OK then words on the next line", "", Message{ID: later, AccountID: approver, Body: rp + "OK\nテスト結果も見ました"}, Approve, ""},
	{"OK and words on one line", "", Message{ID: later, AccountID: approver, Body: rp + "OK テスト結果も見ました"}, None, UnknownWord},
	{"a question", "", Message{ID: later, AccountID: approver, Body: rp + "ＯＫですか？"}, None, UnknownWord},
	{"negated OK", "", Message{ID: later, AccountID: approver, Body: rp + "OKは出せません"}, Reject, ""},
	{"chatter saying wait", "", Message{ID: later, AccountID: stranger, Body: "ちょっと待って"}, None, NotApprover},
	{"chatter saying not", "", Message{ID: later, AccountID: approver, Body: "not me"}, None, NotAReply},
	{"chatter noted", "", Message{ID: later, AccountID: approver, Body: "noted"}, None, ""},
	{"chatter okinawa", "", Message{ID: later, AccountID: stranger, Body: "okinawa trip"}, None, ""},
	{"non-approver", "", Message{ID: later, AccountID: stranger, Body: rp + "OK"}, None, NotApprover},
	{"non-approver plain OK", "", Message{ID: later, AccountID: stranger, Body: "OK"}, None, NotApprover},
	{"token account", "", Message{ID: later, AccountID: me, Body: rp + "OK"}, None, TokenAccount},
	{"token account To", "", Message{ID: later, AccountID: me, Body: "[To:4242001]CI Botさん\nOK"}, None, TokenAccount},
	{"plain OK", "", Message{ID: later, AccountID: approver, Body: "OK"}, None, NotAReply},
	{"reply to another message", "", Message{ID: later, AccountID: approver,
		Body: "[rp aid=4242001 to=456-1897000000000000000]CI Bot\nOK"}, None, NotAReply},
	{"reply in another room", "", Message{ID: later, AccountID: approver,
		Body: "[rp aid=4242001 to=457-1897000000000000001]CI Bot\nOK"}, None, NotAReply},
	{"reply to another account", "", Message{ID: later, AccountID: approver,
		Body: "[rp aid=1003 to=456-1897000000000000001]Sato\nOK"}, None, NotAReply},
	{"To another account", "", Message{ID: later, AccountID: approver, Body: "[To:1003]Satoさん\nOK"}, None, NotAReply},
	{"reply in a quote", "", Message{ID: later, AccountID: approver,
		Body: "[qt][qtmeta aid=1003]" + rp + "sure[/qt]OK"}, None, NotAReply},
	{"older than the question", "", Message{ID: "1896999999999999999", AccountID: approver, Body: rp + "OK"}, None, BeforeQuestion},
	{"the question itself", "", Message{ID: qid, AccountID: approver, Body: rp + "OK"}, None, BeforeQuestion},
	{"id not a number", "", Message{ID: "18970000000000000x2", AccountID: approver, Body: rp + "OK"}, None, BeforeQuestion},
	{"empty id", "", Message{AccountID: approver, Body: rp + "OK"}, None, BeforeQuestion},
	{"hmm, let me check", "", Message{ID: later, AccountID: approver, Body: rp + "hmm, let me check"}, None, UnknownWord},
	{"reply with nothing", "", Message{ID: later, AccountID: approver, Body: rp}, None, UnknownWord},
	{"quoted OK then hmm", "", Message{ID: later, AccountID: approver,
		Body: rp + "[qt][qtmeta aid=1003 time=1767225600]OK[/qt]hmm"}, None, UnknownWord},
	{"nested quotes", "", Message{ID: later, AccountID: approver,
		Body: rp + "[qt][qt]yes[/qt]OK[/qt]hmm"}, None, UnknownWord},
	{"quote left open", "", Message{ID: later, AccountID: approver, Body: rp + "[qt]hmm\nOK"}, None, UnknownWord},
	{"code OK", "", Message{ID: later, AccountID: approver, Body: rp + "[code]OK[/code]"}, None, UnknownWord},
	{"code OK then no", "", Message{ID: later, AccountID: approver, Body: rp + "[code]OK[/code]\nno"}, Reject, ""},
	{"tags inside code are text", "", Message{ID: later, AccountID: approver,
		Body: rp + "[code][/qt]OK[qt][/code]yes"}, Approve, ""},
	{"To button", "", Message{ID: later, AccountID: approver, Body: "[To:4242001]CI Botさん\nOK"}, Approve, ""},
	{"To button, spaces and case", "", Message{ID: later, AccountID: approver, Body: "[ to : 4242001 ] CI Bot\r\n承認"}, Approve, ""},
	{"To and name on one line", "", Message{ID: later, AccountID: approver, Body: "[To:4242001]CI Botさん OK"}, None, UnknownWord},
	{"several To on the name line", "", Message{ID: later, AccountID: approver,
		Body: "[To:1003]Satoさん[To:4242001]CI Botさん\nyes"}, Approve, ""},
	{"reply in upper case with spaces", "", Message{ID: later, AccountID: approver,
		Body: "[ RP  AID = 4242001  TO = 456 - 1897000000000000001 ]CI Bot\nok"}, Approve, ""},
	{"reply to before aid", "", Message{ID: later, AccountID: approver,
		Body: "[rp to=456-1897000000000000001 aid=4242001]CI Bot\nok"}, Approve, ""},
	{"返信", "", Message{ID: later, AccountID: approver,
		Body: "[返信 aid=4242001 to=456-1897000000000000001]CI Bot\nはい"}, Approve, ""},
	{"reply after text is text", "", Message{ID: later, AccountID: approver,
		Body: "OK [rp aid=4242001 to=456-1897000000000000001]CI Bot"}, None, ""},
	{"info box", "", Message{ID: later, AccountID: approver,
		Body: rp + "[info][title]Deploy[/title]OK[/info]"}, None, UnknownWord},
	{"info box answer", "", Message{ID: later, AccountID: approver,
		Body: rp + "[info]LGTM[hr]ship it[/info]"}, Approve, ""},
	{"toall and picon", "", Message{ID: later, AccountID: approver,
		Body: rp + "[toall][picon:1003][piconname:1003][pname:1003] stop"}, Reject, ""},
	{"19 digits past int64", "9223372036854775807", Message{ID: "9223372036854775808", AccountID: approver,
		Body: "[rp aid=4242001 to=456-9223372036854775807]CI Bot\nOK"}, Approve, ""},
	{"19 vs 20 digits", "9999999999999999999", Message{ID: "10000000000000000000", AccountID: approver,
		Body: "[rp aid=4242001 to=456-9999999999999999999]CI Bot\nOK"}, Approve, ""},
	{"20 digits before 19 lexically after", "9999999999999999999", Message{ID: "10000000000000000000", AccountID: approver,
		Body: "[To:4242001]CI Bot\nOK"}, Approve, ""},
	{"18 digits lexically after 19", "1000000000000000000", Message{ID: "999999999999999999", AccountID: approver,
		Body: "[rp aid=4242001 to=456-1000000000000000000]CI Bot\nOK"}, None, BeforeQuestion},
	{"leading zeros", "", Message{ID: "0001897000000000000002", AccountID: approver,
		Body: "[rp aid=4242001 to=456-01897000000000000001]CI Bot\nOK"}, Approve, ""},
	{"over 20 significant digits", "", Message{ID: "100000000000000000000", AccountID: approver, Body: rp + "OK"}, None, BeforeQuestion},
	// The Reply and TO buttons put their tag first: an address tag after
	// text, a quote or a code block is not the message's own.
	{"quoted message closes the quote early", "", Message{ID: later, AccountID: approver,
		Body: "[qt][qtmeta aid=1003 time=1]x[/qt]" + rp + "OK[/qt]\nwho wrote this?"}, None, ""},
	{"reply tag after text", "", Message{ID: later, AccountID: approver, Body: "OK " + rp}, None, ""},
	{"To after text", "", Message{ID: later, AccountID: approver, Body: "OK [To:4242001]CI Bot"}, None, ""},
	{"reply tag after a code block", "", Message{ID: later, AccountID: approver, Body: "[code]x[/code]" + rp + "OK"}, None, ""},
	{"two To lines, then the answer", "", Message{ID: later, AccountID: approver, Body: "[To:1003]Tanaka\n[To:4242001]CI Bot\nOK"}, Approve, ""},
}

func TestJudge(t *testing.T) {
	t.Parallel()
	for _, tc := range judgeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := question
			if tc.qid != "" {
				q.ID = tc.qid
			}
			v, reason := Judge(q, tc.m)
			if v != tc.want || reason != tc.reason {
				t.Errorf("Judge(%q from %d: %q) = %v, %q; want %v, %q (text %q)",
					tc.m.ID, tc.m.AccountID, tc.m.Body, v, reason, tc.want, tc.reason, Text(tc.m.Body))
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, want string }{
		{"plain", "  Hello \t World  ", "hello world"},
		{"line breaks stay", " a \n\r\n b\u2028c \t d\r", "a\nb\nc d"},
		{"reply name line", rp + "OK です", "ok です"},
		{"To name line", "[To:4242001]CI Botさん\nＯＫ\u3000です", "ok です"},
		{"quote dropped", "[qt][qtmeta aid=1 time=2]OK[/qt]hmm", "hmm"},
		{"nested quote", "a[qt]b[qt]c[/qt]d[/qt]e", "a e"},
		{"stray close quote", "a[/qt]b", "a b"},
		{"quote left open", "a[qt]b", "a"},
		{"code dropped", "a[code]OK[/code]b", "a b"},
		{"code left open", "a[code]b", "a"},
		{"code in a quote", "[qt][code][/qt][/code]x[/qt]y", "y"},
		{"info and title kept", "[info][title]Deploy[/title]done[/info]", "deploy done"},
		{"rule and toall", "a[hr]b[toall]c", "a b c"},
		{"avatars", "[picon:1]a[piconname:2]b[pname:3]c", "a b c"},
		{"spaces and case in tags", "[ / INFO ][ Code ]x[/ code]y", "y"},
		{"not tags", "[WIP] [today] [info x] [To:abc] [rp aid=x] dependabot[bot]", "[wip] [today] [info x] [to:abc] [rp aid=x] dependabot[bot]"},
		{"tag across lines is text", "[rp aid=1\nto=2-3]x", "[rp aid=1\nto=2-3]x"},
		{"half-width kana", "ｶﾞｷﾞﾊﾟｳﾞｦﾞ ｶﾟ ﾞ", "ガギパヴヺ カ\u309a \u3099"},
		{"combining mark after hiragana", "か\u3099は\u309a", "がぱ"},
		{"full-width ASCII", "ＡＢＣ！～", "abc!~"},
		{"invalid UTF-8", "OK\xff", "ok\ufffd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tc.body); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

// TestHalfWidthKana checks fullKana against the half-width characters
// written out, so a slip in either table shows.
func TestHalfWidthKana(t *testing.T) {
	t.Parallel()
	const half = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
	for i, r := range []rune(half) {
		if r != rune(0xFF61+i) {
			t.Fatalf("half[%d] = %U", i, r)
		}
	}
	if got := normalise(half); got != string(fullKana) || len(fullKana) != 0xFF9D-0xFF61+1 {
		t.Errorf("normalise(%q) = %q, want %q", half, got, string(fullKana))
	}
	for base, c := range voiced {
		if got := normalise(string(base) + "\u3099"); got != string(c) || utf8.RuneLen(c) != 3 {
			t.Errorf("%c + U+3099 = %q", base, got)
		}
	}
	if got := normalise("ｶﾞｻﾞﾀﾞﾂﾞﾊﾞﾊﾟﾎﾟｳﾞ"); got != "ガザダヅバパポヴ" {
		t.Errorf("voiced half-width = %q", got)
	}
}

func TestCompareIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		c    int
		ok   bool
	}{
		{"2", "1", 1, true},
		{"10", "9", 1, true},
		{"9223372036854775808", "9223372036854775807", 1, true},
		{"18446744073709551615", "9223372036854775808", 1, true},
		{"18446744073709551616", "18446744073709551615", 1, true}, // 20 digits, past uint64: still ordered
		{"999999999999999999", "1000000000000000000", -1, true},
		{"0001", "1", 0, true},
		{"0", "000", 0, true},
		{"", "1", 0, false},
		{"1", "-1", 0, false},
		{"+1", "1", 0, false},
		{" 1", "1", 0, false},
		{"100000000000000000000", "1", 0, false},
		{"00000000000000000000000000001", "1", 0, true},
	}
	for _, tc := range tests {
		c, ok := compareIDs(tc.a, tc.b)
		if c != tc.c || ok != tc.ok {
			t.Errorf("compareIDs(%q, %q) = %d, %v; want %d, %v", tc.a, tc.b, c, ok, tc.c, tc.ok)
		}
	}
}

func TestVerdictString(t *testing.T) {
	t.Parallel()
	for v, want := range map[Verdict]string{None: "none", Approve: "approve", Reject: "reject", 7: "Verdict(7)"} {
		if v.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(v), v.String(), want)
		}
	}
}

// TestLongBody: a body is read up to maxBody, cut on a rune boundary, and
// a large body of tag openings is read in reasonable time.
func TestLongBody(t *testing.T) {
	t.Parallel()
	long := rp + "OK\n" + strings.Repeat("承", maxBody)
	if v, _ := Judge(question, Message{ID: later, AccountID: approver, Body: long}); v != Approve {
		t.Errorf("long answer = %v", v)
	}
	// The answer word past the limit is not read.
	past := rp + strings.Repeat("\n", maxBody) + "OK"
	if v, reason := Judge(question, Message{ID: later, AccountID: approver, Body: past}); v != None || reason != UnknownWord {
		t.Errorf("answer past the limit = %v, %q", v, reason)
	}
	for _, s := range []string{"[rp ", "[", "[qt]", "[code]", "[To:1]\n", "[/qt]", "[To:4242001]", rp[:len(rp)-1]} {
		body := strings.Repeat(s, 2*maxBody/len(s))
		if got := Text(body); len(got) > maxBody {
			t.Errorf("Text of %q×%d is %d bytes", s, 2*maxBody/len(s), len(got))
		}
	}
}

func FuzzJudge(f *testing.F) {
	for _, body := range []string{
		rp + "OK", "[To:4242001]CI Botさん\nＯＫ", "[qt][qtmeta aid=1]OK[/qt]hmm", "[code]OK[/code]",
		"[返信 aid=4242001 to=456-1897000000000000001]x\nはい", "ﾊﾞｶﾞ\u3099", "[rp aid=4242001 to=456-01897000000000000001]",
		"[ / qt ][qt][[[code]", "👍🏽", "no", "\xff[To:4242001", "[rp to=456-1897000000000000001 aid=4242001]\r\n(y)",
	} {
		f.Add(body, later, int64(approver), qid)
		f.Add(body, "9223372036854775808", int64(stranger), "9223372036854775807")
		f.Add(body, later, int64(me), qid)
	}
	f.Fuzz(func(t *testing.T, body, id string, account int64, questionID string) {
		q := question
		q.ID = questionID
		v, reason := Judge(q, Message{ID: id, AccountID: account, Body: body})
		if v != None && (account == me || !slices.Contains(q.Approvers, account)) {
			t.Fatalf("account %d answered %v with %q", account, v, body)
		}
		if v != None && reason != "" || v < None || v > Reject {
			t.Fatalf("Judge = %v, %q", v, reason)
		}
		if v != None && Classify(Text(body)) != v {
			t.Fatalf("Judge = %v but Text(%q) = %q classifies as %v", v, body, Text(body), Classify(Text(body)))
		}
		switch reason {
		case "", BeforeQuestion, TokenAccount, NotApprover, NotAReply, UnknownWord:
		default:
			t.Fatalf("unknown reason %q", reason)
		}
		if text := Text(body); !utf8.ValidString(text) || len(text) > 2*maxBody || text != strings.TrimSpace(text) {
			t.Fatalf("Text(%q) = %q", body, text)
		}
	})
}
