package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseRoom(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
	}{
		{"123456", 123456},
		{" 123456\n", 123456},
		{"rid123456", 123456},
		{"#!rid123456", 123456},
		{"https://www.chatwork.com/#!rid123456", 123456},
		{"https://www.chatwork.com/#!rid123456-1897000000000000001", 123456},
		{"https://kcw.kddi.ne.jp/#!rid42", 42},
		{"", 0},
		{"general", 0},
		{"12a", 0},
		{"-5", 0},
		{"0", 0},
		{"https://www.chatwork.com/", 0},
		{"https://www.chatwork.com/#!ridabc", 0},
		{"99999999999999999999", 0},
	}
	for _, tc := range tests {
		got, err := parseRoom(tc.in)
		if got != tc.want {
			t.Errorf("parseRoom(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if tc.want == 0 {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Input != "room" {
				t.Errorf("parseRoom(%q) error %v, want an error naming room", tc.in, err)
			}
		} else if err != nil {
			t.Errorf("parseRoom(%q): %v", tc.in, err)
		}
	}
}

func TestParseAPIURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", DefaultAPIURL, true},
		{"https://api.chatwork.com/v2/", "https://api.chatwork.com/v2", true},
		{"https://proxy.example.com/chatwork/v2", "https://proxy.example.com/chatwork/v2", true},
		{"http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2", true},
		{"http://localhost:1/v2", "http://localhost:1/v2", true},
		{"http://[::1]:1/v2", "http://[::1]:1/v2", true},
		{"http://api.chatwork.com/v2", "", false},
		{"http://10.0.0.1/v2", "", false},
		{"ftp://api.chatwork.com", "", false},
		{"api.chatwork.com/v2", "", false},
		{"https://user:pw@api.chatwork.com/v2", "", false},
		{"https://api.chatwork.com/v2?x=1", "", false},
	}
	for _, tc := range tests {
		u, err := parseAPIURL("api-url", tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("parseAPIURL(%q) error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && u.String() != tc.want {
			t.Errorf("parseAPIURL(%q) = %s, want %s", tc.in, u, tc.want)
		}
		if !tc.ok && !strings.Contains(err.Error(), "api-url") {
			t.Errorf("error %q does not name api-url", err)
		}
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "success": "success", "FAILURE": "failure", " Cancelled ": "cancelled", "skipped": "skipped",
		// Other CI systems' own words.
		"hard_failed": "failure", "soft_failed": "neutral", "passed": "success", "errored": "error", "canceled": "cancelled",
		"failed": "failure", "UNSTABLE": "unstable", "ABORTED": "cancelled", "NOT_BUILT": "skipped", "SUCCESSFUL": "success",
	} {
		if got, err := parseStatus(in, true); err != nil || got != want {
			t.Errorf("parseStatus(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"ok", "unknown", "succeeded"} {
		_, err := parseStatus(in, true)
		if err == nil || !strings.Contains(err.Error(), "input status") || !strings.Contains(err.Error(), "job.status") {
			t.Errorf("parseStatus(%q) error %v", in, err)
		}
		_, err = parseStatus(in, false)
		if err == nil || strings.Contains(err.Error(), "job.status") || !strings.Contains(err.Error(), "buildkite: ") {
			t.Errorf("outside Actions, parseStatus(%q) error %v", in, err)
		}
	}
}

func envFrom(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaultsMatchTheInputTable(t *testing.T) {
	t.Parallel()
	cfg, err := Load(nil, envFrom(map[string]string{"INPUT_TOKEN": "tok0123456", "INPUT_ROOM": "1"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Chatwork: Chatwork{Token: "tok0123456"},
		Delivery: Delivery{Rooms: []int64{1}, Mode: "post", MessageIDs: map[int64]string{}, Ask: Ask{Timeout: DefaultAskTimeout}},
		Message:  Message{Language: "en", Values: map[string]string{}, Texts: map[event.Class]string{}},
		People:   mention.Settings{On: "failure", People: map[string][]int64{}},
		Insight:  Insight{NotifyWhen: "always", Details: true, Report: "job"},
		Run:      Run{FailOnError: true, Workspace: "."},
	}
	if diff := cmp.Diff(want, cfg, cmpopts.IgnoreFields(Chatwork{}, "APIURL"), cmp.AllowUnexported(Chatwork{}, Delivery{}, Message{})); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if cfg.Chatwork.APIURL.String() != DefaultAPIURL {
		t.Errorf("api-url %s", cfg.Chatwork.APIURL)
	}
	// The table's defaults, parsed, are what Load produced.
	for _, in := range Inputs {
		if in.Bind.boolean && in.Default != "true" && in.Default != "false" {
			t.Errorf("bool input %s has default %q", in.Name, in.Default)
		}
	}
}

func TestLoadSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(*Config) bool
	}{
		{"hyphenated INPUT_ names", nil, map[string]string{"INPUT_TOKEN": "t0123456", "INPUT_ROOM": "5", "INPUT_DRY-RUN": "TRUE", "INPUT_SELF-UNREAD": "True", "INPUT_FAIL-ON-ERROR": "false"},
			func(c *Config) bool { return c.Run.DryRun && c.Delivery.SelfUnread && !c.Run.FailOnError }},
		{"flag wins over input", []string{"--room", "9", "--dedupe"}, map[string]string{"INPUT_TOKEN": "t0123456", "INPUT_ROOM": "5"},
			func(c *Config) bool { return slices.Equal(c.Delivery.Rooms, []int64{9}) && c.Delivery.Dedupe }},
		{"--flag=false", []string{"--fail-on-error=false"}, map[string]string{"INPUT_TOKEN": "t0123456", "INPUT_ROOM": "5"},
			func(c *Config) bool { return !c.Run.FailOnError }},
		{"token from CHATWORK_API_TOKEN", nil, map[string]string{"CHATWORK_API_TOKEN": "envtok123", "INPUT_ROOM": "5"},
			func(c *Config) bool { return c.Chatwork.Token == "envtok123" }},
		{"INPUT_TOKEN wins over CHATWORK_API_TOKEN", nil, map[string]string{"INPUT_TOKEN": "inputtok1", "CHATWORK_API_TOKEN": "envtok123", "INPUT_ROOM": "5"},
			func(c *Config) bool { return c.Chatwork.Token == "inputtok1" }},
		{"dry run needs neither token nor room", []string{"--dry-run"}, nil,
			func(c *Config) bool { return c.Run.DryRun && len(c.Delivery.Rooms) == 0 && c.Chatwork.Token == "" }},
		{"event flags", []string{"--dry-run", "--event-name", "push", "--event-path", "e.json"}, map[string]string{"GITHUB_EVENT_NAME": "x"},
			func(c *Config) bool { return c.Run.EventName == "push" && c.Run.EventPath == "e.json" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(tc.args, envFrom(tc.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(cfg) {
				t.Errorf("unexpected config %+v", cfg)
			}
		})
	}
}

func TestLoadReportsEveryBadInput(t *testing.T) {
	t.Parallel()
	_, err := Load(nil, envFrom(map[string]string{"INPUT_ROOM": "x", "INPUT_STATUS": "meh", "INPUT_DEDUPE": "nope"}), io.Discard)
	for _, name := range []string{"input token", "input room", "input status", "input dedupe"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}

func TestTokenIsNeverEchoed(t *testing.T) {
	t.Parallel()
	secret := "s3cr3t with space"
	_, err := Load(nil, envFrom(map[string]string{"INPUT_TOKEN": secret, "INPUT_ROOM": "1"}), io.Discard)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("err = %v", err)
	}
}

func TestTemplateFile(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "msg.tmpl"), []byte("hi {{.Repo}}"), 0o644)
	cfg, err := Load([]string{"--dry-run", "--template-file", "msg.tmpl"}, envFrom(map[string]string{"GITHUB_WORKSPACE": ws}), io.Discard)
	if err != nil || cfg.Message.Template != "hi {{.Repo}}" || cfg.Message.TemplateName != "input template-file msg.tmpl" {
		t.Fatalf("cfg %+v, err %v", cfg, err)
	}
}

// TestTemplateFileStaysInTheWorkspace: a template file can read nothing
// but a regular, bounded file inside the workspace, however the path or a
// committed link points elsewhere.
func TestTemplateFileStaysInTheWorkspace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(ws, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("TOKEN"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "sub", "ok.tmpl"), []byte("ok {{.Repo}}"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "big.tmpl"), bytes.Repeat([]byte("x"), MaxTemplateFileBytes+1), 0o644))
	must(os.Symlink("../secret.txt", filepath.Join(ws, "up.tmpl")))
	must(os.Symlink("/proc/self/environ", filepath.Join(ws, "environ.tmpl")))
	must(os.Symlink("/dev/zero", filepath.Join(ws, "zero.tmpl")))
	must(os.Symlink("sub/ok.tmpl", filepath.Join(ws, "inside.tmpl")))
	must(syscall.Mkfifo(filepath.Join(ws, "fifo.tmpl"), 0o644))

	tests := []struct {
		path string
		want string // "" reads the file
	}{
		{"sub/ok.tmpl", ""},
		{"inside.tmpl", ""},
		{filepath.Join(ws, "sub", "ok.tmpl"), ""},
		{"./sub/../sub/ok.tmpl", ""},
		{"../secret.txt", "outside the workspace"},
		{filepath.Join(dir, "secret.txt"), "outside the workspace"},
		{"/etc/passwd", "outside the workspace"},
		{"up.tmpl", "cannot be read"},
		{"environ.tmpl", "cannot be read"},
		{"zero.tmpl", "cannot be read"},
		{"fifo.tmpl", "not a regular file"},
		{"sub", "not a regular file"},
		{"big.tmpl", "at most 1048576"},
		{"missing.tmpl", "cannot be read"},
	}
	for _, tc := range tests {
		done := make(chan struct{})
		var cfg *Config
		var err error
		go func() {
			defer close(done)
			cfg, err = Load([]string{"--dry-run", "--template-file", tc.path}, envFrom(map[string]string{"GITHUB_WORKSPACE": ws}), io.Discard)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: reading blocked", tc.path)
		}
		if tc.want == "" {
			if err != nil || cfg.Message.Template != "ok {{.Repo}}" {
				t.Errorf("%s: err %v", tc.path, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "input template-file") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want it to name template-file and say %q", tc.path, err, tc.want)
		}
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	_, err := Load([]string{"-h"}, envFrom(nil), &b)
	if !errors.Is(err, ErrHelp) || !strings.Contains(b.String(), "--token") && !strings.Contains(b.String(), "-token") {
		t.Errorf("err %v, usage %q", err, b.String())
	}
	for _, in := range Inputs {
		// Each input's line is the table's short description, as plain text.
		if !strings.Contains(b.String(), "-"+in.Name) || !strings.Contains(b.String(), in.Help()) {
			t.Errorf("usage does not describe %s as the input table does", in.Name)
		}
	}
	if strings.ContainsAny(b.String(), "`") || strings.Contains(b.String(), "](") {
		t.Errorf("usage holds Markdown:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "docs/inputs.md") || !strings.Contains(b.String(), `(default "post")`) {
		t.Errorf("usage lacks the room description or a default:\n%s", b.String())
	}
}

// TestSecretsCoverEveryForm: a secret input's value is found in its
// INPUT_ variable, its outside-Actions variable and every flag spelling,
// even when the arguments do not parse; other inputs are not secrets.
func TestSecretsCoverEveryForm(t *testing.T) {
	t.Parallel()
	var secret []Input
	for _, in := range Inputs {
		if in.Secret {
			secret = append(secret, in)
		}
	}
	if len(secret) != 2 {
		t.Fatalf("secret inputs %v; token and github-token expected", secret)
	}
	for _, in := range secret {
		forms := map[string]struct {
			args []string
			env  map[string]string
		}{
			"INPUT_ variable": {nil, map[string]string{"INPUT_" + strings.ToUpper(in.Name): " s3cret-a "}},
			"--name value":    {[]string{"--bogus", "--" + in.Name, "s3cret-a"}, nil},
			"--name=value":    {[]string{"--" + in.Name + "=s3cret-a", "stray"}, nil},
			"-name value":     {[]string{"-" + in.Name, "s3cret-a"}, nil},
			"-name=value":     {[]string{"-" + in.Name + "=s3cret-a"}, nil},
		}
		if in.Env != "" {
			forms["outside-Actions variable"] = struct {
				args []string
				env  map[string]string
			}{nil, map[string]string{in.Env: "s3cret-a"}}
		}
		for form, tc := range forms {
			if got := Secrets(tc.args, envFrom(tc.env)); !slices.Contains(got, "s3cret-a") {
				t.Errorf("%s as %s: Secrets = %q", in.Name, form, got)
			}
		}
	}
	got := Secrets([]string{"--room", "12345", "--template=x"}, envFrom(map[string]string{"INPUT_ROOM": "1", "INPUT_GITHUB-TOKEN": "${{ github.token }}"}))
	if len(got) != 0 {
		t.Errorf("non-secret values or an unevaluated expression counted as secrets: %q", got)
	}
}

// TestADeclaredSecretIsMasked: declaring an input Secret is all it takes.
func TestADeclaredSecretIsMasked(t *testing.T) {
	t.Parallel()
	inputs := append(slices.Clone(Inputs), Input{Name: "webhook-key", Secret: true, Env: "WEBHOOK_KEY"})
	got := secrets(inputs, []string{"--webhook-key=k1"}, envFrom(map[string]string{"INPUT_WEBHOOK-KEY": "k2", "WEBHOOK_KEY": "k3"}))
	if !slices.Equal(got, []string{"k2", "k3", "k1"}) {
		t.Errorf("Secrets = %q", got)
	}
}

func FuzzParseRoom(f *testing.F) {
	for _, s := range []string{"123", "rid1", "#!rid9", "https://www.chatwork.com/#!rid123-456", "", "x", "https://a/#!rid", "١٢٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		id, err := parseRoom(in)
		if (err == nil) != (id > 0) {
			t.Fatalf("parseRoom(%q) = %d, %v", in, id, err)
		}
		if err != nil && !strings.Contains(err.Error(), "input room") {
			t.Fatalf("error %q does not name the input", err)
		}
		if err == nil && !strings.Contains(in, strconv.FormatInt(id, 10)) {
			t.Fatalf("id %d does not come from %q", id, in)
		}
	})
}

func TestMentionsAndTo(t *testing.T) {
	t.Parallel()
	m, err := parseMentions("mentions", "# people\noctocat: 111\n  Mona-Lisa : 222  # the author\n\ndependabot[bot]: 333\ngitea_user.name: 444\n@Octo-Org/Reviewers: 111, 555 666\n")
	if err != nil || !cmp.Equal(m, map[string][]int64{"octocat": {111}, "mona-lisa": {222}, "dependabot[bot]": {333}, "gitea_user.name": {444}, "octo-org/reviewers": {111, 555, 666}}) {
		t.Errorf("parseMentions = %v, %v", m, err)
	}
	for _, bad := range []string{"octocat 111", "octocat: abc", ": 5", "bad login!: 5", "x: -1", "nektos/act: 5", ".dot: 5", "octocat: 1, 2", "@team: 5", "@org/team:", "@org/te am: 5"} {
		if _, err := parseMentions("mentions", bad); err == nil || !strings.Contains(err.Error(), "input mentions") {
			t.Errorf("parseMentions(%q) err %v", bad, err)
		}
	}
	all, ids, err := parseTo("1, 2\n3 2 TOALL")
	if err != nil || !all || !cmp.Equal(ids, []int64{1, 2, 3}) {
		t.Errorf("parseTo = %v %v %v", all, ids, err)
	}
	if _, _, err := parseTo("1,[toall]"); err == nil || !strings.Contains(err.Error(), "input to") {
		t.Errorf("err %v", err)
	}
}

func TestGitHubToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"GITHUB_TOKEN": "ghs_env"}, "ghs_env"},
		{map[string]string{"INPUT_GITHUB-TOKEN": "ghs_input", "GITHUB_TOKEN": "ghs_env"}, "ghs_input"},
		{map[string]string{"INPUT_GITHUB-TOKEN": "${{ github.token }}"}, ""},
	}
	for _, tc := range tests {
		cfg, err := Load([]string{"--dry-run"}, envFrom(tc.env), io.Discard)
		if err != nil || cfg.Insight.GitHubToken != tc.want {
			t.Errorf("%v: %q, %v", tc.env, cfg.Insight.GitHubToken, err)
		}
	}
	for _, in := range []string{"notify-when", "mention-on"} {
		_, err := Load([]string{"--dry-run"}, envFrom(map[string]string{envName(in): "sometimes"}), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "input "+in) {
			t.Errorf("%s: err %v", in, err)
		}
	}
}

func TestRoomsAndMessageIDs(t *testing.T) {
	t.Parallel()
	rooms, err := parseRooms("123, https://www.chatwork.com/#!rid456\n 123 rid789")
	if err != nil || !slices.Equal(rooms, []int64{123, 456, 789}) {
		t.Fatalf("parseRooms = %v, %v", rooms, err)
	}
	if _, err := parseRooms("123, nope"); err == nil || !strings.Contains(err.Error(), "input room") {
		t.Errorf("err %v", err)
	}
	tests := []struct {
		in    string
		rooms []int64
		want  map[int64]string
		ok    bool
	}{
		{"", []int64{1}, map[int64]string{}, true},
		{"1897000000000000001", []int64{1}, map[int64]string{1: "1897000000000000001"}, true},
		{"1897000000000000001", []int64{1, 2}, nil, false},
		{`{"1":"11","2":"22"}`, []int64{1, 2}, map[int64]string{1: "11", 2: "22"}, true},
		{`{"1":11}`, []int64{1}, map[int64]string{1: "11"}, true},
		{"https://www.chatwork.com/#!rid5-1897000000000000001", []int64{5}, map[int64]string{5: "1897000000000000001"}, true},
		{`{"x":"1"}`, []int64{1}, nil, false},
		{`{"1":"abc"}`, []int64{1}, nil, false},
		{"12ab", []int64{1}, nil, false},
	}
	for _, tc := range tests {
		got, err := parseMessageIDs(tc.in, tc.rooms)
		if (err == nil) != tc.ok || tc.ok && !cmp.Equal(got, tc.want) {
			t.Errorf("parseMessageIDs(%q) = %v, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "input message-id") {
			t.Errorf("error %q does not name the input", err)
		}
	}
}

func TestTaskLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          {},
		"24h":                       now.Add(24 * time.Hour),
		"90m":                       now.Add(90 * time.Minute),
		"2d":                        now.Add(48 * time.Hour),
		"2026-12-01T18:00:00+09:00": time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	} {
		l, err := parseTaskLimit(in)
		if err != nil || !l.Deadline(now).Equal(want) {
			t.Errorf("%q: %v %v", in, l.Deadline(now), err)
		}
	}
	for _, bad := range []string{"tomorrow", "-1h", "0s", "xd"} {
		if _, err := parseTaskLimit(bad); err == nil || !strings.Contains(err.Error(), "input task-limit") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestOnMissingToken(t *testing.T) {
	t.Parallel()
	cfg, err := Load(nil, envFrom(map[string]string{"INPUT_ROOM": "1", "INPUT_ON-MISSING-TOKEN": "skip"}), io.Discard)
	if err != nil || !cfg.Chatwork.SkipNoToken {
		t.Errorf("%+v %v", cfg, err)
	}
	if _, err := Load(nil, envFrom(map[string]string{"INPUT_ROOM": "1", "INPUT_ON-MISSING-TOKEN": "fail"}), io.Discard); err == nil {
		t.Error("an empty token must fail by default")
	}
}

// envName is the variable the runner sets for an input.
func envName(input string) string { return "INPUT_" + strings.ToUpper(input) }

// TestBoundsAndStrayValues: inputs that were accepted and then ignored or
// overflowed are errors naming the input.
func TestBoundsAndStrayValues(t *testing.T) {
	t.Parallel()
	ids := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%d,", 1000+i)
		}
		return b.String()
	}
	tests := []struct {
		name  string
		env   map[string]string
		input string
		want  string
	}{
		{"port out of range", map[string]string{"INPUT_API-URL": "https://api.chatwork.com:99999/v2"}, "api-url", "port 99999"},
		{"port zero", map[string]string{"INPUT_API-URL": "https://api.chatwork.com:0/v2"}, "api-url", "port 0"},
		{"message for another room", map[string]string{"INPUT_ROOM": "1", "INPUT_MESSAGE-ID": `{"2":"99"}`}, "message-id", "room 2"},
		{"message URL for another room", map[string]string{"INPUT_ROOM": "1", "INPUT_MESSAGE-ID": "https://www.chatwork.com/#!rid7-99"}, "message-id", "room 7"},
		{"task-limit overflow", map[string]string{"INPUT_TASK-LIMIT": "999999999999d"}, "task-limit", "task-limit"},
		{"task-limit too far", map[string]string{"INPUT_TASK-LIMIT": "2000d"}, "task-limit", "days away"},
		{"too many rooms", map[string]string{"INPUT_ROOM": ids(21)}, "room", "at most 20"},
		{"too many to", map[string]string{"INPUT_TO": ids(101)}, "to", "at most 100"},
		{"too many task-to", map[string]string{"INPUT_TASK-TO": ids(101)}, "task-to", "at most 100"},
		{"a team of 101", map[string]string{"INPUT_MENTIONS": "@org/all: " + ids(101)}, "mentions", "line 1 (@org/all) lists 101 accounts; at most 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"INPUT_TOKEN": "tok-0123456789", "INPUT_ROOM": "1"}
			maps.Copy(env, tc.env)
			_, err := Load(nil, envFrom(env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), "input "+tc.input+":") || !strings.Contains(err.Error(), tc.want) || len(err.Error()) > 300 {
				t.Errorf("err = %v, want input %s saying %q", err, tc.input, tc.want)
			}
		})
	}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	past, _ := parseTaskLimit("2026-01-01T00:00:00Z")
	if err := past.Check(now); err == nil || !strings.Contains(err.Error(), "already passed") {
		t.Errorf("past deadline: %v", err)
	}
	future, _ := parseTaskLimit("2026-12-01T18:00:00+09:00")
	if err := future.Check(now); err != nil {
		t.Errorf("future deadline: %v", err)
	}
}

func TestValuesTextsAndCloseTasks(t *testing.T) {
	t.Parallel()
	load := func(env map[string]string) (*Config, error) {
		env["INPUT_TOKEN"], env["INPUT_ROOM"] = "tok0123456", "1"
		return Load(nil, envFrom(env), io.Discard)
	}
	cfg, err := load(map[string]string{
		"INPUT_VALUES":       "version: v1.2.3\n\nprevious-version :  v1.2.2 \nurl: https://example.com/a:b\n",
		"INPUT_SUCCESS-TEXT": "Deployed {{ .Values.version }}",
		"INPUT_TEXTS":        "cancelled: Stopped by {{ .Actor }}\nAnnouncement: hi",
		"INPUT_TASK-TO":      "5",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(cfg.Message.Values, map[string]string{"version": "v1.2.3", "previous-version": "v1.2.2", "url": "https://example.com/a:b"}) {
		t.Errorf("values %q", cfg.Message.Values)
	}
	if !cmp.Equal(cfg.Message.Texts, map[event.Class]string{event.ClassSucceeded: "Deployed {{ .Values.version }}", event.ClassCancelled: "Stopped by {{ .Actor }}", event.ClassNone: "hi"}) {
		t.Errorf("texts %q", cfg.Message.Texts)
	}
	if !cfg.Delivery.CloseTasks {
		t.Error("close-tasks should default to true with task-to")
	}
	if cfg, _ := load(map[string]string{}); cfg.Delivery.CloseTasks {
		t.Error("close-tasks should default to false without task-to")
	}
	if cfg, _ := load(map[string]string{"INPUT_CLOSE-TASKS": "true"}); !cfg.Delivery.CloseTasks {
		t.Error("close-tasks: true without task-to")
	}
	for _, tc := range []struct{ input, value, want string }{
		{"VALUES", "bad name: x", `input values: line 1 is not "name: value"`},
		{"VALUES", "a: 1\na: 2", `input values: names "a" twice`},
		{"VALUES", "just text", `input values: line 1`},
		{"VALUES", strings.Repeat("x: 1\n", 1) + strings.Repeat("y", 70000), "at most 64 KB"},
		{"TEXTS", "failed: x\nfailed: y", "input texts: gives the failed text a second time"},
		{"TEXTS", "broken: x", `input texts: line 1: "broken" is not an outcome class`},
		{"CLOSE-TASKS", "maybe", "input close-tasks"},
	} {
		_, err := load(map[string]string{"INPUT_" + tc.input: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: %v, want %q", tc.input, tc.value, err, tc.want)
		}
	}
	if _, err := load(map[string]string{"INPUT_FAILURE-TEXT": "x", "INPUT_TEXTS": "failed: y"}); err == nil || !strings.Contains(err.Error(), "input texts: gives the failed text a second time") {
		t.Errorf("failure-text and texts failed: %v", err)
	}
}

// TestEveryInputBinds: every input of the table, given an example value,
// changes the Config — so an input row cannot ship as a silent no-op. A
// new input needs an example here.
func TestEveryInputBinds(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "msg.tmpl"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	examples := map[string]string{
		"token": "other-token-1", "room": "2", "status": "failure", "template": "hi", "template-file": "msg.tmpl",
		"dedupe": "true", "dedupe-key": "{{.RunID}}", "self-unread": "true", "dry-run": "true",
		"api-url": "https://proxy.example.com/v2", "fail-on-error": "false", "github-token": "ghs_x",
		"notify-when": "failure", "mentions": "octocat: 1", "mention-on": "never", "to": "7",
		"message-id": "https://www.chatwork.com/#!rid1-99", "mode": "update", "task-to": "8", "task-limit": "24h",
		"language": "ja", "on-missing-token": "skip", "details": "false", "test-results": "r/*.xml",
		"log-lines": "5", "attach-log": "true", "values": "v: 1", "success-text": "ok", "failure-text": "ng",
		"texts": "cancelled: stop", "close-tasks": "true", "report": "run",
		"approvers": "1001", "ask-timeout": "2h", "attach": "coverage/*.html",
	}
	base := map[string]string{"INPUT_TOKEN": "tok0123456", "INPUT_ROOM": "1", "GITHUB_WORKSPACE": ws}
	want, err := Load(nil, envFrom(base), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range Inputs {
		ex, ok := examples[in.Name]
		if !ok {
			t.Errorf("input %s has no example value in this test: add one", in.Name)
			continue
		}
		env := maps.Clone(base)
		env[InputVar(in.Name)] = ex
		got, err := Load(nil, envFrom(env), io.Discard)
		if err != nil {
			t.Errorf("input %s: the example %q is refused: %v", in.Name, ex, err)
			continue
		}
		if reflect.DeepEqual(got, want) {
			t.Errorf("input %s: %q changes nothing in the Config: its row binds to no field", in.Name, ex)
		}
	}
}

// TestMisspeltNames: an INPUT_ variable of no input is named, with the
// input meant; a flag that does not exist likewise, without the usage.
func TestMisspeltNames(t *testing.T) {
	t.Parallel()
	got := UnknownInputs([]string{"INPUT_ROOMS=123", "INPUT_ROOM=", "INPUT_DEDUP=true", "PATH=/bin", "INPUT_NOTIFY_WHEN=failure", "INPUT_XYZZY-PLUGH=1"})
	want := []string{
		"INPUT_DEDUP is set, but this action has no input dedup (a misspelt with: key?); did you mean dedupe?",
		"INPUT_NOTIFY_WHEN is set, but this action has no input notify_when (a misspelt with: key?); did you mean notify-when?",
		"INPUT_ROOMS is set, but this action has no input rooms (a misspelt with: key?); did you mean room?",
		"INPUT_XYZZY-PLUGH is set, but this action has no input xyzzy-plugh (a misspelt with: key?)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("UnknownInputs =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var usage strings.Builder
	_, err := Load([]string{"--rooms", "1"}, envFrom(nil), &usage)
	if err == nil || err.Error() != "unknown flag --rooms; did you mean --room? (chatwork-notify -h lists every flag)" || usage.Len() != 0 {
		t.Errorf("err %v, usage %d bytes", err, usage.Len())
	}
}

// TestDescriptionsFitWhereTheyAreShown: the short form is one sentence of
// at most 200 characters (action.yml; the Marketplace and editors show
// it), the Japanese one is written in Japanese, the long one exists, and
// none holds an expression, which runners refuse in action.yml.
func TestDescriptionsFitWhereTheyAreShown(t *testing.T) {
	t.Parallel()
	type row struct{ name, short, ja, long string }
	var rows []row
	for _, in := range Inputs {
		rows = append(rows, row{"input " + in.Name, in.Short, in.Ja, in.Description})
	}
	for _, o := range Outputs {
		rows = append(rows, row{"output " + o.Name, o.Short, o.Ja, o.Description})
	}
	japanese := regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)
	for _, r := range rows {
		switch n := utf8.RuneCountInString(r.short); {
		case n == 0 || n > 200:
			t.Errorf("%s: short description of %d characters, want 1–200", r.name, n)
		case !strings.HasSuffix(r.short, "."):
			t.Errorf("%s: short description %q is not a sentence", r.name, r.short)
		case strings.Contains(strings.TrimSuffix(r.short, "."), ". "):
			t.Errorf("%s: short description %q is more than one sentence", r.name, r.short)
		case strings.Contains(r.short, "]("):
			t.Errorf("%s: short description %q holds a link", r.name, r.short)
		}
		if !japanese.MatchString(r.ja) || !strings.HasSuffix(r.ja, "。") {
			t.Errorf("%s: Japanese description %q", r.name, r.ja)
		}
		if r.long == "" {
			t.Errorf("%s: no long description", r.name)
		}
		for _, s := range []string{r.short, r.ja, r.long} {
			if strings.Contains(s, "${{") {
				t.Errorf("%s: %q holds an expression", r.name, s)
			}
		}
	}
}

// TestAskRules: mode: ask needs approvers and one room, asks anew, and
// its timeout is bounded; each mistake names its input before any
// request.
func TestAskRules(t *testing.T) {
	t.Parallel()
	base := map[string]string{"INPUT_TOKEN": "tok0123456", "INPUT_ROOM": "1", "INPUT_MODE": "ask", "INPUT_APPROVERS": "1001, 1002"}
	tests := []struct {
		name string
		env  map[string]string
		want string // "" for no error
	}{
		{"good", nil, ""},
		{"no approvers", map[string]string{"INPUT_APPROVERS": ""}, "input approvers: is empty, but mode: ask needs"},
		{"a Chatwork ID", map[string]string{"INPUT_APPROVERS": "sato_taro"}, "input approvers: \"sato_taro\" is not a Chatwork account ID"},
		{"two rooms", map[string]string{"INPUT_ROOM": "1, 2"}, "input room: lists 2 rooms, but mode: ask waits for an answer in one room"},
		{"dedupe", map[string]string{"INPUT_DEDUPE": "true"}, "input dedupe: is true, but mode: ask asks anew"},
		{"not a duration", map[string]string{"INPUT_ASK-TIMEOUT": "30"}, "input ask-timeout: \"30\" is not a duration"},
		{"too long", map[string]string{"INPUT_ASK-TIMEOUT": "7h"}, "input ask-timeout: \"7h\" is longer than 6h0m0s"},
		{"too short", map[string]string{"INPUT_ASK-TIMEOUT": "1s"}, "input ask-timeout: \"1s\" is too short"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := maps.Clone(base)
			maps.Copy(env, tc.env)
			cfg, err := Load(nil, envFrom(env), io.Discard)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "":
				if !slices.Equal(cfg.People.ToIDs, []int64{1001, 1002}) || cfg.Delivery.Ask.Timeout != DefaultAskTimeout {
					t.Errorf("approvers are not addressed, or the timeout is %s: %+v", cfg.Delivery.Ask.Timeout, cfg.People)
				}
			case err == nil || !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
