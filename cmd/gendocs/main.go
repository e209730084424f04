// Command gendocs writes the parts of the action metadata and the docs
// that come from the input table (internal/config): action.yml's inputs and
// outputs blocks, the whole of binary/action.yml (the composite action that
// runs the release binary on any runner OS), and the input and output
// tables of README.md (one line each), README.ja.md (in Japanese) and
// docs/inputs.md (in full). Run it with `go generate ./...` after changing
// an input; a test fails while the files are out of date.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/config"
)

// The generated files, relative to the repository root.
const (
	readme    = "README.md"         // its Inputs and Outputs tables
	readmeJa  = "README.ja.md"      // its 入力 and 出力 tables
	inputsDoc = "docs/inputs.md"    // its Inputs and Outputs tables
	action    = "action.yml"        // its inputs and outputs blocks
	composite = "binary/action.yml" // all of it
)

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
	jobs := map[string]func(string) (string, error){
		readme:    tables(english, "### Inputs", "### Outputs"),
		readmeJa:  tables(japanese, "### 入力", "### 出力"),
		inputsDoc: tables(full, "## Inputs", "## Outputs"),
		action:    actionBlocks,
		composite: func(string) (string, error) { return CompositeYAML(), nil },
	}
	names := []string{readme, readmeJa, inputsDoc, action, composite}
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, p := range pages {
		if name, _ := filepath.Rel(root, p); jobs[name] == nil {
			jobs[name] = func(doc string) (string, error) { return doc, nil }
			names = append(names, name)
		}
	}
	for _, name := range names {
		update := jobs[name]
		if strings.HasSuffix(name, ".md") {
			update = then(update, goldenBlocks(root))
		}
		c, err := regenerate(root, name, update, write)
		if err != nil {
			return nil, err
		}
		if c {
			changed = append(changed, name)
		}
	}
	return changed, nil
}

// regenerate runs update over one file and writes the result when it
// changed (and write is set).
func regenerate(root, name string, update func(string) (string, error), write bool) (changed bool, err error) {
	path := filepath.Join(root, name)
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && name == composite {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err != nil {
		return false, err
	}
	updated, err := update(string(old))
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	if updated == string(old) {
		return false, nil
	}
	if write {
		err = os.WriteFile(path, []byte(updated), 0o644)
	}
	return true, err
}

func then(a, b func(string) (string, error)) func(string) (string, error) {
	return func(doc string) (string, error) {
		doc, err := a(doc)
		if err != nil {
			return "", err
		}
		return b(doc)
	}
}

// goldenMark is a Markdown comment naming a golden file (relative to the
// root) whose text the code block right after it shows.
var goldenMark = regexp.MustCompile("(?m)^<!-- golden: (\\S+) -->\n\n```(\\w*)\n(?s:.*?)\n```\n")

// goldenBlocks fills each code block marked with a golden file with that
// file, so an example message in the docs is the message the code posts.
func goldenBlocks(root string) func(string) (string, error) {
	return func(doc string) (string, error) {
		var err error
		out := goldenMark.ReplaceAllStringFunc(doc, func(block string) string {
			m := goldenMark.FindStringSubmatch(block)
			b, e := os.ReadFile(filepath.Join(root, filepath.FromSlash(m[1])))
			if e != nil {
				err = e
				return block
			}
			return fmt.Sprintf("<!-- golden: %s -->\n\n```%s\n%s\n```\n", m[1], m[2], strings.TrimRight(string(b), "\n"))
		})
		return out, err
	}
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
func ActionYAML() string { return inputsYAML() + outputsYAML("") }

func inputsYAML() string {
	var b strings.Builder
	b.WriteString("inputs:\n")
	for _, in := range config.Inputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n    required: %t\n", in.Name, quote(config.PlainLinks(in.Short)), in.Required)
		if !in.Required {
			fmt.Fprintf(&b, "    default: %s\n", quote(in.Default))
		}
	}
	return b.String()
}

// outputsYAML is the outputs block; a composite action names the step
// whose outputs it passes on.
func outputsYAML(step string) string {
	var b strings.Builder
	b.WriteString("outputs:\n")
	for _, o := range config.Outputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n", o.Name, quote(config.PlainLinks(o.Short)))
		if step != "" {
			fmt.Fprintf(&b, "    value: ${{ steps.%s.outputs.%s }}\n", step, o.Name)
		}
	}
	return b.String()
}

// CompositeYAML is binary/action.yml: the same inputs and outputs as the
// container action, run by the release binary that install.sh fetches
// (checksum from binary/checksums.txt, which the release commit adds) into
// the runner's tool cache.
func CompositeYAML() string {
	var b strings.Builder
	b.WriteString(`# Generated by cmd/gendocs from internal/config's input table: edit there,
# then run go generate ./...
name: Chatwork Notify (binary)
description: Post a safe, readable CI summary to a Chatwork room from any runner OS (Linux, macOS, Windows), without Docker.
author: chatwork-notify
branding:
  icon: message-square
  color: red
`)
	b.WriteString(inputsYAML())
	b.WriteString(outputsYAML("notify"))
	b.WriteString(`runs:
  using: composite
  steps:
    - name: Install chatwork-notify (release binary, SHA-256 checked, tool cache)
      id: install
      shell: bash
      env:
        CHATWORK_NOTIFY_CHECKSUMS: ${{ github.action_path }}/checksums.txt
        CHATWORK_NOTIFY_OS: ${{ runner.os }}
        CHATWORK_NOTIFY_ARCH: ${{ runner.arch }}
        CHATWORK_NOTIFY_TOOL_CACHE: ${{ runner.tool_cache }}
      run: sh "$GITHUB_ACTION_PATH/../install.sh"
    - name: Notify Chatwork
      id: notify
      shell: bash
      env:
        CHATWORK_NOTIFY_BIN: ${{ steps.install.outputs.path }}
`)
	for _, in := range config.Inputs {
		fmt.Fprintf(&b, "        %s: ${{ inputs.%s }}\n", config.InputVar(in.Name), in.Name)
	}
	b.WriteString("      run: '\"$CHATWORK_NOTIFY_BIN\"'\n")
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

// table is one document's way of writing the tables: its column heads,
// the words for a required input and an empty default, and which
// description it shows.
type table struct {
	input, output, def, meaning string
	required, empty             string
	describe                    func(short, ja, long string) string
}

var (
	english  = table{"input", "output", "default", "meaning", "(required)", "`\"\"`", func(s, _, _ string) string { return s }}
	japanese = table{"入力", "出力", "既定値", "説明", "（必須）", "`\"\"`", func(_, ja, _ string) string { return ja }}
	full     = table{"input", "output", "default", "meaning", "(required)", "`\"\"`", func(_, _, long string) string { return long }}
)

// tables replaces the tables under a document's inputs and outputs
// headings.
func tables(t table, inputs, outputs string) func(string) (string, error) {
	return func(doc string) (string, error) {
		doc, err := replaceTable(doc, inputs, InputsTable(t))
		if err != nil {
			return "", err
		}
		return replaceTable(doc, outputs, OutputsTable(t))
	}
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

// InputsTable is a document's inputs table.
func InputsTable(t table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %s | %s |\n|---|---|---|\n", t.input, t.def, t.meaning)
	for _, in := range config.Inputs {
		def := "`" + in.Default + "`"
		switch {
		case in.Required:
			def = t.required
		case in.Default == "":
			def = t.empty
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", in.Name, def, cell(t.describe(in.Short, in.Ja, in.Doc())))
	}
	return b.String()
}

// OutputsTable is a document's outputs table.
func OutputsTable(t table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %s |\n|---|---|\n", t.output, t.meaning)
	for _, o := range config.Outputs {
		fmt.Fprintf(&b, "| `%s` | %s |\n", o.Name, cell(t.describe(o.Short, o.Ja, o.Description)))
	}
	return b.String()
}

// cell escapes the characters that would end a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
