package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"gopkg.in/yaml.v3"
)

type actionYAML struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs  yaml.Node            `yaml:"inputs"`
	Outputs yaml.Node            `yaml:"outputs"`
	Runs    map[string]yaml.Node `yaml:"runs"`
}

type actionInput struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

// actionFiles are the two ways to use the action: the container action
// and the composite that runs the release binary on any runner OS.
var actionFiles = []struct{ path, using string }{
	{"action.yml", "docker"},
	{"binary/action.yml", "composite"},
}

// orderedKeys returns a mapping node's keys in file order.
func orderedKeys(t *testing.T, n yaml.Node) []string {
	t.Helper()
	if n.Kind != yaml.MappingNode {
		t.Fatalf("expected a mapping, got kind %v", n.Kind)
	}
	var keys []string
	for i := 0; i < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

func loadAction(t *testing.T, path string) (actionYAML, map[string]actionInput, map[string]actionOutput) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a actionYAML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	var inputs map[string]actionInput
	var outputs map[string]actionOutput
	if err := a.Inputs.Decode(&inputs); err != nil {
		t.Fatal(err)
	}
	if err := a.Outputs.Decode(&outputs); err != nil {
		t.Fatal(err)
	}
	return a, inputs, outputs
}

// TestActionYAMLMatchesTheCode: both action files have the code's inputs,
// in the same order, with the same defaults, required flags and
// descriptions, and the same outputs; their runs sections are what the
// runner accepts.
func TestActionYAMLMatchesTheCode(t *testing.T) {
	t.Parallel()
	for _, file := range actionFiles {
		t.Run(file.path, func(t *testing.T) {
			a, inputs, outputs := loadAction(t, file.path)
			var names []string
			for _, in := range config.Inputs {
				names = append(names, in.Name)
				got, ok := inputs[in.Name]
				if !ok {
					t.Errorf("lacks input %s", in.Name)
					continue
				}
				def := ""
				if got.Default != nil {
					def = *got.Default
				}
				if def != in.Default || got.Required != in.Required || got.Description != config.PlainLinks(in.Short) {
					t.Errorf("input %s: default %q required %v description %q; code default %q required %v description %q",
						in.Name, def, got.Required, got.Description, in.Default, in.Required, config.PlainLinks(in.Short))
				}
				if in.Required && got.Default != nil {
					t.Errorf("input %s is required but has a default", in.Name)
				}
			}
			if got := orderedKeys(t, a.Inputs); !slices.Equal(got, names) {
				t.Errorf("inputs %v, code %v", got, names)
			}
			var outs []string
			for _, o := range config.Outputs {
				outs = append(outs, o.Name)
				got := outputs[o.Name]
				if got.Description != config.PlainLinks(o.Short) {
					t.Errorf("output %s: description %q", o.Name, got.Description)
				}
				if want := "${{ steps.notify.outputs." + o.Name + " }}"; file.using == "composite" && got.Value != want {
					t.Errorf("output %s: value %q, want %q", o.Name, got.Value, want)
				}
			}
			if got := orderedKeys(t, a.Outputs); !slices.Equal(got, outs) {
				t.Errorf("outputs %v, code %v", got, outs)
			}
			if a.Name == "" || a.Description == "" || a.Branding.Icon == "" || a.Branding.Color == "" {
				t.Errorf("name, description and branding are required for the Marketplace: %+v", a)
			}
			if u := a.Runs["using"]; u.Value != file.using {
				t.Errorf("runs.using = %q, want %s", u.Value, file.using)
			}
			if file.using == "docker" {
				checkDockerRuns(t, a.Runs)
			}
		})
	}
}

func checkDockerRuns(t *testing.T, runs map[string]yaml.Node) {
	allowed := []string{"using", "image", "entrypoint", "args", "env", "pre-entrypoint", "pre-if", "post-entrypoint", "post-if"}
	for k, v := range runs {
		if !slices.Contains(allowed, k) {
			t.Errorf("runs.%s is not a key the runner knows", k)
		}
		if (k == "args" || k == "env") && regexp.MustCompile(`\$\{\{\s*(github|secrets|env|job|runner)\.`).MatchString(nodeText(v)) {
			t.Errorf("runs.%s may only use the inputs context", k)
		}
	}
	if img := runs["image"]; img.Value != "Dockerfile" && !strings.HasPrefix(img.Value, "docker://") {
		t.Errorf("runs.image = %q", img.Value)
	}
}

func nodeText(n yaml.Node) string {
	b, _ := yaml.Marshal(&n)
	return string(b)
}

// TestActionYAMLHasNoExpressionWhereNotAllowed: runners parse ${{ }} in
// every value of an action file, and refuse one where the schema allows
// none — nektos/act (so Gitea and Forgejo Actions) with "expressions are
// not allowed here" for a description — so the action would not load at
// all. Allowed: an input's default (with the contexts the runner allows
// there), a composite output's value, and a composite step's run, if,
// name, working-directory, env and with values.
func TestActionYAMLHasNoExpressionWhereNotAllowed(t *testing.T) {
	t.Parallel()
	for _, file := range actionFiles {
		b, err := os.ReadFile(file.path)
		if err != nil {
			t.Fatal(err)
		}
		if bad := misplacedExpressions(t, b); len(bad) > 0 {
			t.Errorf("%s has ${{ where the runner allows none: %s", file.path, strings.Join(bad, ", "))
		}
	}
	// The check itself must catch the case that broke act, and a context a
	// default may not use.
	for doc, want := range map[string]string{
		"inputs:\n  status:\n    description: \"normally ${{ job.status }}\"\n    default: ${{ job.status }}\n":      "inputs.status.description (line 3)",
		"inputs:\n  t:\n    default: ${{ secrets.TOKEN }}\n":                                                         "inputs.t.default (line 3): context secrets",
		"outputs:\n  o:\n    description: x\n    value: ${{ steps.a.outputs.o }}\nruns:\n  image: ${{ inputs.x }}\n": "runs.image (line 6)",
	} {
		if bad := misplacedExpressions(t, []byte(doc)); len(bad) != 1 || bad[0] != want {
			t.Errorf("the check found %v in\n%s\nwant [%s]", bad, doc, want)
		}
	}
}

// defaultContexts are the contexts an input default may use (the runner's
// action schema, "input-default-context").
var (
	defaultContexts = []string{"github", "strategy", "matrix", "job", "runner", "hashFiles"}
	firstContext    = regexp.MustCompile(`\$\{\{\s*([A-Za-z_]+)`)
)

// misplacedExpressions returns the paths of scalars holding "${{" where the
// runner's action schema allows no expression.
func misplacedExpressions(t *testing.T, doc []byte) []string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	allowed := func(path []string) bool {
		switch {
		case len(path) == 3 && path[0] == "inputs" && path[2] == "default",
			len(path) == 3 && path[0] == "outputs" && path[2] == "value":
			return true
		case len(path) >= 3 && path[0] == "runs" && path[1] == "steps":
			return slices.Contains([]string{"run", "if", "name", "working-directory"}, path[2]) && len(path) == 3 ||
				(path[2] == "env" || path[2] == "with") && len(path) == 4
		}
		return false
	}
	var bad []string
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if strings.Contains(k.Value, "${{") {
					bad = append(bad, fmt.Sprintf("key %q (line %d)", k.Value, k.Line))
				}
				walk(n.Content[i+1], append(slices.Clone(path), k.Value))
			}
		case yaml.ScalarNode:
			if !strings.Contains(n.Value, "${{") {
				return
			}
			where := fmt.Sprintf("%s (line %d)", strings.Join(path, "."), n.Line)
			switch {
			case !allowed(path):
				bad = append(bad, where)
			case path[0] == "inputs":
				for _, m := range firstContext.FindAllStringSubmatch(n.Value, -1) {
					if !slices.Contains(defaultContexts, m[1]) {
						bad = append(bad, where+": context "+m[1])
					}
				}
			}
		}
	}
	walk(&root, nil)
	return bad
}

// TestFieldTableMatchesTheSummary walks event.Summary by reflection:
// every field a template can use has a row in docs/templates.md's
// Template fields table, and every field of a nested type is named in its
// row.
func TestFieldTableMatchesTheSummary(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("docs/templates.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n## Template fields\n")
	if !ok {
		t.Fatal("docs/templates.md has no Template fields table")
	}
	rows := map[string]string{} // ".Field" → the row
	for _, line := range strings.Split(rest, "\n") {
		if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
			break
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, m := range regexp.MustCompile("`(\\.[A-Za-z]+)`").FindAllStringSubmatch(cells[1], -1) {
			rows[m[1]] = line
		}
	}
	st := reflect.TypeFor[event.Summary]()
	for i := range st.NumField() {
		f := st.Field(i)
		if !f.IsExported() {
			continue // templates cannot read it
		}
		row, ok := rows["."+f.Name]
		if !ok {
			t.Errorf("the field table has no row for .%s", f.Name)
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct || ft.PkgPath() != st.PkgPath() {
			continue
		}
		for j := range ft.NumField() {
			if sub := ft.Field(j).Name; !strings.Contains(row, "`."+sub+"`") {
				t.Errorf("the field table's row for .%s does not name .%s", f.Name, sub)
			}
		}
	}
}

// TestWorkflowActionsArePinned: every action the project's own workflows
// use (but its own, ./) is pinned to a full commit SHA, with the version
// as a comment for people and Dependabot, so a moved tag cannot change
// what runs with the repository's token.
func TestWorkflowActionsArePinned(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(".github/workflows/*.yml")
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			_, ref, ok := strings.Cut(strings.TrimSpace(line), "uses: ")
			if !ok || strings.HasPrefix(strings.TrimSpace(line), "#") || strings.HasPrefix(ref, "./") {
				continue
			}
			if !pinned.MatchString(ref) {
				t.Errorf("%s:%d: %q is not pinned to a commit SHA with a version comment", f, i+1, ref)
			}
		}
	}
}
