package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// liveTag finds what Chatwork reads as a tag (notation's model).
var liveTag = liveTagFinder{}

type liveTagFinder struct{}

func (liveTagFinder) FindAllString(s string, _ int) []string { return notation.LiveTags(s) }

// FuzzRender renders hostile summary text through a template with the
// author's own notation: only the template's tags may come out live.
func FuzzRender(f *testing.F) {
	f.Add("[toall]", "[/info][To:1]", 100)
	f.Add("{{.Repo}}", "::error::x\n##[warning]", 10)
	f.Add(strings.Repeat("[To:1]", 50), "x", 40)
	tmpl, err := Parse("template", "[info][title]{{.PR.Title}}[/title]{{.Commit.Message | truncate 30}} {{.Actor}} {{to 7}}[/info]")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, message string, limit int) {
		s := &event.Summary{PR: event.PullRequest{Title: title}, Commit: event.Commit{Message: message}, Actor: title + message}
		limit = 60 + abs(limit)%4000
		out, err := tmpl.Fit(s, limit)
		if err != nil {
			return // the template alone does not fit such a small limit
		}
		if len(out) > limit {
			t.Fatalf("%d bytes > limit %d", len(out), limit)
		}
		tags := liveTag.FindAllString(out, -1)
		if strings.Join(tags, "") != "[info[title[/title[To[/info" {
			t.Fatalf("live tags %q in %q", tags, out)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestFitShortensTheLongestFieldsFirst(t *testing.T) {
	t.Parallel()
	s := &event.Summary{
		Repo:   "octo/repo",
		Commit: event.Commit{Title: "short title", Message: strings.Repeat("m", 300)},
		PR:     event.PullRequest{Title: strings.Repeat("p", 200)},
	}
	tmpl, err := Parse("template", "[info][title]{{.Repo}}: {{.Commit.Title}}[/title]{{.PR.Title}}|{{.Commit.Message}}[/info]")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tmpl.Fit(s, 300)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) > 300 || len(out) < 290 {
		t.Errorf("len %d, want close to 300", len(out))
	}
	if !strings.HasPrefix(out, "[info][title]octo/repo: short title[/title]") || !strings.HasSuffix(out, "…[/info]") {
		t.Errorf("short fields or tags were cut: %q", out)
	}
	pr, msg, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(out, "[info][title]octo/repo: short title[/title]"), "[/info]"), "|")
	if d := len(pr) - len(msg); d < -3 || d > 3 {
		t.Errorf("both long fields should be cut to the same cap: %d vs %d", len(pr), len(msg))
	}
}

func TestFitFailsWhenTheTemplateAloneIsTooLong(t *testing.T) {
	t.Parallel()
	tmpl, _ := Parse("template", strings.Repeat("x", 100)+"{{.Repo}}")
	if _, err := tmpl.Fit(&event.Summary{Repo: "r"}, 50); err == nil || !strings.Contains(err.Error(), "shorten the template") {
		t.Errorf("err = %v", err)
	}
}

func TestFuncs(t *testing.T) {
	t.Parallel()
	s := &event.Summary{
		Repo:        "octo/Repo",
		Commit:      event.Commit{Message: "first line\nsecond [toall]"},
		WorkflowJob: event.WorkflowJob{FailedSteps: []string{"build", "[test]"}},
		Payload:     map[string]any{"n": 5, "list": []any{"a", "[b]"}},
		Release:     event.Release{Notes: "## What's Changed\n* **Fix** [login](https://x.test/12) by @octocat [toall]\n\n---\n```\n[/code][toall]\n```"},
	}
	tests := []struct{ tmpl, want string }{
		{`{{ markdown .Release.Notes }}`, "What's Changed\n- Fix login (https://x.test/12) by @octocat ［toall］\n\n[hr]\n[code]［/code］［toall］[/code]"},
		{`{{ .Commit.Message | firstline }}`, "first line"},
		{`{{ .Commit.Message | truncate 5 }}`, "firs…"},
		{`{{ truncate 100 .Repo }}`, "octo/Repo"},
		{`{{ .Repo | upper }} {{ .Repo | lower }}`, "OCTO/REPO octo/repo"},
		{`{{ .Release.Name | default "none" }} {{ .Repo | default "none" }}`, "none octo/Repo"},
		{`{{ .PR.Number | default 7 }}`, "7"},
		{`{{ join ", " .WorkflowJob.FailedSteps }}`, "build, [test]"},
		{`{{ index .Payload "list" | join "+" }}`, "a+[b]"},
		{`{{ to 123 }}{{ to "456" }}`, "[To:123][To:456]"},
		{`{{ .Commit.Message }}`, "first line\nsecond ［toall］"},
	}
	for _, tc := range tests {
		tmpl, err := Parse("template", tc.tmpl)
		if err != nil {
			t.Fatalf("%s: %v", tc.tmpl, err)
		}
		got, err := tmpl.Execute(s)
		if err != nil || got != tc.want {
			t.Errorf("%s = %q, %v; want %q", tc.tmpl, got, err, tc.want)
		}
	}
}

func TestTemplateErrorsSayWhere(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, want string }{
		{"a\n{{ .Repo ", "input template: line 2: "},
		{"{{ nope }}", "input template: line 1: function \"nope\" not defined"},
		{"x {{ .Nope }}", "input template: line 1, column 5: at <.Nope>: `.Nope` is not a field"},
		{"{{ .Payload.missing }}", "input template: line 1, column 11: at <.Payload.missing>: map has no entry for key \"missing\""},
		{"{{ to \"abc\" }}", "input template: line 1, column 3: at <to \"abc\">: error calling to: to: \"abc\" is not a Chatwork account ID"},
		{"{{ .Repository }}", "input template: line 1, column 3: at <.Repository>: `.Repository` is not a field; did you mean `.Repo`? (the fields are listed in docs/templates.md)"},
		{"{{ .PR.Titel }}", "input template: line 1, column 6: at <.PR.Titel>: `.PR.Titel` is not a field; did you mean `.PR.Title`?"},
		{"{{ .Commit.Mesage }}", "input template: line 1, column 10: at <.Commit.Mesage>: `.Commit.Mesage` is not a field; did you mean `.Commit.Message`?"},
		{"ok\n{{ .Repo | nope }}", "input template: line 2: function \"nope\" not defined (in \"{{ .Repo | nope }}\")"},
	}
	for _, tc := range tests {
		tmpl, err := Parse("input template", tc.src)
		if err == nil {
			_, err = tmpl.Execute(&event.Summary{Payload: map[string]any{}})
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !errors.As(err, new(*Error)) && strings.Contains(tc.want, "column") ||
			strings.Contains(err.Error(), "event.") || strings.Contains(err.Error(), "template template") {
			t.Errorf("%q: err = %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestBuiltinNames(t *testing.T) {
	t.Parallel()
	tests := []struct{ event, want string }{
		{"pull_request", "pull_request"},
		{"pull_request_target", "pull_request"},
		{"push", "push"},
		{"delete", "delete"},
		{"issue_comment", "issue_comment"},
		{"merge_group", "merge_group"},
		{"gollum", "generic"},
		{"", "generic"},
	}
	for _, tc := range tests {
		for _, l := range Languages {
			s := &event.Summary{Event: tc.event, Language: l}
			if got := builtinName(s); got != tc.want {
				t.Errorf("%s: %s, want %s", tc.event, got, tc.want)
			}
			if _, err := Builtin(s); err != nil {
				t.Errorf("%s/%s: %v", l, tc.want, err)
			}
		}
	}
	if missing := phrasesCoverTheVocabulary(); len(missing) > 0 {
		t.Errorf("outcome words without phrases: %v", missing)
	}
}

// TestBuiltinsAreStable: no clock time, so a re-run renders the same text
// (what dedupe relies on).
func TestBuiltinsAreStable(t *testing.T) {
	t.Parallel()
	for _, path := range fixtures(t) {
		s := loadFixture(t, path, "failure", nil)
		a, _ := Builtin(s)
		x, _ := a.Fit(s, MaxBodyBytes)
		s2 := loadFixture(t, path, "failure", map[string]string{"GITHUB_RUN_ATTEMPT": "2"})
		y, _ := a.Fit(s2, MaxBodyBytes)
		if x != y || x == "" {
			t.Errorf("%s renders differently on a re-run", path)
		}
	}
}

func BenchmarkSummaryAndRender(b *testing.B) {
	path := "../../testdata/events/derived/pull_request.closed.merged.json"
	for b.Loop() {
		s := loadFixture(b, path, "success", nil)
		tmpl, err := Builtin(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tmpl.Fit(s, MaxBodyBytes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitHugeCommit(b *testing.B) {
	s := &event.Summary{Repo: "o/r", Commit: event.Commit{Title: "t", Message: strings.Repeat("long [line] ", 200*1024/12)}}
	tmpl, _ := Parse("template", "[info][title]{{.Commit.Title}}[/title]{{.Commit.Message}}[/info]")
	for b.Loop() {
		if _, err := tmpl.Fit(s, MaxBodyBytes); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReads: whether a template places a field is read from the parsed
// template, not from its text.
func TestReads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want bool
	}{
		{"{{.Mentions}} hi", true},
		{"{{with .Mentions}}{{.}}{{end}}", true},
		{`{{define "m"}}{{$.Mentions}}{{end}}{{template "m" .}}`, true},
		{"{{$s := .}}{{$s.Mentions}}", true},
		{"{{if .Status}}{{.Mentions | printf \"%s\"}}{{end}}", true},
		{"{{/* .Mentions */}}Mentions are welcome", false},
		{`{{"Mentions"}} {{.Repo}}`, false},
		{"{{.PR.Mentions}}", false},
	}
	for _, tc := range tests {
		tmpl, err := Parse("template", tc.src)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if got := tmpl.Reads("Mentions"); got != tc.want {
			t.Errorf("Reads(Mentions) of %q = %v, want %v", tc.src, got, tc.want)
		}
	}
}

// TestRedactReachesEveryString: Redact changes every string a value
// reaches in place — fields, list elements, map keys and values, JSON
// payload trees — and leaves the action's own Markup alone.
func TestRedactReachesEveryString(t *testing.T) {
	t.Parallel()
	redact := func(s string) string { return strings.ReplaceAll(s, "SECRET", "***") }
	sum := &event.Summary{
		Repo:     "o/SECRET",
		Mentions: "[To:1] SECRET",
		Values:   map[string]string{"k": "v SECRET", "SECRET": "x"},
		Payload:  map[string]any{"a": "SECRET", "list": []any{"SECRET", map[string]any{"deep": "SECRET"}}, "n": 1},
		Jobs:     []event.Job{{Name: "SECRET", FailedSteps: []event.Step{{Name: "SECRET"}}}},
	}
	Redact(sum, redact)
	got := fmt.Sprintf("%v %v %v %v %v", sum.Repo, sum.Values, sum.Payload, sum.Jobs[0].Name, sum.Jobs[0].FailedSteps)
	if strings.Contains(got, "SECRET") {
		t.Errorf("left: %s", got)
	}
	if sum.Mentions != "[To:1] SECRET" {
		t.Errorf("Markup changed: %q", sum.Mentions)
	}
}

// TestFitKeepsPayloadKeys: the fitter shortens values, never the keys a
// template looks up: a push of thousands of files still posts.
func TestFitKeepsPayloadKeys(t *testing.T) {
	t.Parallel()
	var files []any
	for i := range 6000 {
		files = append(files, fmt.Sprintf("internal/generated/file_%05d.go", i))
	}
	s := &event.Summary{Payload: map[string]any{"head_commit": map[string]any{"modified": files}}}
	tmpl, err := Parse("template", `{{ range .Payload.head_commit.modified }}{{ . }} {{ end }}`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tmpl.Fit(s, MaxBodyBytes)
	if err != nil || len(out) > MaxBodyBytes || !strings.Contains(out, "inter") {
		t.Fatalf("%d bytes, %v", len(out), err)
	}
}

// TestValueAfterTheTemplatesBracket: a value printed right after a "[" of
// the template cannot complete a tag ("[{{ .PR.Head }}]" with a branch
// named toall), while the template's own notation around plain values
// stays live.
func TestValueAfterTheTemplatesBracket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ tmpl, head, want string }{
		{`[{{ .PR.Head }}] {{ .PR.Title }}`, "toall", "[ｔoall] t"},
		{`[ / {{ .PR.Head }}]`, "info", "[ / ｉnfo]"},
		{`[{{ .PR.Head }}] {{ .PR.Title }}`, "feature/login", "[feature/login] t"},
		{`[To:{{ .PR.Head }}] {{ .PR.Title }}`, "123", "[To:123] t"},
		{`{{ .PR.Head }}`, "toall", "toall"},
	} {
		tmpl, err := Parse("template", tc.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tmpl.Execute(&event.Summary{PR: event.PullRequest{Head: tc.head, Title: "t"}})
		if err != nil || got != tc.want {
			t.Errorf("%s with %q = %q, %v; want %q", tc.tmpl, tc.head, got, err, tc.want)
		}
	}
}
