package render

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

//go:embed templates/*/*.tmpl
var builtinFS embed.FS

// notEvents are the built-in templates that are not an event's message:
// the failure task, the reply that follows an edited failure, and the
// review reminder and the approval question.
var notEvents = []string{"task", "followup", "reviews", "question", "answer"}

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
		if !strings.HasPrefix(name, "_") && !slices.Contains(notEvents, name) {
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

// parsedBuiltins holds each built-in template parsed and guarded once
// (language/name → *template.Template); builtinNamed hands out clones.
var parsedBuiltins sync.Map

func builtinNamed(language, name string) (*Template, error) {
	language = lang(language)
	key := language + "/" + name
	if t, ok := parsedBuiltins.Load(key); ok {
		return cloneBuiltin(name, t.(*template.Template))
	}
	t, err := parseBuiltin(language, name)
	if err != nil {
		return nil, err
	}
	parsedBuiltins.Store(key, t)
	return cloneBuiltin(name, t)
}

// cloneBuiltin copies a parsed built-in and binds the copy, so clones can
// run at once.
func cloneBuiltin(name string, t *template.Template) (*Template, error) {
	c, err := t.Clone()
	if err != nil {
		return nil, err
	}
	return bind("built-in template "+name, c), nil
}

func parseBuiltin(language, name string) (*template.Template, error) {
	dir := path.Join("templates", language)
	src, err := builtinFS.ReadFile(path.Join(dir, name+".tmpl"))
	if err != nil {
		return nil, fmt.Errorf("built-in template %s/%s: %w", language, name, err)
	}
	partials, err := builtinFS.ReadFile(path.Join(dir, "_partials.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("built-in partials: %w", err)
	}
	t := newTemplate(name)
	_, err = t.Parse(string(src))
	if err == nil {
		_, err = t.New("_partials").Parse(string(partials))
	}
	if err != nil {
		return nil, fmt.Errorf("built-in template %s/%s: %w", language, name, err)
	}
	guard(t)
	return t, nil
}

// BuiltinTask returns the template for the body of a failure task, in the
// given language: one line of what failed, the failed jobs, the run link.
func BuiltinTask(language string) (*Template, error) {
	return builtinNamed(language, "task")
}

// BuiltinReviews returns the template of a review reminder (report:
// reviews), whatever the event.
func BuiltinReviews(language string) (*Template, error) {
	return builtinNamed(language, "reviews")
}

// BuiltinQuestion returns the template of an approval question (mode:
// ask), which also renders the question edited with its outcome.
func BuiltinQuestion(language string) (*Template, error) {
	return builtinNamed(language, "question")
}

// BuiltinAnswer returns the template of an approval question's state
// (how to answer, or how it ended), which a question of the user's
// template gets as its last line when it is edited.
func BuiltinAnswer(language string) (*Template, error) {
	return builtinNamed(language, "answer")
}

// BuiltinFollowUp returns the template of the short reply that follows a
// message edited to report a failure (mode update): Chatwork notifies a
// reply, not an edit.
func BuiltinFollowUp(language string) (*Template, error) {
	return builtinNamed(language, "followup")
}
