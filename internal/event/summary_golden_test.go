package event

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/golden"
)

// goldenEnv is the runner's environment for the summary goldens.
var goldenEnv = map[string]string{
	"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "octo-org/octo-repo",
	"GITHUB_WORKFLOW": "CI", "GITHUB_JOB": "build", "GITHUB_RUN_ID": "1658821493",
	"GITHUB_RUN_NUMBER": "42", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_ACTOR": "octocat",
	"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
}

// TestSummaryGolden pins the summary of every fixture payload (without the
// raw payload) to testdata/summary/<fixture>.json, so a change to what a
// template sees shows up as a reviewed diff. go test -update rewrites them.
func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pat := range []string{fixtures + "*.json", fixtures + "derived/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("found only %d fixtures", len(files))
	}
	for _, path := range files {
		rel, _ := filepath.Rel(fixtures, path)
		name := strings.ReplaceAll(filepath.ToSlash(rel), "/", ".")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			event, _, _ := strings.Cut(filepath.Base(path), ".")
			s, notes := load(t, event, path, goldenEnv, "")
			c := *s
			c.Payload = nil
			got, err := json.MarshalIndent(nonZero(reflect.ValueOf(struct {
				Summary
				Notes []Note
			}{c, notes})), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, filepath.Join("testdata", "summary", name), string(got))
		})
	}
}

// nonZero is v for a golden file without its zero fields (recursively),
// so that a new field changes only the goldens of the fixtures that have
// it. Structs keep their field order; embedded structs are flattened.
func nonZero(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return nonZero(v.Elem())
	case reflect.Struct:
		var fields orderedFields
		addFields(&fields, v)
		if len(fields) == 0 {
			return nil
		}
		return fields
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return nil
		}
	}
	if v.IsZero() {
		return nil
	}
	return v.Interface()
}

func addFields(fields *orderedFields, v reflect.Value) {
	for i := range v.NumField() {
		f := v.Type().Field(i)
		switch {
		case !f.IsExported():
		case f.Anonymous:
			addFields(fields, v.Field(i))
		default:
			if x := nonZero(v.Field(i)); x != nil {
				*fields = append(*fields, field{f.Name, x})
			}
		}
	}
}

type field struct {
	name  string
	value any
}

// orderedFields marshals as a JSON object in field order.
type orderedFields []field

func (o orderedFields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
