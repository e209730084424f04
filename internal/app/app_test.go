package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
	"github.com/chatwork-notify/chatwork-notify/internal/config"
)

// noToken fails the test if the token shows anywhere but in the
// ::add-mask:: line that registers it.
func noToken(t *testing.T, h *harness) {
	t.Helper()
	var log []string
	for _, line := range strings.Split(h.stdout.String(), "\n") {
		if line != "::add-mask::"+testToken {
			log = append(log, line)
		}
	}
	for where, text := range map[string]string{
		"log": strings.Join(log, "\n"), "outputs": h.readFile("output"), "summary": h.summary(),
	} {
		if strings.Contains(text, testToken) {
			t.Errorf("the token appears in the %s:\n%s", where, text)
		}
	}
}

func fixtureFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"../../testdata/events/*.json", "../../testdata/events/derived/*.json"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found %d fixtures", len(files))
	}
	return files
}

func TestEveryFixtureEventPostsEndToEnd(t *testing.T) {
	t.Parallel()
	for _, path := range fixtureFiles(t) {
		base := strings.TrimSuffix(filepath.Base(path), ".json")
		name, _, _ := strings.Cut(base, ".")
		t.Run(base, func(t *testing.T) {
			h := newHarness(t).event(name, path).input("status", "Failure")
			if err := h.run(); err != nil {
				t.Fatalf("run: %v\n%s", err, h.stdout.String())
			}
			msgs := h.srv.Messages(testRoom)
			if len(msgs) != 1 || h.posts() != 1 {
				t.Fatalf("%d messages after %d posts, want 1", len(msgs), h.posts())
			}
			out := h.outputs()
			if out["body"] != msgs[0].Body || out["message-id"] != msgs[0].ID || out["skipped"] != "false" {
				t.Errorf("outputs %q do not match the posted message %+v", out, msgs[0])
			}
			body := msgs[0].Body
			for _, want := range []string{"[info][title]", "[/title]", "[/info]", "octo-org/octo-repo"} {
				if !strings.Contains(body, want) {
					t.Errorf("message lacks %q:\n%s", want, body)
				}
			}
			// An event that reports on something that ran keeps its own
			// outcome; for every other event the status input is the
			// outcome, and the run is linked.
			switch name {
			case "workflow_run", "workflow_job", "deployment_status", "check_suite", "check_run", "status":
			default:
				for _, want := range []string{"❌", "https://github.com/octo-org/octo-repo/actions/runs/1658821493"} {
					if !strings.Contains(body, want) {
						t.Errorf("message lacks %q:\n%s", want, body)
					}
				}
			}
			if !strings.HasPrefix(h.stdout.String(), "::add-mask::"+testToken+"\n") {
				t.Errorf("the log does not start by masking the token:\n%s", h.stdout.String())
			}
			if !strings.Contains(h.summary(), "posted message "+msgs[0].ID) || !strings.Contains(h.summary(), body) {
				t.Errorf("summary:\n%s", h.summary())
			}
			req := h.srv.Requests()[0]
			if req.Header.Get("X-ChatWorkToken") != testToken || !strings.HasPrefix(req.UserAgent, "chatwork-notify/test") {
				t.Errorf("request headers %v", req.Header)
			}
			noToken(t, h)
		})
	}
}

func TestBuiltInMessagesPerEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture, event, status string
		want                   []string
	}{
		{"derived/pull_request.closed.merged.json", "pull_request", "success", []string{"merged", "#2", "Update the README with new information.", "Codertocat", "https://github.com/Codertocat/Hello-World/pull/2"}},
		{"derived/pull_request.closed.merged.json", "pull_request_target", "success", []string{"merged", "#2"}},
		{"pull_request.closed.unmerged.json", "pull_request", "", []string{"closed without merging", "#2"}},
		{"derived/deployment_status.created.failure.json", "deployment_status", "", []string{"❌ failure", "production", "Deployment failed"}},
		{"derived/workflow_run.completed.failure.json", "workflow_run", "", []string{"❌ failure", "test", "https://github.com/octo-org/octo-repo/actions/runs/289782451"}},
		{"workflow_job.completed.failure.json", "workflow_job", "", []string{"❌ failure", "linters", "Run yarn run format-check"}},
		{"push.new-branch.json", "push", "success", []string{"✅ success", "push to master", "Initial commit", "master @ 6113728"}},
		{"schedule.json", "schedule", "cancelled", []string{"🚫 cancelled", "*/15 * * * *"}},
		{"release.published.json", "release", "", []string{"release 0.0.1 published"}},
		{"release.published.json", "release", "failure", []string{"CI failed on release 0.0.1"}},
		{"create.tag.json", "create", "", []string{"tag simple-tag created"}},
		{"create.tag.json", "create", "failure", []string{"CI failed on creating tag simple-tag"}},
	}
	for _, tc := range tests {
		t.Run(tc.event+"/"+tc.fixture, func(t *testing.T) {
			h := newHarness(t).event(tc.event, "../../testdata/events/"+tc.fixture).input("status", tc.status)
			if err := h.run(); err != nil {
				t.Fatal(err)
			}
			body := h.outputs()["body"]
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("message lacks %q:\n%s", w, body)
				}
			}
		})
	}
}

func TestDryRunMakesNoRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("dry-run", "true").input("token", "")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Fatalf("%d requests in a dry run", n)
	}
	out := h.outputs()
	if out["message-id"] != "" || out["skipped"] != "false" || !strings.Contains(out["body"], "Initial commit") {
		t.Errorf("outputs %q", out)
	}
	if !strings.Contains(h.summary(), "Dry run") {
		t.Errorf("summary %q", h.summary())
	}
}

func TestOutsideActionsNoWorkflowCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for k := range h.env {
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "INPUT_") {
			delete(h.env, k)
		}
	}
	h.env["CHATWORK_API_TOKEN"] = testToken
	err := h.run("--room", "https://www.chatwork.com/#!rid123456", "--api-url", h.srv.BaseURL(),
		"--status", "success", "--event-name", "push", "--event-path", "../../testdata/events/push.new-branch.json")
	if err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	if strings.Contains(h.stdout.String(), "::") {
		t.Errorf("workflow commands printed outside Actions:\n%s", h.stdout.String())
	}
	if len(h.srv.Messages(testRoom)) != 1 {
		t.Error("nothing posted")
	}
	noToken(t, h)
}

func TestDedupe(t *testing.T) {
	t.Parallel()
	t.Run("identical body is skipped, then a re-run is skipped too", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		first := h.outputs()
		if first["skipped"] != "false" || h.posts() != 1 {
			t.Fatalf("first run: %q", first)
		}
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		second := h.outputs()
		if second["skipped"] != "true" || second["message-id"] != first["message-id"] || h.posts() != 1 {
			t.Errorf("re-run: outputs %q after %d posts; want skipped with id %s", second, h.posts(), first["message-id"])
		}
		if !strings.Contains(h.summary(), "skipped, message "+first["message-id"]) {
			t.Errorf("summary %q", h.summary())
		}
		for _, r := range h.srv.Requests() {
			if r.Method == "GET" && strings.HasSuffix(r.Path, "/messages") && r.Query.Get("force") != "1" {
				t.Errorf("dedupe read without force=1: %v", r.Query)
			}
		}
	})
	t.Run("CRLF and spacing differences still match", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true").input("template", "line one\nline two")
		id := h.srv.Seed(testRoom, testAccount, "  line one\r\nline two\n")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if out := h.outputs(); out["skipped"] != "true" || out["message-id"] != id {
			t.Errorf("outputs %q", out)
		}
	})
	t.Run("key contained in a recent message", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true").
			input("template", "deploy {{.RunID}} done at step 2").input("dedupe-key", "deploy {{.RunID}}")
		id := h.srv.Seed(testRoom, testAccount, "deploy 1658821493 done at step 1")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if out := h.outputs(); out["skipped"] != "true" || out["message-id"] != id || h.posts() != 0 {
			t.Errorf("outputs %q, %d posts", out, h.posts())
		}
	})
	t.Run("a look-alike from another account does not count", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true").input("template", "deploy {{.RunID}} done").input("dedupe-key", "deploy {{.RunID}}")
		h.srv.AddMember(testRoom, 99)
		h.srv.Seed(testRoom, 99, "someone pasted: deploy 1658821493 done")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if out := h.outputs(); out["skipped"] != "false" || h.posts() != 1 || !strings.Contains(h.stdout.String(), "was not posted by this token's account") {
			t.Errorf("outputs %q, %d posts\n%s", out, h.posts(), h.stdout.String())
		}
	})
	t.Run("of several duplicates the oldest is reported", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true").input("template", "same")
		first := h.srv.Seed(testRoom, testAccount, "same")
		h.srv.Seed(testRoom, testAccount, "same")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if out := h.outputs(); out["message-id"] != first {
			t.Errorf("message-id %s, want the oldest %s", out["message-id"], first)
		}
	})
	t.Run("no duplicate in an empty room (204)", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true")
		if err := h.run(); err != nil {
			t.Fatal(err)
		}
		if h.posts() != 1 || h.outputs()["skipped"] != "false" {
			t.Error("want one post")
		}
	})
	t.Run("key missing from the message is an input error before any request", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true").input("template", "hello").input("dedupe-key", "run {{.RunID}}")
		err := h.run()
		if err == nil || app.ExitCode(err) != 1 || len(h.srv.Requests()) != 0 {
			t.Fatalf("err %v, %d requests", err, len(h.srv.Requests()))
		}
		if !strings.Contains(h.stdout.String(), "::error::input dedupe-key") {
			t.Errorf("log:\n%s", h.stdout.String())
		}
	})
	t.Run("lost response is adopted, not posted twice", func(t *testing.T) {
		h := newHarness(t).input("dedupe", "true")
		h.srv.Inject(chatworktest.Fault{Method: "POST", DropAfterStore: true})
		if err := h.run(); err != nil {
			t.Fatalf("%v\n%s", err, h.stdout.String())
		}
		msgs := h.srv.Messages(testRoom)
		if len(msgs) != 1 || h.outputs()["message-id"] != msgs[0].ID {
			t.Fatalf("%d messages, outputs %q", len(msgs), h.outputs())
		}
	})
}

func TestInputErrorsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"missing token", map[string]string{"token": ""}, "input token"},
		{"token with a line break", map[string]string{"token": "abc\ndef0123"}, "input token"},
		{"missing room", map[string]string{"room": ""}, "input room"},
		{"bad room", map[string]string{"room": "general"}, "input room"},
		{"negative room", map[string]string{"room": "-5"}, "input room"},
		{"bad status", map[string]string{"status": "green"}, "input status"},
		{"bad boolean", map[string]string{"dedupe": "yes please"}, "input dedupe"},
		{"both templates", map[string]string{"template": "x", "template-file": "t.tmpl"}, "input template-file"},
		{"missing template file", map[string]string{"template-file": "nope.tmpl"}, "input template-file"},
		{"http API to a remote host", map[string]string{"api-url": "http://api.chatwork.com/v2"}, "input api-url"},
		{"not a URL", map[string]string{"api-url": "chatwork"}, "input api-url"},
		{"template does not parse", map[string]string{"template": "ok\n{{ .Repo "}, "input template: line 2"},
		{"template unknown field", map[string]string{"template": "{{ .Nope }}"}, "input template: line 1, column 3"},
		{"template unknown payload key", map[string]string{"template": "{{ .Payload.nope }}"}, "input template: line 1"},
		{"template unknown function", map[string]string{"template": "{{ shout .Repo }}"}, "input template: line 1"},
		{"empty message", map[string]string{"template": "  {{/* nothing */}} "}, "empty message"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			for k, v := range tc.inputs {
				h.input(k, v)
			}
			err := h.run()
			if app.ExitCode(err) != 1 {
				t.Fatalf("exit %d, want 1 (err %v)", app.ExitCode(err), err)
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests made despite bad input", n)
			}
			if !strings.Contains(h.stdout.String(), "::error::") || !strings.Contains(h.stdout.String(), tc.want) {
				t.Errorf("log does not report %q as an error:\n%s", tc.want, h.stdout.String())
			}
			noToken(t, h)
		})
	}
}

func TestChatworkFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		failOnError string
		fault       chatworktest.Fault
		token       string
		wantExit    int
		wantLog     []string
	}{
		{"401 fails the step", "true", chatworktest.Fault{}, "deadbeefdeadbeefdeadbeefdeadbeef", 1, []string{"::error::", "401", "Invalid API token", "check the token"}},
		{"401 as a warning", "false", chatworktest.Fault{}, "deadbeefdeadbeefdeadbeefdeadbeef", 0, []string{"::warning::", "401", "fail-on-error is false"}},
		{"404 names the room", "true", chatworktest.Fault{Method: "POST", Status: 404, Body: `{"errors":["Room not found"]}`, Times: chatworktest.Always}, "", 1, []string{"::error::", "404", "Room not found", "member"}},
		{"persistent 500", "true", chatworktest.Fault{Method: "POST", Status: 500, Body: "<h1>oops</h1>", Times: chatworktest.Always}, "", 1, []string{"500", "oops", "reading the room before posting again"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t).input("fail-on-error", tc.failOnError)
			tok := testToken
			if tc.token != "" {
				tok = tc.token
				h.input("token", tok)
			}
			if tc.fault.Status != 0 {
				h.srv.Inject(tc.fault)
			}
			err := h.run()
			if got := app.ExitCode(err); got != tc.wantExit {
				t.Fatalf("exit %d, want %d (%v)\n%s", got, tc.wantExit, err, h.stdout.String())
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(h.stdout.String(), w) {
					t.Errorf("log lacks %q:\n%s", w, h.stdout.String())
				}
			}
			if out := h.outputs(); out["message-id"] != "" || out["body"] == "" {
				t.Errorf("outputs %q", out)
			}
			for _, text := range []string{h.stdout.String(), h.readFile("output"), h.summary()} {
				if strings.Contains(strings.ReplaceAll(text, "::add-mask::"+tok+"\n", ""), tok) {
					t.Errorf("token leaked:\n%s", text)
				}
			}
		})
	}
}

// hostile strings an attacker can put in a PR title, branch or commit.
var hostile = []string{
	"[toall] everyone look",
	"[To:1] Boss [/info][info][title]FAKE[/title]",
	"[rp aid=1 to=123456-1897000000000000001]",
	"[code]x[/code] [TOALL] [ To:2 ]",
	"ok\n::error::pwned-by-payload\n::add-mask::x",
	"  ::warning file=a::pwned-by-payload",
	"see ##[error]pwned-by-payload",
	"::stop-commands::abc",
	"x\n_GitHubActionsFileCommandDelimeter_\ninjected=1",
	"{{ .Repo }} {{ printf \"%s\" \"tmpl\" }}",
}

func TestHostilePayloadStaysText(t *testing.T) {
	t.Parallel()
	title := strings.Join(hostile, "\n")
	var pr map[string]any
	b, _ := os.ReadFile("../../testdata/events/derived/pull_request.closed.merged.json")
	if err := json.Unmarshal(b, &pr); err != nil {
		t.Fatal(err)
	}
	p := pr["pull_request"].(map[string]any)
	p["title"] = title
	p["user"].(map[string]any)["login"] = "[toall]"
	p["head"].(map[string]any)["ref"] = "feature/[To:9]::error::x"
	payload, _ := json.Marshal(pr)

	h := newHarness(t).eventJSON("pull_request", payload).input("status", "success")
	h.input("template", "{{ template \"x\" . }}{{ define \"x\" }}[info][title]{{.PR.Title}}[/title]{{.PR.Author}} {{.PR.Head}} {{ index .Payload \"pull_request\" \"title\" }} {{ to 42 }}[/info]{{ end }}")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.srv.Messages(testRoom)[0].Body

	tags := regexp.MustCompile(`(?i)\[\s*/?\s*(toall|to:|rp |code|info|title|qt|hr|picon)`)
	got := tags.FindAllString(body, -1)
	want := []string{"[info", "[title", "[/title", "[To:", "[/info"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("live tags %q, want only the template's own %q:\n%s", got, want, body)
	}
	if !strings.Contains(body, "{{ .Repo }}") || strings.Contains(body, "tmpl\"") && !strings.Contains(body, "printf") {
		t.Errorf("payload text was evaluated as a template:\n%s", body)
	}
	if !strings.Contains(body, "［toall］ everyone look") {
		t.Errorf("neutralised text should still read the same:\n%s", body)
	}

	for _, c := range h.actedOn() {
		if strings.Contains(c.Data, "pwned") || c.Name == "add-mask" && c.Data != testToken {
			t.Errorf("payload issued a workflow command %+v", c)
		}
	}
	out := h.outputs()
	if len(out) != len(config.Outputs) || out["body"] != body {
		t.Errorf("outputs %q, want exactly the %d declared outputs", out, len(config.Outputs))
	}
	if !strings.Contains(h.summary(), "［toall］") {
		t.Errorf("summary:\n%s", h.summary())
	}
}

func TestHugeCommitMessageStillPosts(t *testing.T) {
	t.Parallel()
	var push map[string]any
	b, _ := os.ReadFile("../../testdata/events/push.new-branch.json")
	if err := json.Unmarshal(b, &push); err != nil {
		t.Fatal(err)
	}
	huge := "Fix everything\n\n" + strings.Repeat("very long line [toall] ", 200*1024/23)
	push["head_commit"].(map[string]any)["message"] = huge
	payload, _ := json.Marshal(push)
	h := newHarness(t).eventJSON("push", payload).input("status", "success").
		input("template", "[info][title]{{.Commit.Title}}[/title]{{.Commit.Message}}\n{{.RunURL}}[/info]")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%.2000s", err, h.stdout.String())
	}
	body := h.srv.Messages(testRoom)[0].Body
	if len(body) > 65535 || len(body) < 60000 {
		t.Errorf("body is %d bytes, want just under 65535", len(body))
	}
	if !strings.HasPrefix(body, "[info][title]Fix everything[/title]Fix everything") || !strings.HasSuffix(body, "…\nhttps://github.com/octo-org/octo-repo/actions/runs/1658821493[/info]") {
		t.Errorf("structure lost: %.200q … %q", body, body[len(body)-120:])
	}
}

func TestTemplateFileIsReadFromTheWorkspace(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dir := filepath.Join(h.env["GITHUB_WORKSPACE"], ".github")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "chatwork.tmpl"), []byte("{{ to 1234 }} {{ .Repo | upper }} {{ .Commit.Message | truncate 4 }} {{ .Release.Name | default \"none\" }}\n"), 0o644)
	h.input("template-file", ".github/chatwork.tmpl")
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if got := h.outputs()["body"]; got != "[To:1234] OCTO-ORG/OCTO-REPO Ini… none\n" {
		t.Errorf("body %q", got)
	}
}

func TestEnterpriseServerLinks(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "success")
	h.env["GITHUB_SERVER_URL"] = "https://ghe.example.com"
	if err := h.run(); err != nil {
		t.Fatal(err)
	}
	if body := h.outputs()["body"]; !strings.Contains(body, "https://ghe.example.com/octo-org/octo-repo/actions/runs/1658821493") ||
		!strings.Contains(body, "https://ghe.example.com/octo-org/octo-repo/tree/master") {
		t.Errorf("body %q", h.outputs()["body"])
	}
}

func TestFlagsWinOverInputs(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("template", "from input")
	if err := h.run("--template", "from flag", "--self-unread"); err != nil {
		t.Fatal(err)
	}
	req := h.srv.Requests()[0]
	if req.Form.Get("body") != "from flag" || req.Form.Get("self_unread") != "1" {
		t.Errorf("form %v", req.Form)
	}
}

func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	err := h.run("-h")
	if app.ExitCode(err) != 0 || !strings.Contains(h.stdout.String(), "Usage: chatwork-notify") {
		t.Errorf("exit %d, log %q", app.ExitCode(err), h.stdout.String())
	}
}

func TestOtherCISystems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"gitlab merge request", map[string]string{
			"GITLAB_CI": "true", "CI_PROJECT_PATH": "group/app", "CI_PROJECT_URL": "https://gitlab.example.com/group/app",
			"CI_PIPELINE_URL": "https://gitlab.example.com/group/app/-/pipelines/9", "CI_PIPELINE_ID": "9", "GITLAB_USER_LOGIN": "alice",
			"CI_COMMIT_SHA": "0123456789abcdef", "CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_TITLE": "Fix [toall]",
			"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "fix", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
		}, nil, []string{"❌ group/app", "MR !7 Fix ［toall］", "fix → main", "https://gitlab.example.com/group/app/-/pipelines/9", "Actor: alice", "0123456"}},
		{"buildkite push, forced with --ci", map[string]string{
			"BUILDKITE_REPO": "git@github.com:octo/app.git", "BUILDKITE_PIPELINE_SLUG": "app", "BUILDKITE_BUILD_URL": "https://buildkite.com/octo/app/builds/88",
			"BUILDKITE_BUILD_NUMBER": "88", "BUILDKITE_BRANCH": "main", "BUILDKITE_COMMIT": "9999999888888877", "BUILDKITE_BUILD_CREATOR": "dave",
			"BUILDKITE_MESSAGE": "Release", "BUILDKITE_PULL_REQUEST": "false", "BUILDKITE_SOURCE": "webhook",
		}, []string{"--ci", "buildkite"}, []string{"octo/app: app failed on push to main", "Commit: Release", "https://buildkite.com/octo/app/builds/88", "Actor: dave"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			for k := range h.env {
				if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "INPUT_") {
					delete(h.env, k)
				}
			}
			for k, v := range tc.env {
				h.env[k] = v
			}
			h.env["CHATWORK_API_TOKEN"] = testToken
			args := append([]string{"--room", "123456", "--api-url", h.srv.BaseURL(), "--status", "failure"}, tc.args...)
			if err := h.run(args...); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			msgs := h.srv.Messages(testRoom)
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			for _, w := range tc.want {
				if !strings.Contains(msgs[0].Body, w) {
					t.Errorf("message lacks %q:\n%s", w, msgs[0].Body)
				}
			}
			if strings.Contains(h.stdout.String(), "::") {
				t.Errorf("workflow commands outside Actions:\n%s", h.stdout.String())
			}
		})
	}
}

// TestUnicodeSpacedCommandsDoNotRun: the runner trims every Unicode white
// space before it looks for "::", so payload text such as a deployment
// description must be fenced whatever space precedes the command.
func TestUnicodeSpacedCommandsDoNotRun(t *testing.T) {
	t.Parallel()
	var ev map[string]any
	b, _ := os.ReadFile("../../testdata/events/deployment_status.created.success.json")
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	ev["deployment_status"].(map[string]any)["description"] = "done\n\u3000::add-mask::done\n\u00a0::stop-commands::x\r::error::pwned"
	payload, _ := json.Marshal(ev)
	h := newHarness(t).eventJSON("deployment_status", payload).input("status", "success").
		input("template", "{{.Deployment.Description}}\n\u2003::warning::from the template {{.Repo}}")
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	for _, c := range h.actedOn() {
		if c.Name == "add-mask" && c.Data != testToken || strings.Contains(c.Data, "pwned") || strings.Contains(c.Data, "from the template") {
			t.Errorf("the runner would run %+v\n%s", c, h.stdout.String())
		}
	}
}

// TestSecretsNeverReachTheRoom: whatever a template prints, the posted
// message holds no secret.
func TestSecretsNeverReachTheRoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t).input("status", "success")
	h.env["GITHUB_TOKEN"] = "ghs_0123456789abcdefghijklmnopqrstuvwxyz"
	h.input("template", `{{.Repo}} {{ index .Payload "token" }} {{ index .Payload "gh" }}`)
	h.eventJSON("push", []byte(`{"token":"`+testToken+`","gh":"ghs_0123456789abcdefghijklmnopqrstuvwxyz"}`))
	if err := h.run(); err != nil {
		t.Fatalf("%v\n%s", err, h.stdout.String())
	}
	body := h.srv.Messages(testRoom)[0].Body
	if strings.Contains(body, testToken) || strings.Contains(body, "ghs_") || body != "octo-org/octo-repo *** ***" {
		t.Errorf("posted %q", body)
	}
}

// TestEventOutcomeWinsOverTheJobStatus: with status: ${{ job.status }}
// (the notifier's own success) in a workflow triggered by a failed
// deployment or run, the message reports the failure, and the log says
// why the input was not used.
func TestEventOutcomeWinsOverTheJobStatus(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"deployment_status.created.failure", "workflow_run.completed.failure"} {
		t.Run(fixture, func(t *testing.T) {
			name, _, _ := strings.Cut(fixture, ".")
			h := newHarness(t).event(name, "../../testdata/events/derived/"+fixture+".json").input("status", "success")
			if err := h.run(); err != nil {
				t.Fatalf("%v\n%s", err, h.stdout.String())
			}
			body := h.outputs()["body"]
			if !strings.Contains(body, "❌") || strings.Contains(body, "✅") || !strings.Contains(body, "failed") {
				t.Errorf("body:\n%s", body)
			}
			if !strings.Contains(h.stdout.String(), "::notice::") {
				t.Errorf("no notice about the overridden status input:\n%s", h.stdout.String())
			}
		})
	}
}
