package preview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"
)

// TestGolden converts testdata/NAME.txt (Chatwork notation) and compares
// with testdata/NAME.html.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) < 3 {
		t.Fatal("missing golden inputs")
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := HTML(string(src))
			golden.Check(t, strings.TrimSuffix(in, ".txt")+".html", got+"\n")
		})
	}
}

func TestPreviewIsOneSafeLine(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"a\n\nb",
		"[code]x\n\n\ny[/code]",
		"<script>alert(1)</script>\n</td></table>",
		"[info][title]<img src=x onerror=alert(1)>[/title]x[/info]",
	} {
		got := HTML(body)
		if strings.Contains(got, "\n") {
			t.Errorf("%q: preview has a line break, which would end the HTML block in Markdown: %q", body, got)
		}
		if strings.Contains(got, "<script") || strings.Contains(got, "<img") || strings.Contains(got, "</td></table>\n") {
			t.Errorf("%q: unescaped HTML: %q", body, got)
		}
		if strings.Count(got, "<table>") != strings.Count(got, "</table>") {
			t.Errorf("%q: unbalanced tables: %q", body, got)
		}
	}
}
