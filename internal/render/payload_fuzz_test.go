package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
)

// fixturePayloads are the real payloads of testdata/events with their event
// names, for the mangling fuzz target.
type fixturePayload struct {
	name string
	raw  []byte
}

func loadPayloads(t testing.TB) []fixturePayload {
	t.Helper()
	var out []fixturePayload
	for _, path := range fixtures(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixturePayload{fixtureEvent(path), b})
	}
	return out
}

// eventNames are the names a mangled payload may be read under: every
// event with a built-in template, a few GitHub has and this action has no
// template for, and Gitea's and Forgejo's own.
var eventNames = append(slices.Clone(builtinNames), "pull_request_target", "dynamic", "registry_package", "deployment", "gollum", "")

// mangle applies ops to the decoded JSON tree v: each pair of bytes picks
// a node (in walk order) and what to do with it — delete the key, set it
// to null, give it a value of another JSON type, or replace it with an
// empty object.
func mangle(v any, ops []byte) any {
	for i := 0; i+1 < len(ops); i += 2 {
		var nodes []func(any) // setters of every object member and array element
		var deletes []func()
		var walk func(x any)
		walk = func(x any) {
			switch x := x.(type) {
			case map[string]any:
				for _, k := range sortedKeys(x) {
					nodes = append(nodes, func(n any) { x[k] = n })
					deletes = append(deletes, func() { delete(x, k) })
					walk(x[k])
				}
			case []any:
				for j := range x {
					nodes = append(nodes, func(n any) { x[j] = n })
					deletes = append(deletes, func() { x[j] = nil })
					walk(x[j])
				}
			}
		}
		walk(v)
		if len(nodes) == 0 {
			return v
		}
		k := int(ops[i+1]) * 7 % len(nodes)
		switch ops[i] % 6 {
		case 0:
			deletes[k]()
		case 1:
			nodes[k](nil)
		case 2:
			nodes[k]("x")
		case 3:
			nodes[k](json.Number("-1"))
		case 4:
			nodes[k]([]any{nil, "y"})
		case 5:
			nodes[k](map[string]any{})
		}
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FuzzMangledPayloads reads real payloads with keys deleted, nulled and
// retyped, under their own and other events' names, and renders every
// built-in message from them in both languages: a payload of any shape
// gives a summary (and a message) or a clear error, never a panic.
func FuzzMangledPayloads(f *testing.F) {
	payloads := loadPayloads(f)
	for i := range payloads {
		f.Add(uint8(i), uint8(0), []byte{})
		f.Add(uint8(i), uint8(1), []byte{0, 1, 1, 3, 2, 5})
		f.Add(uint8(i), uint8(2), []byte{1, 0})
	}
	f.Fuzz(func(t *testing.T, which, rename uint8, ops []byte) {
		p := payloads[int(which)%len(payloads)]
		dec := json.NewDecoder(bytes.NewReader(p.raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(mangle(v, ops))
		if err != nil {
			t.Fatal(err)
		}
		name := p.name
		if rename%2 == 1 {
			name = eventNames[int(rename/2)%len(eventNames)]
		}
		renderEverything(t, name, raw)
	})
}

// renderEverything loads raw as event name and renders it with every
// status in both languages; only a payload that is not a JSON object may
// fail, and with an error that says so.
func renderEverything(t *testing.T, name string, raw []byte) {
	t.Helper()
	for _, status := range []string{"", "failure"} {
		s, _, err := event.Load(event.Options{
			Getenv: func(k string) string { return runnerEnv[k] }, EventName: name, Payload: raw, Status: status,
		})
		if err != nil {
			if !strings.Contains(err.Error(), "not a JSON object") && !strings.Contains(err.Error(), "is not JSON") {
				t.Fatalf("%s: unclear error %v", name, err)
			}
			return
		}
		for _, l := range Languages {
			s.Language = l
			tmpl, err := Builtin(s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tmpl.Fit(s, MaxBodyBytes); err != nil {
				t.Fatalf("%s (%s): %v", name, l, err)
			}
			task, _ := BuiltinTask(l)
			if _, err := task.Fit(s, MaxBodyBytes); err != nil {
				t.Fatalf("%s task (%s): %v", name, l, err)
			}
		}
	}
}

// TestMissingSubjectsDoNotCrash covers the shapes that crashed the event
// builder: an event's subject object missing, null or of another type, and
// payloads read under another event's name (as Gitea and Forgejo send
// their own shapes under GitHub's names).
func TestMissingSubjectsDoNotCrash(t *testing.T) {
	t.Parallel()
	subjects := map[string]string{
		"issues": "issue", "issue_comment": "issue", "workflow_run": "workflow_run",
		"workflow_job": "workflow_job", "check_suite": "check_suite", "check_run": "check_run",
		"pull_request": "pull_request", "pull_request_review": "review", "deployment_status": "deployment_status",
	}
	for ev, key := range subjects {
		for _, value := range []string{"", "null", `"x"`, "[]", "1", "{}"} {
			t.Run(ev+"/"+key+"="+value, func(t *testing.T) {
				payload := `{"action":"completed","sender":{"login":"octocat"}}`
				if value != "" {
					payload = `{"action":"completed","` + key + `":` + value + `}`
				}
				renderEverything(t, ev, []byte(payload))
			})
		}
	}
	push, err := os.ReadFile(filepath.Join("../../testdata/events", "push.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range eventNames {
		t.Run("push read as "+ev, func(t *testing.T) { renderEverything(t, ev, push) })
	}
}

// TestMissingSubjectWarns: a payload without the object its event is
// about gives a message from what is there, with a warning that says so.
func TestMissingSubjectWarns(t *testing.T) {
	t.Parallel()
	_, notes, err := event.Load(event.Options{
		Getenv: func(k string) string { return runnerEnv[k] }, EventName: "workflow_run", Payload: []byte(`{"action":"completed"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "no workflow_run object") {
		t.Errorf("notes %+v, want one warning about the missing workflow_run object", notes)
	}
}

// TestPayloadThatIsNotAnObject: an event file holding another JSON value
// is a clear error naming what it holds.
func TestPayloadThatIsNotAnObject(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"[1,2]": "holds an array, not a JSON object", "null": "holds null", `"x"`: "holds a string", "{": "is not JSON", "{} {}": "more than one JSON value",
	} {
		_, _, err := event.Load(event.Options{Getenv: func(string) string { return "" }, EventName: "push", EventPath: "/e.json", Payload: []byte(raw)})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "/e.json") {
			t.Errorf("%s: error %v, want one saying %q and naming the file", raw, err, want)
		}
	}
}
