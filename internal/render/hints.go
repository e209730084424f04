package render

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

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

// fieldHint adds to an unknown-field message the closest real field and
// where the fields are listed: "`.Repository` is not a field; did you mean
// `.Repo`?".
func fieldHint(msg string) string {
	m := unknownField.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	tf, ok := fieldPaths[m[2]]
	if !ok {
		return msg
	}
	hint := fmt.Sprintf("`%s.%s` is not a field", tf.path, m[1])
	if best := closest(m[1], tf.names); best != "" {
		hint += fmt.Sprintf("; did you mean `%s.%s`?", tf.path, best)
	}
	return msg + " (" + hint + " See the Template fields table in the README.)"
}

// closest returns the name nearest to s (edit distance, ignoring case), or
// "" when none is near.
func closest(s string, names []string) string {
	best, bestD := "", len(s)/2+2
	for _, n := range names {
		d := distance(strings.ToLower(s), strings.ToLower(n))
		if strings.HasPrefix(strings.ToLower(s), strings.ToLower(n)) || strings.HasPrefix(strings.ToLower(n), strings.ToLower(s)) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
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
