package config

import (
	"slices"
	"strings"
)

// binder parses an input's value into its place in a Config. One binder
// kind serves every input of that kind; an input's row names its kind and
// its place, so declaring an input is parsing it.
type binder struct {
	set     func(c *Config, name, v string) error
	boolean bool // a switch: a flag without a value on the command line
}

// field picks an input's place in a Config.
type field[T any] func(c *Config) *T

// boolean reads true or false (any case).
func boolean(f field[bool]) binder {
	return binder{boolean: true, set: func(c *Config, name, v string) error {
		b, err := parseBool(name, v)
		*f(c) = b
		return err
	}}
}

// verbatim keeps the value as given.
func verbatim(f field[string]) binder {
	return binder{set: func(c *Config, _, v string) error {
		*f(c) = v
		return nil
	}}
}

// enum reads one of the allowed words (any case).
func enum[T ~string](f field[T], allowed ...T) binder {
	return binder{set: func(c *Config, name, v string) error {
		i := slices.IndexFunc(allowed, func(a T) bool { return strings.EqualFold(string(a), v) })
		if i < 0 {
			words := make([]string, len(allowed))
			for j, a := range allowed {
				words[j] = string(a)
			}
			return inputErr(name, "%q is not one of %s", v, strings.Join(words, ", "))
		}
		*f(c) = allowed[i]
		return nil
	}}
}

// parsed reads the value with parse, which names the input in its errors.
func parsed[T any](f field[T], parse func(name, v string) (T, error)) binder {
	return binder{set: func(c *Config, name, v string) error {
		x, err := parse(name, v)
		if err == nil {
			*f(c) = x
		}
		return err
	}}
}

// accounts reads Chatwork account IDs (at most MaxAccounts).
func accounts(f field[[]int64]) binder { return parsed(f, parseIDs) }

// rooms reads one or more rooms; empty leaves the list empty (validate
// decides whether that is allowed).
func rooms(f field[[]int64]) binder {
	return parsed(f, func(_, v string) ([]int64, error) {
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		return parseRooms(v)
	})
}

// count reads a whole number from 0 to limit.
func count(f field[int], limit int) binder {
	return parsed(f, func(name, v string) (int, error) { return parseCount(name, v, limit) })
}

// deadline reads a duration from now or a time.
func deadline(f field[TaskLimit]) binder {
	return parsed(f, func(_, v string) (TaskLimit, error) { return parseTaskLimit(v) })
}
