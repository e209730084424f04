package main

import (
	"fmt"
	"os"
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

func loadAction(t *testing.T) (actionYAML, map[string]actionInput) {
	t.Helper()
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionYAML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	var inputs map[string]actionInput
	if err := a.Inputs.Decode(&inputs); err != nil {
		t.Fatal(err)
	}
	return a, inputs
}

// TestActionYAMLMatchesTheCode: same inputs, in the same order, with the
// same defaults and required flags; same outputs; a docker action whose
// runs section the runner accepts.
func TestActionYAMLMatchesTheCode(t *testing.T) {
	a, inputs := loadAction(t)
	var names []string
	for _, in := range config.Inputs {
		names = append(names, in.Name)
		got, ok := inputs[in.Name]
		if !ok {
			t.Errorf("action.yml lacks input %s", in.Name)
			continue
		}
		def := ""
		if got.Default != nil {
			def = *got.Default
		}
		if def != in.Default || got.Required != in.Required || got.Description == "" {
			t.Errorf("input %s: action.yml default %q required %v; code default %q required %v", in.Name, def, got.Required, in.Default, in.Required)
		}
		if in.Required && got.Default != nil {
			t.Errorf("input %s is required but has a default", in.Name)
		}
	}
	if got := orderedKeys(t, a.Inputs); !slices.Equal(got, names) {
		t.Errorf("action.yml inputs %v, code %v", got, names)
	}
	var outs []string
	for _, o := range config.Outputs {
		outs = append(outs, o.Name)
	}
	if got := orderedKeys(t, a.Outputs); !slices.Equal(got, outs) {
		t.Errorf("action.yml outputs %v, code %v", got, outs)
	}
	if a.Name == "" || a.Description == "" || a.Branding.Icon == "" || a.Branding.Color == "" {
		t.Errorf("name, description and branding are required for the Marketplace: %+v", a)
	}
	allowed := []string{"using", "image", "entrypoint", "args", "env", "pre-entrypoint", "pre-if", "post-entrypoint", "post-if"}
	for k, v := range a.Runs {
		if !slices.Contains(allowed, k) {
			t.Errorf("runs.%s is not a key the runner knows", k)
		}
		if (k == "args" || k == "env") && regexp.MustCompile(`\$\{\{\s*(github|secrets|env|job|runner)\.`).MatchString(nodeText(v)) {
			t.Errorf("runs.%s may only use the inputs context", k)
		}
	}
	if u := a.Runs["using"]; u.Value != "docker" {
		t.Errorf("runs.using = %q, want docker", u.Value)
	}
	if img := a.Runs["image"]; img.Value != "Dockerfile" && !strings.HasPrefix(img.Value, "docker://") {
		t.Errorf("runs.image = %q", img.Value)
	}
}

func nodeText(n yaml.Node) string {
	b, _ := yaml.Marshal(&n)
	return string(b)
}

// TestActionYAMLHasNoExpressionOutsideDefaults: runners parse ${{ }} in
// every value of action.yml, and nektos/act (so Gitea and Forgejo Actions)
// refuses one anywhere but an input's default ("expressions are not allowed
// here"), so the action would not load at all.
func TestActionYAMLHasNoExpressionOutsideDefaults(t *testing.T) {
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if bad := expressionsOutsideDefaults(t, b); len(bad) > 0 {
		t.Errorf("action.yml has ${{ outside an input default at %s", strings.Join(bad, ", "))
	}
	// The check itself must catch the case that broke act.
	bad := expressionsOutsideDefaults(t, []byte("inputs:\n  status:\n    description: \"normally ${{ job.status }}\"\n    default: ${{ job.status }}\n"))
	if len(bad) != 1 || bad[0] != "inputs.status.description (line 3)" {
		t.Errorf("the check missed a description expression: %v", bad)
	}
}

// expressionsOutsideDefaults returns the paths of scalars holding "${{"
// anywhere but inputs.<id>.default.
func expressionsOutsideDefaults(t *testing.T, doc []byte) []string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
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
			isDefault := len(path) == 3 && path[0] == "inputs" && path[2] == "default"
			if strings.Contains(n.Value, "${{") && !isDefault {
				bad = append(bad, fmt.Sprintf("%s (line %d)", strings.Join(path, "."), n.Line))
			}
		}
	}
	walk(&root, nil)
	return bad
}

// TestREADMEFieldTableMatchesTheSummary walks event.Summary by reflection:
// every field a template can use has a row in the README's Template
// fields table, and every field of a nested type is named in its row.
func TestREADMEFieldTableMatchesTheSummary(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n### Template fields\n")
	if !ok {
		t.Fatal("README.md has no Template fields table")
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
		row, ok := rows["."+f.Name]
		if !ok {
			t.Errorf("the README's field table has no row for .%s", f.Name)
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
				t.Errorf("the README's row for .%s does not name .%s", f.Name, sub)
			}
		}
	}
}
