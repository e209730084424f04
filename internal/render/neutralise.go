package render

import (
	"reflect"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

var markupType = reflect.TypeFor[notation.Markup]()

// mapStrings returns a copy of v with f applied to every string inside it
// (struct fields, slice and map elements, map keys, through pointers and
// interfaces). notation.Markup values are the action's own notation and
// stay as they are.
func mapStrings(v reflect.Value, f func(string) string) reflect.Value {
	return walkStrings(v, false, func(s string, _ bool) string { return f(s) })
}

// mapValues is mapStrings that leaves map keys as they are: the fitter
// shortens values, and a shortened key (".Payload.head_commit") would no
// longer be found.
func mapValues(v reflect.Value, f func(string) string) reflect.Value {
	return walkValues(v, false, func(s string, _ bool) string { return f(s) })
}

// Redact applies redact to every string that v points to, in place
// (struct fields, list and map elements, map keys; Markup, which the
// action builds, aside). Data is redacted before anything cuts it, so a
// cut never leaves a piece of a secret. Only strings that change are
// written, so text without secrets costs a walk and no copy.
func Redact(v any, redact func(string) string) {
	redactValue(reflect.ValueOf(v), redact)
}

func redactValue(v reflect.Value, f func(string) string) {
	if !v.IsValid() || v.Type() == markupType {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s := f(v.String()); s != v.String() && v.CanSet() {
			v.SetString(s)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			redactValue(v.Elem(), f)
		}
	case reflect.Interface:
		redactInterface(v, f)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				redactValue(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			redactValue(v.Index(i), f)
		}
	case reflect.Map:
		redactMap(v, f)
	}
}

// redactInterface redacts the value an interface holds.
func redactInterface(v reflect.Value, f func(string) string) {
	if nv, changed := redactElem(v, f); changed && v.CanSet() {
		v.Set(nv)
	}
}

// redactMap redacts a map's keys and values; map elements are not
// addressable, so a changed one is stored back.
func redactMap(v reflect.Value, f func(string) string) {
	for _, k := range v.MapKeys() {
		val, changed := redactElem(v.MapIndex(k), f)
		key := k
		if k.Kind() == reflect.String {
			if s := f(k.String()); s != k.String() {
				key, changed = reflect.ValueOf(s).Convert(k.Type()), true
				v.SetMapIndex(k, reflect.Value{})
			}
		}
		if changed {
			v.SetMapIndex(key, val)
		}
	}
}

// redactElem redacts a value that may not be addressable: a string, or an
// interface or struct holding one, comes back changed (changed is true);
// what a map, slice or pointer reaches is redacted in place.
func redactElem(val reflect.Value, f func(string) string) (reflect.Value, bool) {
	switch val.Kind() {
	case reflect.String:
		if s := f(val.String()); s != val.String() {
			return reflect.ValueOf(s).Convert(val.Type()), true
		}
	case reflect.Interface:
		if val.IsNil() {
			break
		}
		if nv, changed := redactElem(val.Elem(), f); changed {
			iv := reflect.New(val.Type()).Elem()
			iv.Set(nv)
			return iv, true
		}
	case reflect.Map, reflect.Slice, reflect.Pointer:
		redactValue(val, f)
	case reflect.Struct, reflect.Array:
		c := reflect.New(val.Type()).Elem()
		c.Set(val)
		redactValue(c, f)
		return c, true
	}
	return val, false
}

// detailTag marks a field whose text is a detail (render:"detail"): it
// gives way first when a message is too long.
const detailTag = "detail"

// walkStrings is mapStrings with f told whether the string lies inside a
// field tagged render:"detail".
func walkStrings(v reflect.Value, detail bool, f func(s string, detail bool) string) reflect.Value {
	return walk(v, detail, true, f)
}

// walkValues is walkStrings that leaves map keys as they are.
func walkValues(v reflect.Value, detail bool, f func(s string, detail bool) string) reflect.Value {
	return walk(v, detail, false, f)
}

// walk applies f to every string inside v, map keys too when keys is set.
func walk(v reflect.Value, detail, keys bool, f func(s string, detail bool) string) reflect.Value {
	if v.Type() == markupType {
		return v
	}
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(f(v.String(), detail))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(walk(v.Elem(), detail, keys, f))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(walk(v.Elem(), detail, keys, f))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		if v.CanInterface() {
			out.Set(v) // unexported fields keep their values
		}
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() { // unexported fields hold no text
				d := detail || v.Type().Field(i).Tag.Get("render") == detailTag
				out.Field(i).Set(walk(v.Field(i), d, keys, f))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(walk(v.Index(i), detail, keys, f))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			key := iter.Key()
			if keys {
				key = walk(key, detail, keys, f)
			}
			out.SetMapIndex(key, walk(iter.Value(), detail, keys, f))
		}
		return out
	}
	return v
}

// longestString returns the byte length of the longest string inside v
// (map keys aside: the fitter does not shorten them).
func longestString(v reflect.Value) int {
	n := 0
	mapValues(v, func(s string) string {
		n = max(n, len(s))
		return s
	})
	return n
}

// longestDetail returns the byte length of the longest detail string
// inside v.
func longestDetail(v reflect.Value) int {
	n := 0
	walkValues(v, false, func(s string, detail bool) string {
		if detail {
			n = max(n, len(s))
		}
		return s
	})
	return n
}

// capString shortens s, already neutralised, to at most n bytes on a rune
// boundary, ending in "…" when it was cut, and stays neutral.
func capString(s string, n int) string { return notation.Cut(s, n) }
