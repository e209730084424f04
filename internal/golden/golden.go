// Package golden compares what a test produced with a file it keeps under
// testdata, so a reviewer reads real output in the diff; `go test -update`
// rewrites the files. Only tests import it.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current code")

// Check compares got with the file at path, or writes it with -update.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// CheckJSON compares v, as indented JSON without its zero fields, with the
// file at path (see Check). Leaving zero fields out means that a new field
// changes only the golden files of the cases that have it.
func CheckJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(nonZero(reflect.ValueOf(v)), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	Check(t, path, string(b)+"\n")
}

// nonZero is v without its zero fields (recursively). Structs keep their field order; embedded structs are flattened.
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
