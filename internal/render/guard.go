package render

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
	"unicode"

	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Limits on one rendering (Fit runs the template up to ~25 times; the
// limits hold for all of them together).
const (
	// maxSteps caps range iterations, template calls and printed values.
	maxSteps = 1_000_000
	// maxRenderTime caps the wall time of one Fit or Execute.
	maxRenderTime = 5 * time.Second
	// maxFormatWidth caps a width or precision in printf ("%09999999d"
	// would allocate as much).
	maxFormatWidth = 1000
)

// Names of the functions the guard inserts; the leading underscore keeps
// them apart from the helpers templates call by name.
const (
	safeFunc = "_cwSafe"
	tickFunc = "_cwTick"
)

// errTooLong stops a template whose output passes the limit.
var errTooLong = errors.New("the message is longer than Chatwork allows")

// budget is the work one rendering may still do.
type budget struct {
	steps    int
	deadline time.Time
	out      *limitedWriter // the output so far (what a value follows)
}

func (b *budget) tick() error {
	b.steps++
	if b.steps > maxSteps {
		return fmt.Errorf("stopped after %d steps: the template loops too much (a range over a huge number or list?)", maxSteps)
	}
	// The clock is read often: one step (a printf of a thousand-wide
	// verb) can take a while, and the limit must hold to a step or two.
	if b.steps%16 == 0 && time.Now().After(b.deadline) {
		return fmt.Errorf("stopped after %s: the template takes too long", maxRenderTime)
	}
	return nil
}

// guardFuncs are the per-template functions that enforce b.
func guardFuncs(b *budget) template.FuncMap {
	return template.FuncMap{
		tickFunc: func() (string, error) { return "", b.tick() },
		safeFunc: func(v any) (any, error) {
			if err := b.tick(); err != nil {
				return nil, err
			}
			v = safeValue(v)
			if s, ok := v.(string); ok && b.out != nil && b.out.openBracket() {
				return notation.Bare(s), nil // "[{{ .PR.Head }}]" with a branch named toall
			}
			return v, nil
		},
	}
}

// builtinOverrides replace text/template's own string-building functions
// with ones whose result is neutralised: they format values (a slice
// prints as "[a b]") and join pieces, which could form a tag.
var builtinOverrides = template.FuncMap{
	"print":    func(args ...any) string { return notation.Neutralise(fmt.Sprint(args...)) },
	"println":  func(args ...any) string { return notation.Neutralise(fmt.Sprintln(args...)) },
	"html":     func(args ...any) string { return notation.Neutralise(template.HTMLEscaper(args...)) },
	"js":       func(args ...any) string { return notation.Neutralise(template.JSEscaper(args...)) },
	"urlquery": func(args ...any) string { return notation.Neutralise(template.URLQueryEscaper(args...)) },
	"slice":    sliceValue,
	"printf": func(format string, args ...any) (string, error) {
		if err := checkFormat(format); err != nil {
			return "", err
		}
		return notation.Neutralise(fmt.Sprintf(format, args...)), nil
	},
}

// sliceValue is text/template's slice (item[i:j], item[i:j:k]); a string
// result is neutralised, since a cut can leave a "[" open.
func sliceValue(item any, indexes ...int) (any, error) {
	v := reflect.ValueOf(item)
	if !v.IsValid() {
		return nil, errors.New("slice of untyped nil")
	}
	if len(indexes) > 3 {
		return nil, fmt.Errorf("too many slice indexes: %d", len(indexes))
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Array:
	default:
		return nil, fmt.Errorf("can't slice item of type %s", v.Type())
	}
	idx := [3]int{0, v.Len(), v.Len()}
	copy(idx[:], indexes)
	if idx[0] < 0 || idx[0] > idx[1] || idx[1] > v.Len() || len(indexes) == 3 && (v.Kind() == reflect.String || idx[1] > idx[2] || idx[2] > v.Cap()) {
		return nil, fmt.Errorf("slice indexes %v out of range for length %d", indexes, v.Len())
	}
	if v.Kind() == reflect.String {
		return notation.Neutralise(v.String()[idx[0]:idx[1]]), nil
	}
	if len(indexes) == 3 {
		return v.Slice3(idx[0], idx[1], idx[2]).Interface(), nil
	}
	return v.Slice(idx[0], idx[1]).Interface(), nil
}

// safeValue is what an action prints. A string is already safe: data
// strings are neutralised before the template runs, and every function
// that builds a string neutralises its result (builtinOverrides, funcs);
// Markup is the action's own notation. Any other value is printed as Go
// would print it, neutralised: Go's formatting of slices and maps ("[a b]",
// "map[k:v]") must not form a tag either.
func safeValue(v any) any {
	switch x := v.(type) {
	case notation.Markup, string:
		return x
	case nil:
		return "<no value>"
	}
	return notation.Neutralise(fmt.Sprint(v))
}

// formatWidth finds the width and precision of each printf verb.
var formatWidth = regexp.MustCompile(`%[-+# 0]*(\*|[0-9]+)?(?:\.(\*|[0-9]+)?)?`)

// argIndex finds an explicit argument index in a verb ("%[1]d",
// "%.[2]*d"), which would let a width or precision escape formatWidth.
var argIndex = regexp.MustCompile(`%[-+# 0-9.*]*\[`)

func checkFormat(format string) error {
	if argIndex.MatchString(strings.ReplaceAll(format, "%%", "")) {
		return errors.New("printf: explicit argument indexes ([n]) are not supported")
	}
	for _, m := range formatWidth.FindAllStringSubmatch(format, -1) {
		for _, w := range m[1:] {
			if w == "*" {
				return errors.New("printf: * widths are not supported")
			}
			if n, err := strconv.Atoi(w); w != "" && (err != nil || n > maxFormatWidth) {
				return fmt.Errorf("printf: width or precision %s is larger than %d", w, maxFormatWidth)
			}
		}
	}
	return nil
}

// guard rewrites every template of the set: each action that prints ends
// in safeFunc, and each template body and range iteration starts with
// tickFunc.
func guard(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Root == nil {
			continue
		}
		guardList(tt.Tree, tt.Root)
		tt.Root.Nodes = append([]parse.Node{tickAction(tt.Tree, tt.Root.Pos)}, tt.Root.Nodes...)
	}
}

func guardList(tree *parse.Tree, list *parse.ListNode) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if len(n.Pipe.Decl) == 0 {
				n.Pipe.Cmds = append(n.Pipe.Cmds, command(tree, n.Pos, safeFunc))
			}
		case *parse.IfNode:
			guardList(tree, n.List)
			guardList(tree, n.ElseList)
		case *parse.WithNode:
			guardList(tree, n.List)
			guardList(tree, n.ElseList)
		case *parse.RangeNode:
			guardList(tree, n.List)
			guardList(tree, n.ElseList)
			if n.List != nil {
				n.List.Nodes = append([]parse.Node{tickAction(tree, n.Pos)}, n.List.Nodes...)
			}
		}
	}
}

func command(tree *parse.Tree, pos parse.Pos, fn string) *parse.CommandNode {
	id := parse.NewIdentifier(fn).SetTree(tree).SetPos(pos)
	return &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
}

func tickAction(tree *parse.Tree, pos parse.Pos) *parse.ActionNode {
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{command(tree, pos, tickFunc)}}
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Pipe: pipe}
}

// openBracket reports whether the output ends in a "[" of the
// template's own (values never end in a live one), with the white space
// and "/" Chatwork allows after it.
func (w *limitedWriter) openBracket() bool {
	s := strings.TrimRightFunc(string(w.buf[max(0, len(w.buf)-16):]), unicode.IsSpace)
	s = strings.TrimRightFunc(strings.TrimSuffix(s, "/"), unicode.IsSpace)
	return strings.HasSuffix(s, "[")
}

// limitedWriter fails a write that would take the output past max bytes.
type limitedWriter struct {
	buf []byte
	max int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if len(w.buf)+len(p) > w.max {
		return 0, errTooLong
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}
