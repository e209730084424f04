// Command gendocs writes the parts of action.yml and README.md that come
// from the input table (internal/config): action.yml's inputs and outputs
// blocks and the README's Inputs and Outputs tables. Run it with
// `go generate ./...` after changing an input; a test fails while the
// files are out of date.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
)

// actionFiles are the action metadata files whose inputs and outputs come
// from the table, relative to the repository root.
var actionFiles = []string{"action.yml"}

// readme is the file whose tables come from the table.
const readme = "README.md"

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	changed, err := generate(root, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	for _, f := range changed {
		fmt.Println("gendocs: wrote", f)
	}
}

// generate brings every generated file under root up to date (write) or
// only reports which would change.
func generate(root string, write bool) (changed []string, err error) {
	jobs := map[string]func(string) (string, error){readme: readmeTables}
	names := []string{readme}
	for _, f := range actionFiles {
		jobs[f] = actionBlocks
		names = append(names, f)
	}
	for _, name := range names {
		path := filepath.Join(root, name)
		old, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		updated, err := jobs[name](string(old))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if updated == string(old) {
			continue
		}
		changed = append(changed, name)
		if write {
			if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
				return nil, err
			}
		}
	}
	return changed, nil
}

// actionBlocks replaces everything from the top-level "inputs:" line up to
// the next top-level key after "outputs:" with the generated blocks.
func actionBlocks(doc string) (string, error) {
	start := strings.Index(doc, "\ninputs:\n")
	outs := strings.Index(doc, "\noutputs:\n")
	if start < 0 || outs < start {
		return "", errors.New("action.yml has no top-level inputs block followed by an outputs block")
	}
	end := len(doc)
	rest := doc[outs+len("\noutputs:\n"):]
	for off, line := range lines(rest) {
		if line != "" && line[0] != ' ' && line[0] != '#' {
			end = outs + len("\noutputs:\n") + off
			break
		}
	}
	return doc[:start+1] + ActionYAML() + doc[end:], nil
}

// lines maps each line's offset to the line.
func lines(s string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		off := 0
		for line := range strings.SplitAfterSeq(s, "\n") {
			if !yield(off, strings.TrimSuffix(line, "\n")) {
				return
			}
			off += len(line)
		}
	}
}

// ActionYAML is the inputs and outputs blocks of action.yml.
func ActionYAML() string {
	var b strings.Builder
	b.WriteString("inputs:\n")
	for _, in := range config.Inputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n    required: %t\n", in.Name, quote(config.PlainLinks(in.Doc())), in.Required)
		if !in.Required {
			fmt.Fprintf(&b, "    default: %s\n", quote(in.Default))
		}
	}
	b.WriteString("outputs:\n")
	for _, o := range config.Outputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n", o.Name, quote(config.PlainLinks(o.Description)))
	}
	return b.String()
}

// quote writes s as a YAML double-quoted scalar (JSON's string syntax is
// a subset of it).
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// readmeTables replaces the tables under the README's "### Inputs" and
// "### Outputs" headings.
func readmeTables(doc string) (string, error) {
	doc, err := replaceTable(doc, "### Inputs", InputsTable())
	if err != nil {
		return "", err
	}
	return replaceTable(doc, "### Outputs", OutputsTable())
}

func replaceTable(doc, heading, table string) (string, error) {
	h := strings.Index(doc, "\n"+heading+"\n")
	if h < 0 {
		return "", fmt.Errorf("no %q heading", heading)
	}
	start := strings.Index(doc[h:], "\n|")
	if start < 0 {
		return "", fmt.Errorf("no table under %q", heading)
	}
	start += h + 1
	end := start
	for end < len(doc) && doc[end] == '|' {
		nl := strings.IndexByte(doc[end:], '\n')
		if nl < 0 {
			end = len(doc)
			break
		}
		end += nl + 1
	}
	return doc[:start] + table + doc[end:], nil
}

// InputsTable is the README's inputs table.
func InputsTable() string {
	var b strings.Builder
	b.WriteString("| input | default | meaning |\n|---|---|---|\n")
	for _, in := range config.Inputs {
		def := "`" + in.Default + "`"
		switch {
		case in.Required:
			def = "(required)"
		case in.Default == "":
			def = "`\"\"`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", in.Name, def, cell(in.Doc()))
	}
	return b.String()
}

// OutputsTable is the README's outputs table.
func OutputsTable() string {
	var b strings.Builder
	b.WriteString("| output | meaning |\n|---|---|\n")
	for _, o := range config.Outputs {
		fmt.Fprintf(&b, "| `%s` | %s |\n", o.Name, cell(o.Description))
	}
	return b.String()
}

// cell escapes the characters that would end a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
