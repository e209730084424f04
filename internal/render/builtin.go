package render

import (
	"embed"
	"fmt"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

//go:embed templates/*.tmpl
var builtinFS embed.FS

// BuiltinName returns the name of the built-in template for the summary's
// event: one per event kind, four for pull requests, "generic" otherwise.
func BuiltinName(s *event.Summary) string {
	switch s.Event {
	case "pull_request", "pull_request_target":
		switch {
		case s.Action == "opened" || s.Action == "reopened" || s.Action == "ready_for_review":
			return "pull_request_opened"
		case s.Action == "closed" && s.PR.Merged:
			return "pull_request_merged"
		case s.Action == "closed":
			return "pull_request_closed"
		}
		return "pull_request"
	case "push", "workflow_run", "workflow_job", "deployment_status", "release", "create", "delete",
		"workflow_dispatch", "schedule", "repository_dispatch", "check_suite":
		return s.Event
	}
	return "generic"
}

// Builtin returns the built-in template for the summary's event.
func Builtin(s *event.Summary) (*Template, error) {
	return builtinNamed(BuiltinName(s))
}

func builtinNamed(name string) (*Template, error) {
	src, err := builtinFS.ReadFile("templates/" + name + ".tmpl")
	if err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, err)
	}
	partials, err := builtinFS.ReadFile("templates/_partials.tmpl")
	if err != nil {
		return nil, fmt.Errorf("built-in partials: %w", err)
	}
	t, b := newTemplate(name)
	_, err = t.Parse(string(src))
	if err == nil {
		_, err = t.New("_partials").Parse(string(partials))
	}
	if err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, err)
	}
	return guarded("built-in "+name, t, b), nil
}

// BuiltinTask returns the template for the body of a failure task: one
// line of what failed, the failed jobs, and the run link.
func BuiltinTask() (*Template, error) {
	return builtinNamed("task")
}
