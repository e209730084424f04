package preview

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

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
			golden := strings.TrimSuffix(in, ".txt") + ".html"
			if *update {
				os.WriteFile(golden, []byte(got+"\n"), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.TrimSuffix(string(want), "\n"), got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
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
