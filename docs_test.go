package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/chatwork-notify/chatwork-notify/internal/answer"
)

// docFiles are the Markdown files people read: both READMEs and docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("docs/*.md")
	if err != nil || len(files) < 10 {
		t.Fatalf("docs/*.md: %v %v", files, err)
	}
	return append([]string{"README.md", "README.ja.md"}, files...)
}

func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// TestDocSnippetsAreLintedExamples: every workflow snippet of the READMEs
// and docs/ is part of a complete workflow under examples/ (examples/ja for
// the Japanese README), which .ci/run checks with actionlint, and every
// example is shown somewhere, so the two cannot drift apart.
func TestDocSnippetsAreLintedExamples(t *testing.T) {
	t.Parallel()
	examples := map[string]string{}
	for _, pattern := range []string{"examples/*.yml", "examples/ja/*.yml"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			examples[f] = dedent(readDoc(t, f))
		}
	}
	used := map[string]bool{}
	checked := 0
	for _, doc := range docFiles(t) {
		for _, m := range yamlBlock.FindAllStringSubmatch(readDoc(t, doc), -1) {
			block := strings.TrimRight(m[1], " \n")
			if !strings.Contains(block, "chatwork-notify/chatwork-notify") {
				continue
			}
			checked++
			found := false
			for f, ex := range examples {
				if containsLines(ex, dedent(block)) {
					found, used[f] = true, true
				}
			}
			if !found {
				t.Errorf("%s: a snippet is in no examples/ file, so actionlint never sees it:\n%s", doc, block)
			}
			if doc == "README.ja.md" && !strings.Contains(block, "language: ja") {
				t.Errorf("README.ja.md: a snippet without language: ja:\n%s", block)
			}
		}
	}
	for f := range examples {
		if !used[f] {
			t.Errorf("%s is shown in no README or docs page", f)
		}
	}
	if checked < 12 {
		t.Errorf("only %d workflow snippets found", checked)
	}
}

// TestDocsNeverPipeADownloadIntoAShell: piped into sh, a download that
// fails leaves sh nothing to run and the pipe exits 0, so the next line
// fails with "not found" far from the cause.
func TestDocsNeverPipeADownloadIntoAShell(t *testing.T) {
	t.Parallel()
	piped := regexp.MustCompile(`(curl|wget)[^\n|]*\|\s*(sudo\s+)?(ba|z)?sh\b`)
	files := append(docFiles(t), "install.sh")
	examples, _ := filepath.Glob("examples/*/*.yml")
	more, _ := filepath.Glob("examples/*.yml")
	for _, f := range append(append(files, examples...), more...) {
		if m := piped.FindString(readDoc(t, f)); m != "" {
			t.Errorf("%s pipes a download into a shell: %s", f, m)
		}
	}
}

var (
	mdLink  = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	fence   = regexp.MustCompile("(?ms)^ *```.*?^ *```")
	code    = regexp.MustCompile("`[^`\n]*`")
)

// TestDocLinksResolve: every relative link of the READMEs and docs/ leads
// to a file that exists and, with a #fragment, to one of its headings
// (GitHub's anchors: lower case, punctuation dropped, spaces as -).
func TestDocLinksResolve(t *testing.T) {
	t.Parallel()
	for _, doc := range docFiles(t) {
		text := code.ReplaceAllString(fence.ReplaceAllString(readDoc(t, doc), ""), "")
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			path := doc
			if file != "" {
				path = filepath.Join(filepath.Dir(doc), file)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Errorf("%s: link %s: %v", doc, target, err)
				continue
			}
			if frag == "" || st.IsDir() {
				continue
			}
			if !anchors(readDoc(t, path))[frag] {
				t.Errorf("%s: link %s: %s has no heading with that anchor", doc, target, path)
			}
		}
	}
}

// anchors are the heading anchors GitHub makes for a Markdown text.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	for _, m := range heading.FindAllStringSubmatch(fence.ReplaceAllString(md, ""), -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		out[b.String()] = true
	}
	return out
}

// TestREADMEsAreShort: the READMEs are the first five minutes; the
// reference lives in docs/.
func TestREADMEsAreShort(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"README.md", "README.ja.md"} {
		// About 300 lines, a sixth of them the generated tables.
		if n := strings.Count(readDoc(t, f), "\n"); n > 330 {
			t.Errorf("%s has %d lines; move reference text to docs/", f, n)
		}
	}
	en, ja := readDoc(t, "README.md"), readDoc(t, "README.ja.md")
	recipe := regexp.MustCompile(`(?m)^### \d+\. `)
	if a, b := len(recipe.FindAllString(en, -1)), len(recipe.FindAllString(ja, -1)); a != b || a < 4 {
		t.Errorf("README.md has %d recipes, README.ja.md %d", a, b)
	}
	if !strings.Contains(en, "(README.ja.md)") || !strings.Contains(ja, "(README.md)") {
		t.Error("the READMEs do not link to each other")
	}
}

// dedent removes the common leading spaces of the non-blank lines.
func dedent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// containsLines reports whether the lines of part occur consecutively in
// whole, each compared after its own dedent against the same offset.
func containsLines(whole, part string) bool {
	w, p := strings.Split(whole, "\n"), strings.Split(part, "\n")
	for i := 0; i+len(p) <= len(w); i++ {
		if strings.TrimLeft(w[i], " ") != strings.TrimLeft(p[0], " ") {
			continue
		}
		shift := len(w[i]) - len(p[0])
		ok := shift >= 0
		for j := 0; ok && j < len(p); j++ {
			ok = strings.Repeat(" ", shift)+p[j] == w[i+j] || strings.TrimSpace(p[j]) == "" && strings.TrimSpace(w[i+j]) == ""
		}
		if ok {
			return true
		}
	}
	return false
}

// TestREADMEPictureIsCurrent: the READMEs' pictures show the message the
// program posts today (internal/app's TestREADMEPicture golden); after
// the message changes, go run ./cmd/picture draws them again.
func TestREADMEPictureIsCurrent(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ja"} {
		golden := readDoc(t, filepath.Join("internal", "app", "testdata", "golden", lang, "readme-picture.txt"))
		if shown := readDoc(t, filepath.Join("docs", "images", "message-"+lang+".txt")); shown != golden {
			t.Errorf("docs/images/message-%s.png shows an older message; run go run ./cmd/picture", lang)
		}
		if st, err := os.Stat(filepath.Join("docs", "images", "message-"+lang+".png")); err != nil || st.Size() < 10_000 {
			t.Errorf("docs/images/message-%s.png: %v", lang, err)
		}
	}
}

// TestApprovalWordsAreDocumented: docs/ask.md lists exactly the phrases
// that approve a question, the words that reject it and the greetings
// passed over before an answer.
func TestApprovalWordsAreDocumented(t *testing.T) {
	t.Parallel()
	doc := readDoc(t, "docs/ask.md")
	for name, words := range map[string][]string{"approve": answer.ApprovePhrases, "reject": answer.RejectWords, "greeting": answer.Greetings} {
		_, rest, ok := strings.Cut(doc, "<!-- words: "+name+" -->\n")
		line, _, _ := strings.Cut(rest, "\n")
		if !ok {
			t.Fatalf("docs/ask.md has no %s words", name)
		}
		if want := "`" + strings.Join(words, "`, `") + "`"; line != want {
			t.Errorf("docs/ask.md lists the %s words\n%s\nbut the code has\n%s", name, line, want)
		}
	}
}
