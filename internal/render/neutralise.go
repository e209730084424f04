package render

import (
	"reflect"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

var markupType = reflect.TypeFor[notation.Markup]()

// mapStrings returns a deep copy of v in which every string (struct fields,
// slice elements, map keys and values, interface contents) is replaced by
// f(string). Strings of type notation.Markup are trusted notation built by
// the action and are copied unchanged; so are values of other kinds.
func mapStrings(v reflect.Value, f func(string) string) reflect.Value {
	if v.Type() == markupType {
		return v
	}
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(f(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(mapStrings(v.Elem(), f))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(mapStrings(v.Elem(), f))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() {
				out.Field(i).Set(mapStrings(v.Field(i), f))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(mapStrings(v.Index(i), f))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(mapStrings(iter.Key(), f), mapStrings(iter.Value(), f))
		}
		return out
	}
	return v
}

// longestString returns the byte length of the longest string inside v.
func longestString(v reflect.Value) int {
	n := 0
	mapStrings(v, func(s string) string {
		n = max(n, len(s))
		return s
	})
	return n
}

// capString shortens s, already neutralised, to at most n bytes on a rune
// boundary, ending in "…" when it was cut, and stays neutral.
func capString(s string, n int) string { return notation.Cut(s, n) }
