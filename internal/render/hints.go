package render

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/text"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// fieldPaths maps each struct type a template can reach from the Summary
// ("event.PullRequest", "*event.Summary", …) to the template path of that
// type ("", ".PR") and its field names, for suggestions.
var fieldPaths = func() map[string]typeFields {
	m := map[string]typeFields{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[event.Summary]().PkgPath() {
			return
		}
		if _, seen := m[t.String()]; seen {
			return
		}
		tf := typeFields{path: path}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tf.names = append(tf.names, f.Name)
			walk(f.Type, path+"."+f.Name)
		}
		m[t.String()] = tf
		m["*"+t.String()] = tf
	}
	walk(reflect.TypeFor[event.Summary](), "")
	return m
}()

type typeFields struct {
	path  string // ".PR"; "" for the Summary; for list elements, the list
	names []string
}

var unknownField = regexp.MustCompile(`can't evaluate field (\w+) in type (\S+)`)

// fieldHint turns text/template's unknown-field message ("can't evaluate
// field Repository in type *event.Summary") into one for people:
// "`.Repository` is not a field; did you mean `.Repo`? (…)".
func fieldHint(msg string) string {
	m := unknownField.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	field, typ := msg[m[2]:m[3]], msg[m[4]:m[5]]
	tf, ok := fieldPaths[typ]
	if !ok {
		return msg
	}
	hint := fmt.Sprintf("`%s.%s` is not a field", tf.path, field)
	if best := text.Closest(field, tf.names); best != "" {
		hint += fmt.Sprintf("; did you mean `%s.%s`?", tf.path, best)
	}
	return msg[:m[0]] + hint + " (the fields are listed in docs/templates.md)" + msg[m[1]:]
}

// quoteLine returns line n (1-based) of src, trimmed and cut to 80
// characters, for a parse error.
func quoteLine(src string, n int) string {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return truncate(80, strings.TrimSpace(lines[n-1]))
}
