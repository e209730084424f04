package chatwork

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCappedText: a body decoded with cappedText is what encoding/json
// decodes, cut to maxKeptBody bytes on a rune boundary.
func FuzzCappedText(f *testing.F) {
	for _, s := range []string{"", "plain", "日本語 [To:1]", "\n\t\"\\/", "😀", "\x00\x1f", strings.Repeat("あ", 30000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		b, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		var got cappedText
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		if len(want) > maxKeptBody {
			want = want[:maxKeptBody]
			for !utf8.ValidString(want) {
				want = want[:len(want)-1]
			}
		}
		if string(got) != want {
			t.Fatalf("%q: got %q, want %q", b, got, want)
		}
	})
}

func TestCappedTextEscapes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"\u0041\u3042\ud83d\ude00"`: "Aあ😀",
		`"a\nb\t\"c\"\\/"`:           "a\nb\t\"c\"\\/",
		`"\ud83d x"`:                 "\uFFFD x",
		`null`:                       "",
	} {
		var got cappedText
		if err := got.UnmarshalJSON([]byte(in)); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", in, got, err, want)
		}
	}
	var got cappedText
	if err := got.UnmarshalJSON([]byte(`"` + strings.Repeat(`\u3042`, 30000) + `"`)); err != nil || len(got) > maxKeptBody || !utf8.ValidString(string(got)) {
		t.Errorf("a long escaped body: %d bytes, %v", len(got), err)
	}
}
