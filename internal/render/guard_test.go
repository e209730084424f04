package render

import (
	"encoding/json"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

func payload(t testing.TB, js string) *event.Summary {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return &event.Summary{Payload: m, Repo: "o/r"}
}

// TestGoFormattingCannotFormTags: what a template prints from the data is
// neutralised whatever its Go type; only the author's notation and the
// action's Markup stay live.
func TestGoFormattingCannotFormTags(t *testing.T) {
	t.Parallel()
	s := payload(t, `{"files":["toall"],"obj":{"To":1234567},"nested":[["info"],{"rp aid":1}],"n":[1,2],"t":"toall","dotless":"[ınfo] x","tx":"[tx]","rest":"o:1] go"}`)
	tests := map[string]string{
		"slice":              `{{.Payload.files}}`,
		"map":                `{{.Payload.obj}}`,
		"nested":             `{{.Payload.nested}}`,
		"numbers in a slice": `{{.Payload.n}}`,
		"printf %v":          `{{printf "%v" .Payload.files}}`,
		"print":              `{{print .Payload.obj}}`,
		"index":              `{{index .Payload.nested 0}}`,
		"range element":      `{{range .Payload.nested}}{{.}}{{end}}`,
		"with":               `{{with .Payload.files}}{{.}}{{end}}`,
		"define":             `{{define "x"}}{{.}}{{end}}{{template "x" .Payload.files}}`,
		"variable":           `{{$f := .Payload.files}}{{$f}}`,
		"join":               `{{join "" .Payload.files}}`,
		"concatenation":      `{{print "[" .Payload.t "]"}}`,
		"upper of dotless i": `{{upper .Payload.dotless}}`,
		"slice leaves [t":    `{{slice .Payload.tx 0 2}}{{.Payload.rest}}`,
		"truncate":           `{{truncate 3 .Payload.tx}}{{.Payload.rest}}`,
		"html":               `{{html .Payload.files}}`,
		"urlquery":           `{{urlquery .Payload.files}}`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			tmpl, err := Parse("template", src)
			if err != nil {
				t.Fatal(err)
			}
			out, err := tmpl.Fit(s, MaxBodyBytes)
			if err != nil {
				t.Fatal(err)
			}
			if tags := liveTag.FindAllString(out, -1); len(tags) > 0 {
				t.Errorf("%s printed live tags %q: %q", src, tags, out)
			}
		})
	}
	tmpl, _ := Parse("template", `[info]{{ to 42 }} {{.Payload.files}}[/info]`)
	out, _ := tmpl.Fit(s, MaxBodyBytes)
	if got := strings.Join(liveTag.FindAllString(out, -1), ""); got != "[info[To[/info" {
		t.Errorf("the author's notation and to should stay live: %q", out)
	}
}

// TestTemplateWorkIsBounded: loops, output and printf widths cannot take
// unbounded time or memory; each stops with a template error.
func TestTemplateWorkIsBounded(t *testing.T) {
	// Not parallel: it measures work against a time limit. A loop stops at
	// the step limit, or at the time limit first on a slow machine (the
	// race detector slows templates down several times).
	const loopStop = "loops too much|takes too long"
	tests := map[string]struct{ src, want string }{
		"empty loop":       {`{{range 100000000}}{{end}}`, loopStop},
		"printing loop":    {`{{range 100000000}}xxxxxxxxxxxxxxxxxxxx{{end}}`, "longer than"},
		"nested loops":     {`{{range 100000}}{{range 100000}}{{end}}{{end}}`, loopStop},
		"recursion":        {`{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}`, "template"},
		"printf width":     {`{{printf "%0999999999d" 1}}`, "width or precision"},
		"printf precision": {`{{printf "%.999999999f" 1.0}}`, "width or precision"},
		"printf star":      {`{{printf "%*d" 999999999 1}}`, `\* widths`},
		"printf index":     {`{{printf "%.[1]999999d" 1}}`, `argument indexes`},
		"printf index 2":   {`{{printf "%5.[2]999999d" 1 2}}`, `argument indexes`},
		"printf index 3":   {`{{printf "%[1]*d" 999999 1}}`, `argument indexes`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			tmpl, err := Parse("template", tc.src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Fit(&event.Summary{}, MaxBodyBytes)
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) || !strings.Contains(err.Error(), "template") {
				t.Errorf("err = %v, want a template error saying %q", err, tc.want)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if d := time.Since(start); d > maxRenderTime+2*time.Second {
				t.Errorf("took %s", d)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<30 {
				t.Errorf("allocated %d MB", grown>>20)
			}
		})
	}
}

// FuzzTemplateOutput prints hostile JSON through templates that print
// values of every Go shape: nothing the data holds comes out as a tag.
func FuzzTemplateOutput(f *testing.F) {
	for _, js := range []string{`{"a":["toall"]}`, `{"To":1}`, `{"a":[["info"],{"k":"[/code]"}]}`, `{"a":"[To:1]"}`, `{"a":[" To:1","x"]}`} {
		f.Add(js)
	}
	srcs := []string{
		`{{.Payload}}`, `{{range .Payload}}{{.}}{{end}}`, `{{printf "%v|%+v|%#v" .Payload .Payload .Payload}}`,
		`{{range $k, $v := .Payload}}{{$k}}{{$v}}{{end}}`, `{{print .Payload "x" .Payload}}`, `{{with .Payload.a}}{{.}}{{end}}`,
	}
	var tmpls []*Template
	for _, src := range srcs {
		tmpl, err := Parse("template", src)
		if err != nil {
			f.Fatal(err)
		}
		tmpls = append(tmpls, tmpl)
	}
	f.Fuzz(func(t *testing.T, js string) {
		dec := json.NewDecoder(strings.NewReader(js))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) != nil {
			return
		}
		for i, tmpl := range tmpls {
			out, err := tmpl.Fit(&event.Summary{Payload: m}, MaxBodyBytes)
			if err != nil {
				continue
			}
			if tags := liveTag.FindAllString(out, -1); len(tags) > 0 {
				t.Fatalf("%s printed live tags %q: %q", srcs[i], tags, out)
			}
		}
	})
}
