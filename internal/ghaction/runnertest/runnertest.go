// Package runnertest models how the GitHub Actions runner reads a step's
// output, for tests: which lines it turns into workflow commands, and how
// it parses GITHUB_OUTPUT. The model follows actions/runner's
// ActionCommand.TryParseV2/TryParse and ActionCommandManager:
//
//   - the output is split into lines at "\r\n", "\r" and "\n" (.NET's
//     StreamReader.ReadLine);
//   - a line is a modern command when, after TrimStart (every .NET white
//     space character, Unicode included), it starts with "::" and has a
//     second "::" after it; the name runs to the first space;
//   - a line holding "##[" anywhere, with a "]" after it, is a legacy command;
//   - command names compare case-insensitively, and only registered ones
//     count;
//   - after ::stop-commands::TOKEN nothing counts until a line that parses
//     as the command TOKEN (case-insensitively).
//
// The runner compares with .NET's culture-sensitive StartsWith and IndexOf,
// which skip default-ignorable characters (U+00AD, U+200B, …); the model
// drops those before matching, which makes it at least as eager as the
// runner.
package runnertest

import (
	"fmt"
	"strings"
	"unicode"
)

// Command is a workflow command the runner would act on.
type Command struct {
	Name string // lower case
	Data string
}

// registered are the commands the runner knows (plus the resume token
// while commands are stopped).
var registered = []string{
	"add-mask", "add-matcher", "debug", "echo", "endgroup", "error", "group",
	"notice", "remove-matcher", "save-state", "set-env", "set-output",
	"stop-commands", "warning", "add-path", "internal-set-repo-path",
}

// Lines splits output as the runner does.
func Lines(output string) []string {
	output = strings.ReplaceAll(output, "\r\n", "\n")
	output = strings.ReplaceAll(output, "\r", "\n")
	return strings.Split(output, "\n")
}

// ignorable reports whether a culture-sensitive .NET comparison may skip r.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Variation_Selector,
		unicode.Other_Default_Ignorable_Code_Point) || r == 0x180E
}

func dropIgnorable(s string) string {
	return strings.Map(func(r rune) rune {
		if ignorable(r) {
			return -1
		}
		return r
	}, s)
}

// parse returns the command a line holds, if any.
func parse(line string, extra string) (Command, bool) {
	line = dropIgnorable(line)
	known := func(name string) bool {
		for _, r := range registered {
			if strings.EqualFold(r, name) {
				return true
			}
		}
		return extra != "" && strings.EqualFold(extra, name)
	}
	if t := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(t, "::") {
		if end := strings.Index(t[2:], "::"); end >= 0 {
			info := t[2 : 2+end]
			name, _, _ := strings.Cut(info, " ")
			if known(name) {
				return Command{Name: strings.ToLower(name), Data: t[2+end+2:]}, true
			}
		}
	}
	if i := strings.Index(line, "##["); i >= 0 {
		if rb := strings.Index(line[i:], "]"); rb >= 0 {
			info := line[i+3 : i+rb]
			name, _, _ := strings.Cut(info, " ")
			if known(name) {
				return Command{Name: strings.ToLower(name), Data: line[i+rb+1:]}, true
			}
		}
	}
	return Command{}, false
}

// Commands returns, in order, the commands the runner would act on in a
// step's output, stop-commands and its resume line included.
func Commands(output string) []Command {
	var cmds []Command
	stop := ""
	for _, line := range Lines(output) {
		c, ok := parse(line, stop)
		if !ok {
			continue
		}
		if stop != "" {
			if strings.EqualFold(c.Name, stop) {
				cmds = append(cmds, c)
				stop = ""
			}
			continue
		}
		if c.Name == "stop-commands" {
			stop = c.Data
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// ParseFileCommands reads GITHUB_OUTPUT (or GITHUB_ENV) as the runner's
// FileCommandManager does: name=value lines, or name<<DELIM heredocs
// closed by a line equal to DELIM. It fails on what the runner rejects,
// and on a name written twice (which a forged heredoc would cause).
func ParseFileCommands(text string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		switch {
		case hd >= 0 && (eq < 0 || hd < eq):
			name, delim := line[:hd], line[hd+2:]
			if name == "" || delim == "" {
				return nil, fmt.Errorf("line %d: empty name or delimiter", i+1)
			}
			var val []string
			found := false
			for i++; i < len(lines); i++ {
				if lines[i] == delim {
					found = true
					break
				}
				val = append(val, lines[i])
			}
			if !found {
				return nil, fmt.Errorf("matching delimiter not found for %q", name)
			}
			if _, dup := out[name]; dup {
				return nil, fmt.Errorf("output %q written twice", name)
			}
			out[name] = strings.Join(val, "\n")
		case eq > 0:
			if _, dup := out[line[:eq]]; dup {
				return nil, fmt.Errorf("output %q written twice", line[:eq])
			}
			out[line[:eq]] = line[eq+1:]
		default:
			return nil, fmt.Errorf("line %d: invalid format %q", i+1, line)
		}
	}
	return out, nil
}
