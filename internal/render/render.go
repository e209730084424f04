// Package render turns a Summary and a Go text/template into the message
// text, in Chatwork notation. It owns the Chatwork side of safety: every
// string of the data is neutralised before the template runs, so only the
// template author's own notation is live, and the message is fitted to
// Chatwork's body limit by shortening the longest data strings first.
package render

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// MaxBodyBytes is Chatwork's body limit (65,535), counted in UTF-8 bytes,
// which satisfies the limit whatever unit the server counts in.
const MaxBodyBytes = 65535

// Template is a parsed message template. Whatever it prints from the data
// is neutralised, whatever its Go type, and its work is bounded (steps,
// time, output size). A Template is not for concurrent use.
type Template struct {
	name   string
	t      *template.Template
	budget *budget
}

// Parse parses src as a message template. name says in errors where the
// template came from: "input template", "input template-file msg.tmpl",
// "input dedupe-key".
func Parse(name, src string) (*Template, error) {
	t := newTemplate(name)
	if _, err := t.Parse(src); err != nil {
		err = locate(name, err)
		var te *Error
		if errors.As(err, &te) {
			if q := quoteLine(src, te.line); q != "" {
				te.Msg += fmt.Sprintf(" (in %q)", q)
			}
		}
		return nil, err
	}
	guard(t)
	return bind(name, t), nil
}

// newTemplate is an empty template with every helper a template can call.
func newTemplate(name string) *template.Template {
	return template.New(name).Option("missingkey=error").Funcs(builtinOverrides).Funcs(funcs).Funcs(wordFuncs)
}

// bind gives a guarded template the functions that enforce a budget of its
// own, so each rendering is bounded on its own.
func bind(name string, t *template.Template) *Template {
	b := &budget{}
	return &Template{name: name, t: t.Funcs(guardFuncs(b)), budget: b}
}

// Execute renders the template with a neutralised copy of data. Its output
// may not pass MaxBodyBytes; it is not fitted (see Fit).
func (t *Template) Execute(data any) (string, error) {
	t.start()
	out, err := t.exec(neutralised(data), MaxBodyBytes)
	if errors.Is(err, errTooLong) {
		return "", fmt.Errorf("%s: %w (%d bytes)", t.name, err, MaxBodyBytes)
	}
	return out, err
}

// start gives the template a fresh budget for one rendering.
func (t *Template) start() {
	*t.budget = budget{deadline: time.Now().Add(maxRenderTime)}
}

// exec runs the template; output past limit bytes stops it with errTooLong.
func (t *Template) exec(v reflect.Value, limit int) (string, error) {
	w := &limitedWriter{max: limit}
	t.budget.out = w
	if err := t.t.Execute(w, v.Interface()); err != nil {
		if errors.Is(err, errTooLong) {
			return "", errTooLong
		}
		return "", locate(t.name, err)
	}
	return string(w.buf), nil
}

// Fit renders the template with a neutralised copy of data and keeps the
// result within limit bytes. When it is longer, the details (fields tagged
// render:"detail": test failures, annotations, log lines) give way first:
// every detail string is shortened to the largest cap that fits, down to
// nothing. If that is not enough, every data string longer than a cap is
// shortened to the cap (ending in "…"), with the largest cap that fits, so
// the longest untrusted fields lose text first and the template's own
// notation is never cut.
func (t *Template) Fit(data any, limit int) (string, error) {
	t.start()
	v := neutralised(data)
	out, err := t.exec(v, limit)
	if !errors.Is(err, errTooLong) {
		return out, err
	}
	capDetails := func(n int) reflect.Value {
		return walkValues(v, false, func(s string, detail bool) string {
			if detail {
				return capString(s, n)
			}
			return s
		})
	}
	if longest := longestDetail(v); longest > 0 {
		if out, fits, err := t.largestCap(longest, limit, capDetails); err != nil || fits {
			return out, err
		}
		v = capDetails(0)
	}
	out, fits, err := t.largestCap(longestString(v), limit, func(n int) reflect.Value {
		return mapValues(v, func(s string) string { return capString(s, n) })
	})
	if err == nil && !fits {
		err = fmt.Errorf("%s: the message is longer than %d bytes even with every event field emptied: shorten the template", t.name, limit)
	}
	return out, err
}

// largestCap renders with(cap) for the largest cap in [0, hi) whose output
// fits in limit, and reports whether any did.
func (t *Template) largestCap(hi, limit int, with func(int) reflect.Value) (string, bool, error) {
	lo, best, fits := 0, "", false
	for lo < hi {
		mid := lo + (hi-lo)/2
		s, err := t.exec(with(mid), limit)
		switch {
		case err == nil:
			best, fits, lo = s, true, mid+1
		case errors.Is(err, errTooLong):
			hi = mid
		default:
			return "", false, err
		}
	}
	return best, fits, nil
}

func neutralised(data any) reflect.Value {
	return mapStrings(reflect.ValueOf(data), notation.Neutralise)
}

// templateErr matches text/template's "template: NAME:LINE[:COL]: MSG".
var templateErr = regexp.MustCompile(`^template: (.*?):(\d+)(?::(\d+))?: (?s)(.*)$`)

// locate rewrites a text/template error as "template NAME: line L, column
// C: …" so the user sees where to look.
func locate(name string, err error) error {
	m := templateErr.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	line, _ := strconv.Atoi(m[2])
	where := "line " + m[2]
	if m[3] != "" {
		where += ", column " + m[3]
	}
	msg := m[4]
	// Execution errors repeat the location: `executing "NAME" at <.X>: …`.
	if i := strings.Index(msg, `executing "`); i == 0 {
		if j := strings.Index(msg, ": "); j > 0 {
			at := msg[:j]
			if k := strings.Index(at, " at "); k > 0 {
				at = at[k+1:]
			}
			msg = at + ": " + msg[j+2:]
		}
	}
	return &Error{Name: name, Where: where, Msg: fieldHint(msg), line: line, err: err}
}

// Error is a template that does not parse or fails to run.
type Error struct {
	Name  string // where the template came from: "input template", "built-in template push", …
	Where string // "line 2, column 5"
	Msg   string
	line  int
	err   error
}

// Error says which template, where, and what went wrong.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Name, e.Where, e.Msg)
}

// Unwrap returns the text/template error.
func (e *Error) Unwrap() error { return e.err }

// Reads reports whether the template reads the top-level field name
// (.Name, $.Name, or .Name.Sub anywhere, including inside defined
// templates), judged from the parsed template, not its text: a comment or
// a string that mentions the name does not count.
func (t *Template) Reads(name string) bool {
	for _, tt := range t.t.Templates() {
		if tt.Tree != nil && treeReads(tt.Root, name) {
			return true
		}
	}
	return false
}

func treeReads(n parse.Node, name string) bool {
	var kids []parse.Node
	switch n := n.(type) {
	case *parse.FieldNode: // .Name
		return len(n.Ident) > 0 && n.Ident[0] == name
	case *parse.VariableNode: // $.Name, $v.Name
		return len(n.Ident) > 1 && n.Ident[1] == name
	case *parse.ListNode:
		if n != nil {
			kids = n.Nodes
		}
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				kids = append(kids, c)
			}
		}
	case *parse.CommandNode:
		kids = n.Args
	case *parse.ActionNode:
		kids = []parse.Node{n.Pipe}
	case *parse.ChainNode:
		kids = []parse.Node{n.Node}
	case *parse.TemplateNode:
		kids = []parse.Node{n.Pipe}
	case *parse.IfNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.WithNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.RangeNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	}
	return slices.ContainsFunc(kids, func(k parse.Node) bool { return treeReads(k, name) })
}
