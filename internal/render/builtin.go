package render

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

//go:embed templates/*/*.tmpl
var builtinFS embed.FS

// builtinNames are the events with a template of their own, from the
// embedded English files (every language has the same set; a test checks).
var builtinNames = func() []string {
	entries, err := builtinFS.ReadDir("templates/en")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".tmpl")
		if !strings.HasPrefix(name, "_") && name != "task" {
			names = append(names, name)
		}
	}
	return names
}()

// builtinName returns the built-in template for the summary's event:
// pull_request_target reads as pull_request; an event without a template
// of its own gets "generic".
func builtinName(s *event.Summary) string {
	name := s.Event
	if name == "pull_request_target" {
		name = "pull_request"
	}
	if slices.Contains(builtinNames, name) {
		return name
	}
	return "generic"
}

// Builtin returns the built-in template for the summary's event in the
// summary's language.
func Builtin(s *event.Summary) (*Template, error) {
	return builtinNamed(s.Language, builtinName(s))
}

func builtinNamed(language, name string) (*Template, error) {
	language = lang(language)
	dir := path.Join("templates", language)
	src, err := builtinFS.ReadFile(path.Join(dir, name+".tmpl"))
	if err != nil {
		return nil, fmt.Errorf("built-in template %s/%s: %w", language, name, err)
	}
	partials, err := builtinFS.ReadFile(path.Join(dir, "_partials.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("built-in partials: %w", err)
	}
	t, b := newTemplate(name)
	_, err = t.Parse(string(src))
	if err == nil {
		_, err = t.New("_partials").Parse(string(partials))
	}
	if err != nil {
		return nil, fmt.Errorf("built-in template %s/%s: %w", language, name, err)
	}
	return guarded("built-in "+name, t, b), nil
}

// BuiltinTask returns the template for the body of a failure task, in the
// given language: one line of what failed, the failed jobs, the run link.
func BuiltinTask(language string) (*Template, error) {
	return builtinNamed(language, "task")
}
