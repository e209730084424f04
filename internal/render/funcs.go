package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mdtext"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// funcs are the helpers every template (built-in or the user's) can call.
// They see neutralised data, and each one that builds a new string
// (cutting, joining, changing case: "ı" upper-cases to "I") neutralises
// its result, so none of them can turn payload text into Chatwork
// notation.
var funcs = template.FuncMap{
	"truncate":  func(n int, s string) string { return notation.Neutralise(truncate(n, s)) },
	"firstline": func(s string) string { return notation.Neutralise(event.FirstLine(s)) },
	"default":   defaultValue,
	"upper":     func(s string) string { return notation.Neutralise(strings.ToUpper(s)) },
	"lower":     func(s string) string { return notation.Neutralise(strings.ToLower(s)) },
	"join": func(sep string, list any) (string, error) {
		s, err := join(sep, list)
		return notation.Neutralise(s), err
	},
	"to":       to,
	"first":    first,
	"more":     more,
	"number":   number,
	"excerpt":  excerpt,
	"markdown": markdown,
}

// excerptWidth is how many characters of a line an excerpt keeps.
const excerptWidth = 200

// excerpt returns the first n lines of a Markdown text that say
// something, as plain text (not blank, not code, a rule, a quote or a
// leading heading; emphasis, links and the like read as words), each at
// most excerptWidth characters and neutralised:
// {{ range excerpt 3 .Comment.Body }}.
func excerpt(n int, s string) []string { return mdtext.Excerpt(s, n, excerptWidth) }

// markdown turns a Markdown text (release notes, a pull request's or
// issue's body, a comment) into plain Chatwork text: headings and
// emphasis become their words, links "text (URL)", images their URL,
// lists and quotes keep their markers, fenced code becomes a [code] block
// and a rule [hr]: {{ markdown .Release.Notes }}. The text stays
// untrusted: everything taken from it is neutralised, and the only live
// notation is the [code], [/code] and [hr] the conversion writes.
func markdown(s string) notation.Markup { return mdtext.Text(s) }

// number writes a count with thousands separators: {{ number .Tests.Total }}
// gives "1,204" (commas are how Japanese and English both group digits).
func number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// truncate keeps at most n characters of s, ending in "…" when it cut:
// {{ .Commit.Message | truncate 80 }}.
func truncate(n int, s string) string { return text.CutRunes(s, n) }

// defaultValue returns def when v is empty (zero, "", nil, empty list):
// {{ .Release.Name | default .Release.Tag }}.
func defaultValue(def, v any) any {
	if v == nil {
		return def
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array:
		if rv.Len() == 0 {
			return def
		}
		return v
	}
	if rv.IsZero() {
		return def
	}
	return v
}

// join joins the elements of a list with sep: {{ join ", " .WorkflowJob.FailedSteps }}.
func join(sep string, list any) (string, error) {
	if list == nil {
		return "", nil
	}
	rv := reflect.ValueOf(list)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return "", fmt.Errorf("join: want a list, got %T", list)
	}
	parts := make([]string, rv.Len())
	for i := range parts {
		parts[i] = fmt.Sprint(rv.Index(i).Interface())
	}
	return strings.Join(parts, sep), nil
}

// to addresses a Chatwork account: {{ to 1234 }} gives [To:1234], live
// notation (the id is checked to be digits).
func to(id any) (notation.Markup, error) {
	var s string
	switch v := id.(type) {
	case int, int64, int32, uint, uint64, uint32:
		s = fmt.Sprint(v)
	case string:
		s = strings.TrimSpace(v)
	case json.Number: // a number from .Payload
		s = v.String()
	default:
		return "", fmt.Errorf("to: want an account ID, got %T", id)
	}
	if n, err := strconv.ParseUint(s, 10, 63); err != nil || n == 0 {
		return "", fmt.Errorf("to: %q is not a Chatwork account ID (digits)", s)
	}
	return notation.Markup("[To:" + s + "]"), nil
}

// first returns at most the first n elements of a list:
// {{ range first 5 .FailedJobs }}.
func first(n int, list any) (any, error) {
	rv, err := listValue("first", list)
	if err != nil || !rv.IsValid() {
		return list, err
	}
	if n < 0 {
		n = 0
	}
	if rv.Len() <= n {
		return list, nil
	}
	return rv.Slice(0, n).Interface(), nil
}

// more returns how many elements a list has beyond the first n:
// {{ with more 5 .FailedJobs }}and {{ . }} more{{ end }}.
func more(n int, list any) (int, error) {
	rv, err := listValue("more", list)
	if err != nil || !rv.IsValid() {
		return 0, err
	}
	return max(rv.Len()-max(n, 0), 0), nil
}

func listValue(name string, list any) (reflect.Value, error) {
	if list == nil {
		return reflect.Value{}, nil
	}
	rv := reflect.ValueOf(list)
	if rv.Kind() != reflect.Slice {
		return reflect.Value{}, fmt.Errorf("%s: want a list, got %T", name, list)
	}
	return rv, nil
}
