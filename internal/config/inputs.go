package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/attach"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/mention"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// Input describes one action input. The list below is the only place that
// knows an input: parsing (its Bind, run by Load), masking (Secrets), the
// -h text, and (through go generate, see cmd/gendocs) action.yml's inputs
// and the README's table all come from it.
type Input struct {
	Name     string
	Default  string // action.yml's default; also the code's, unless RunnerDefault
	Required bool
	// Bind parses the value into its place in a Config (see bind.go).
	Bind binder
	// Secret inputs are masked in every form they can arrive in before
	// anything is printed (see Secrets).
	Secret bool
	// Env is the variable read outside Actions when neither the flag nor
	// INPUT_<NAME> is set.
	Env string
	// RunnerDefault: Default is an expression only the runner evaluates;
	// outside Actions the input's default is empty.
	RunnerDefault bool
	// Short is one sentence of at most 200 characters (code spans, no
	// links): action.yml (the Marketplace and editors show it) and the
	// README's table.
	Short string
	// Ja is the Japanese description for README.ja.md's table, written
	// for Japanese engineers (../shared/japanese-style.md).
	Ja string
	// Description is the full Markdown text (code spans, links relative
	// to docs/) for docs/inputs.md; -h gets it without links and code
	// marks. None of the three holds "${{": runners refuse expressions in
	// descriptions.
	Description string
}

// Output describes one step output.
type Output struct {
	Name        string
	Short, Ja   string // as for Input
	Description string // Markdown, as for Input
}

// DefaultAPIURL is the Chatwork API base used when api-url is empty.
const DefaultAPIURL = "https://api.chatwork.com/v2"

// Inputs lists every input of the action, in action.yml order.
var Inputs = []Input{
	{Name: "token", Required: true, Secret: true, Env: "CHATWORK_API_TOKEN",
		Bind:        verbatim(func(c *Config) *string { return &c.Chatwork.Token }),
		Short:       "Chatwork API token of the account that posts; pass it from a secret.",
		Ja:          "投稿に使う Chatwork アカウントの API トークン。シークレットから渡します。",
		Description: "Chatwork API token, sent as `X-ChatWorkToken`. Masked at once. Pass it from a secret."},
	{Name: "room", Required: true,
		Bind:        rooms(func(c *Config) *[]int64 { return &c.Delivery.Rooms }),
		Short:       "Room ID or room URL (`#!rid123456`); several rooms separated by commas, spaces or newlines.",
		Ja:          "ルーム ID またはルームの URL（`#!rid123456`）。複数のルームはカンマ・空白・改行で区切ります。",
		Description: fmt.Sprintf("Room ID, or a room URL such as `https://www.chatwork.com/#!rid123456` (the digits after `rid` are used; `rid123456` and `#!rid123456` work too). Several rooms (at most %d): separate them with commas, spaces or newlines (repeats are dropped); the message goes to each.", MaxRooms)},
	{Name: "status",
		Bind:        binder{set: setStatus},
		Short:       "The result to report, normally the `job.status` expression; empty announces the event without a result.",
		Ja:          "報告する結果。通常は `job.status` の式を渡します。空のときは結果を含まないお知らせになります。",
		Description: "This job's result, normally the `job.status` expression (or a `needs.<job>.result`): any outcome word GitHub uses — " + codeList(slices.DeleteFunc(event.OutcomeWords(), func(w string) bool { return w == "unstable" })) + " (any case; `canceled` too), or another CI system's own result word (Buildkite's `hard_failed`, GitLab's `failed`, Jenkins' `UNSTABLE`, …; see [Other CI systems](other-ci.md)). An event that reports its own outcome (`workflow_run`, `workflow_job`, `deployment_status`, `check_suite`, `check_run`, `status`) wins over it; see [Outcomes](outcomes.md). Empty with any other event: the message announces the event, with no status."},
	{Name: "template",
		Bind:        verbatim(func(c *Config) *string { return &c.Message.Template }),
		Short:       "A Go text/template for the message; empty uses the built-in message for the event.",
		Ja:          "メッセージのテンプレート（Go の text/template）。空のときはイベントごとの組み込みメッセージを使います。",
		Description: "A Go [text/template](https://pkg.go.dev/text/template) for the message ([fields](templates.md#template-fields) and [helpers](templates.md#template-helpers)). Empty: the built-in template for the event."},
	{Name: "template-file",
		Bind:        verbatim(func(c *Config) *string { return &c.Message.templateFile }),
		Short:       "Path of a template file in the workspace, used instead of `template`.",
		Ja:          "`template` の代わりに使う、ワークスペース内のテンプレートファイルのパス。",
		Description: fmt.Sprintf("Path of a template file inside the workspace (check out the repository first): relative, or absolute within the workspace; outside Actions the workspace is the current directory. It must be a regular file of at most %d MB, and symbolic links may not lead outside the workspace. Setting both `template` and `template-file` is an error.", MaxTemplateFileBytes>>20)},
	{Name: "dedupe", Default: "false",
		Bind:        boolean(func(c *Config) *bool { return &c.Delivery.Dedupe }),
		Short:       "Post nothing when the room's latest 100 messages already hold the same message from this account.",
		Ja:          "ルームの直近 100 件に同じアカウントの同じメッセージがあれば投稿しません。",
		Description: "Before posting, read the room's latest 100 messages (`GET …/messages?force=1`) and skip posting when a duplicate is there."},
	{Name: "dedupe-key",
		Bind:        verbatim(func(c *Config) *string { return &c.Message.DedupeKey }),
		Short:       "A template whose rendered text identifies a duplicate, instead of the whole body.",
		Ja:          "このテンプレートを展開した文字列を含むメッセージを重複とみなします（本文全体の一致ではなく）。",
		Description: "A template; a recent message *containing* its rendered text is a duplicate. Empty: a message with the identical body (trimmed, CRLF→LF) is a duplicate. The message must contain the key."},
	{Name: "self-unread", Default: "false",
		Bind:        boolean(func(c *Config) *bool { return &c.Delivery.SelfUnread }),
		Short:       "Leave the message unread for the token's own account.",
		Ja:          "投稿したメッセージを、トークンのアカウント自身には未読のまま残します。",
		Description: "Send `self_unread=1`, so the message stays unread for the token's owner."},
	{Name: "dry-run", Default: "false",
		Bind:        boolean(func(c *Config) *bool { return &c.Run.DryRun }),
		Short:       "Render and report the message without posting it (no token needed).",
		Ja:          "メッセージを作成して表示するだけで、投稿はしません（トークン不要）。",
		Description: "Render, log, write outputs and the job summary, but make no Chatwork request (no token needed). GitHub is still read for job details when `github-token` allows."},
	{Name: "api-url", Default: DefaultAPIURL,
		Bind:        parsed(func(c *Config) **url.URL { return &c.Chatwork.APIURL }, parseAPIURL),
		Short:       "Chatwork API base URL, for a proxy or a test server.",
		Ja:          "Chatwork API のベース URL。プロキシやテスト用のサーバーを使うときに指定します。",
		Description: "API base, for a proxy or a test server. Must be `https`; plain `http` only for loopback hosts; a port must be 1–65535."},
	{Name: "fail-on-error", Default: "true",
		Bind:        boolean(func(c *Config) *bool { return &c.Run.FailOnError }),
		Short:       "`false` turns a Chatwork failure into a warning and lets the step succeed; input errors always fail.",
		Ja:          "`false` にすると Chatwork 側の失敗を警告にとどめ、ステップを成功にします。入力の誤りは常に失敗です。",
		Description: "`false`: a Chatwork failure (bad token, unknown room, outage) becomes a warning and the step succeeds. Input errors always fail."},
	{Name: "github-token", Default: "${{ github.token }}", RunnerDefault: true, Secret: true, Env: "GITHUB_TOKEN",
		Bind:        binder{set: setGitHubToken},
		Short:       "Token for reading the run's jobs, steps and logs from the GitHub API; empty leaves job details out.",
		Ja:          "ワークフロー実行のジョブ・ステップ・ログを GitHub API から読むためのトークン。空のときはジョブの詳細を載せません。",
		Description: "Token for GitHub API reads: the run's jobs and failed steps, its duration, the previous run. Needs `permissions: actions: read`. Empty: no API calls; the message simply has no job details."},
	{Name: "notify-when", Default: string(NotifyAlways),
		Bind:        enum(func(c *Config) *NotifyWhen { return &c.Insight.NotifyWhen }, NotifyAlways, NotifyFailure, NotifyChange),
		Short:       "`always`, `failure` (failures and cancellations only) or `change` (only when the result differs from the previous run).",
		Ja:          "投稿する条件。`always`（常に）、`failure`（失敗とキャンセルのときだけ）、`change`（前回の実行と結果が変わったときだけ）。",
		Description: "`always`; `failure`: post only when the status is `failure` or `cancelled`; `change`: post only when the result differs from the previous completed run of the same workflow on the same branch (\"it broke\", \"it recovered\"). When nothing is posted, `skipped` is `true` and the log says why."},
	{Name: "mentions",
		Bind:        parsed(func(c *Config) *map[string][]int64 { return &c.People.People }, parseMentions),
		Short:       "Lines `github-login: chatwork-account-id` (a team: `@org/team: id, id`) of the people to address.",
		Ja:          "GitHub のログイン名と Chatwork のアカウント ID の対応（`login: ID` を 1 行ずつ、チームは `@org/team: ID, ID`）。",
		Description: "Lines `github-login: chatwork-account-id`, and `@org/team: id, id, …` for a team. Found here, the actor, the pull-request author and the commit author are addressed with `[To:id]` when a message reports a failure; the reviewers asked for (a team: all its accounts), the author of a reviewed pull request and everyone `@mentioned` in a comment, review or new issue are addressed in those messages (see `mention-on`)."},
	{Name: "mention-on", Default: string(mention.OnFailure),
		Bind:        enum(func(c *Config) *mention.On { return &c.People.On }, mention.Words...),
		Short:       "When to address the people of `mentions`: `failure`, `always`, `mentioned` or `never`.",
		Ja:          "`mentions` の人に TO を付ける条件。`failure`（失敗時。レビューやコメントで関係する人には常に）、`always`（常に）、`mentioned`（レビュー・コメント・Issue で関係する人だけ）、`never`（付けない）。",
		Description: "When to address the people of `mentions`: `failure` (the CI people on a failure, the people a review or comment concerns always), `always` (the CI people on every message too), `mentioned` (only the people a review, comment or issue concerns), or `never`."},
	{Name: "to",
		Bind:        binder{set: setTo},
		Short:       "Chatwork account IDs addressed in every message; `toall` addresses the whole room.",
		Ja:          "毎回 TO を付ける Chatwork のアカウント ID。`toall` でルームの全員宛てになります。",
		Description: fmt.Sprintf("Chatwork account IDs (comma, space or newline separated) always addressed with `[To:id]` (at most %d); `toall` addresses the whole room with `[toall]`.", MaxAccounts)},
	{Name: "message-id",
		Bind:        verbatim(func(c *Config) *string { return &c.Delivery.messageID }),
		Short:       "The message to edit (`mode: update`) or answer (`mode: reply`), usually an earlier step's `message-id` output.",
		Ja:          "`mode: update` で編集する、または `mode: reply` で返信するメッセージ。通常は前のステップの出力 `message-id` を渡します。",
		Description: "With `mode: update`, the message to edit; with `mode: reply`, the message to answer. Usually the `message-id` output of an earlier step or job; also a message URL (`https://www.chatwork.com/#!rid123-456`) or, for several rooms, the `message-ids` output. A message of a room that `room` does not list is an error."},
	{Name: "mode", Default: string(deliver.Post),
		Bind:        enum(func(c *Config) *deliver.Mode { return &c.Delivery.Mode }, deliver.Modes...),
		Short:       "`post` a new message, `update` the one in `message-id`, `reply` to it, or `ask` a question and wait for an approver's answer.",
		Ja:          "`post`（新しく投稿）、`update`（`message-id` のメッセージを編集）、`reply`（そのメッセージに返信）、`ask`（質問を投稿して承認者の返事を待つ）。",
		Description: "`post`: a new message. `update`: edit `message-id` in place (`PUT /rooms/{id}/messages/{message_id}`); if it is gone or not the token owner's, post a new one and say so. `reply`: a new message that starts with Chatwork's reply notation for `message-id`, so Chatwork threads it under the earlier one. `ask`: post a question to the one room, addressed to `approvers`, and wait up to `ask-timeout` for one of them to answer in the room; the step succeeds when approved and fails when rejected, timed out or cancelled (outputs `answer`, `answered-by`, `answer-text`). See [Approvals](ask.md)."},
	{Name: "approvers",
		Bind:        accounts(func(c *Config) *[]int64 { return &c.Delivery.Ask.Approvers }),
		Short:       "With `mode: ask`, the Chatwork account IDs whose answer counts; they are addressed in the question.",
		Ja:          "`mode: ask` で、承認・却下できる人の Chatwork アカウント ID。質問でこの人たちに TO を付けます。",
		Description: fmt.Sprintf("With `mode: ask` (required there): Chatwork account IDs, separated by commas, spaces or newlines (at most %d), whose answer counts. The question addresses each with `[To:id] Name`. An answer from anyone else, and from the token's own account even when it is listed, is ignored with a log line saying why.", MaxAccounts)},
	{Name: "ask-timeout", Default: "30m",
		Bind:        parsed(func(c *Config) *time.Duration { return &c.Delivery.Ask.Timeout }, parseAskTimeout),
		Short:       "With `mode: ask`, how long to wait for an answer (`90s`, `30m`, `2h`; at most `6h`).",
		Ja:          "`mode: ask` で、返事を待つ時間（`90s`、`30m`、`2h`。最長 `6h`）。",
		Description: "With `mode: ask`: how long to wait for an approver's answer, a Go duration from 10 s to 6 h (`90s`, `30m`, `2h`). When it passes, the question is edited to say so, `answer` is `timed-out` and the step fails. Keep the job's `timeout-minutes` longer."},
	{Name: "task-to",
		Bind:        accounts(func(c *Config) *[]int64 { return &c.Delivery.TaskTo }),
		Short:       "Chatwork account IDs that get a task when the outcome is a failure.",
		Ja:          "失敗したときにタスクを割り当てる Chatwork のアカウント ID。",
		Description: fmt.Sprintf("Chatwork account IDs (at most %d): when the status is `failure`, also create a task for them in each room with the failure summary and the run link, so a failed deployment has an owner.", MaxAccounts)},
	{Name: "task-limit",
		Bind:        deadline(func(c *Config) *TaskLimit { return &c.Delivery.TaskLimit }),
		Short:       "The task's deadline: a duration (`24h`, `2d`) or an RFC 3339 time; empty for none.",
		Ja:          "タスクの期限。期間（`24h`、`2d`）か RFC 3339 形式の日時。空のときは期限なし。",
		Description: "The task's deadline: a duration from now (`24h`, `90m`, `2d`) or an RFC 3339 time (`2026-12-01T18:00:00+09:00`), at most 5 years ahead; a time already past is an error. Empty: no deadline."},
	{Name: "language", Default: render.Languages[0],
		Bind:        enum(func(c *Config) *string { return &c.Message.Language }, render.Languages...),
		Short:       "`en` or `ja`: the language of the built-in messages and fixed phrases.",
		Ja:          "組み込みメッセージと定型文の言語。`en`（英語）か `ja`（日本語）。",
		Description: "Language of the built-in messages and of every fixed phrase the action writes into a message or task (failed jobs, \"and N more\", task bodies): `en` or `ja` (Japanese, written the way a Japanese team writes in a room). Your own templates can read `.Language`."},
	{Name: "on-missing-token", Default: "fail",
		Bind:        binder{set: setOnMissingToken},
		Short:       "`skip` succeeds without posting when `token` is empty (fork pull requests, Dependabot); `fail` stops with an error.",
		Ja:          "`token` が空のとき（フォークからの PR や Dependabot）、`skip` なら投稿せずに成功とし、`fail` ならエラーで止めます。",
		Description: "`skip`: when `token` is empty (pull requests from forks and Dependabot runs get no secrets), log one notice and succeed without posting."},
	{Name: "details", Default: "true",
		Bind:        boolean(func(c *Config) *bool { return &c.Insight.Details }),
		Short:       "On a failure, add the failed jobs' annotations and failed tests; `false` keeps job and step names only.",
		Ja:          "失敗したとき、失敗したジョブのアノテーションと失敗したテストを載せます。`false` ではジョブ名とステップ名だけです。",
		Description: "On a failure, add the reasons when GitHub gives them: the error and warning annotations of the failed jobs (needs `checks: read` on private repositories), and the failed tests of `test-results`. `false`: job and step names only."},
	{Name: "test-results",
		Bind:        parsed(func(c *Config) *[]string { return &c.Insight.TestResults }, parseGlobs),
		Short:       "Globs of JUnit XML reports whose totals and failed tests go into the message.",
		Ja:          "JUnit XML のレポートのパス（glob）。テストの件数と失敗したテストをメッセージに載せます。",
		Description: fmt.Sprintf("Globs, one per line, relative to the workspace (`**` matches any number of directories), of JUnit XML reports (Go via gotestsum or go-junit-report, Jest, pytest, Maven Surefire, PHPUnit, …). Their totals and the first %d failed tests go into the message; at most %d MB of reports are read, and a report that does not parse is skipped with a warning.", event.MaxTestFailures, MaxTestResultBytes>>20)},
	{Name: "log-lines", Default: "0",
		Bind:        count(func(c *Config) *int { return &c.Insight.LogLines }, MaxLogLines),
		Short:       "Add the last N lines of each failed step's log; `0` adds none.",
		Ja:          "失敗したステップのログの末尾 N 行をメッセージに載せます。`0` では載せません。",
		Description: fmt.Sprintf("With a value N > 0 (at most %d), add the last N lines of each failed step's log (of jobs that have finished) in a `[code]` block. Logs can hold text the room should not see, so this is off by default. Needs `actions: read`.", MaxLogLines)},
	{Name: "attach-log", Default: "false",
		Bind:        boolean(func(c *Config) *bool { return &c.Insight.AttachLog }),
		Short:       "On a failure, upload the failed steps' logs as a text file to each room.",
		Ja:          "失敗したとき、失敗したステップのログをテキストファイルとして各ルームにアップロードします。",
		Description: "On a failure, also upload the failed steps' logs (of jobs that have finished) as one text file to each room, after the message (at most 5 MB: the end is kept). Needs `actions: read`."},
	{Name: "attach",
		Bind:        parsed(func(c *Config) *[]string { return &c.Delivery.Attach }, parseGlobs),
		Short:       "Globs of workspace files (a coverage report, a screenshot) to upload to each room after the message.",
		Ja:          "メッセージの後で各ルームにアップロードする、ワークスペース内のファイルのパス（glob。カバレッジレポートやスクリーンショットなど）。",
		Description: fmt.Sprintf("Globs, one per line, relative to the workspace (`**` matches any number of directories), of files to upload to each room after the message (`POST /rooms/{id}/files`): a coverage report, a failed end-to-end test's screenshot. At most %d files of at most %d MB each; a larger file, a glob that matches nothing and a path that leads out of the workspace (`..`, a link outside) are skipped with a warning naming them. Files are read through the workspace root, regular files only. An upload whose answer was lost is never repeated. `attach-log` works beside it.", attach.MaxFiles, attach.MaxFileBytes>>20)},
	{Name: "values",
		Bind:        parsed(func(c *Config) *map[string]string { return &c.Message.Values }, parseValues),
		Short:       "Lines `name: value` (step outputs, event text) for templates as `.Values.name`, kept as plain text.",
		Ja:          "テンプレートで `.Values.name` として使う値（`name: value` を 1 行ずつ）。テンプレートや Chatwork 記法として解釈されず、文字列のまま扱われます。",
		Description: fmt.Sprintf("Lines `name: value`, the value usually an expression of a step's output or of the event, for templates as `.Values.name` (`{{ index .Values \"my-name\" }}` for a name with `-`). Values are untrusted text, neutralised like event fields; names are letters, digits, `_` and `-`; at most %d values. The safe way to bring an expression's text into a message.", maxValues)},
	{Name: "success-text",
		Bind:        verbatim(func(c *Config) *string { return &c.Message.successText }),
		Short:       "A one-line template added under the built-in title on a success.",
		Ja:          "成功したとき、組み込みメッセージのタイトルの下に加える 1 行のテンプレート。",
		Description: "A one-line template added under the built-in title when the outcome is a success, e.g. `Deployed {{ .Values.version }}`: the same fields as `template`."},
	{Name: "failure-text",
		Bind:        verbatim(func(c *Config) *string { return &c.Message.failureText }),
		Short:       "A one-line template added under the built-in title on a failure.",
		Ja:          "失敗したとき、組み込みメッセージのタイトルの下に加える 1 行のテンプレート。",
		Description: "The same when the outcome is a failure, e.g. `Rolled back to {{ .Values.previous }}`."},
	{Name: "texts",
		Bind:        parsed(func(c *Config) *map[event.Class]string { return &c.Message.Texts }, parseTexts),
		Short:       "Lines `outcome: template` giving a one-liner for any outcome class.",
		Ja:          "結果の分類ごとの 1 行テンプレート（`outcome: template` を 1 行ずつ）。",
		Description: "Lines `outcome: template` for any outcome class: `succeeded`, `failed`, `cancelled`, `attention`, `in_progress`, `neutral`, `announcement` (`success-text` and `failure-text` are short for the first two; give each class once)."},
	{Name: "close-tasks",
		Bind:        verbatim(func(c *Config) *string { return &c.Delivery.closeTasks }),
		Short:       "On a success, close the open failure tasks this action created for the same workflow and branch; empty: when `task-to` is set.",
		Ja:          "成功したとき、同じワークフローとブランチでこのアクションが作成した未完了の失敗タスクを完了にします。空のときは `task-to` があれば有効です。",
		Description: "`true`: when the outcome is a success, mark done the open failure tasks this action created for the same workflow and branch (their last line names them), and say in the message how many it closed. Empty: `true` when `task-to` is set."},
	{Name: "report", Default: string(ReportJob),
		Bind:        enum(func(c *Config) *Report { return &c.Insight.Report }, ReportJob, ReportRun, ReportReviews),
		Short:       "`job` reports this job, `run` the whole workflow run (from a final job), `reviews` the pull requests waiting for a review.",
		Ja:          "`job` はこのジョブを、`run` はワークフローの実行全体を（最後に実行するジョブに置く）、`reviews` はレビュー待ちの PR を報告します。",
		Description: fmt.Sprintf("`job`: the message reports on the current job (or the event's subject). `run`: it reports on the whole workflow run — every job but this one — for a final job with `needs:` and `if: always()`; the outcome is the worst of those jobs, with counts per result. Needs `actions: read`. `reviews`: a review reminder, usually from a `schedule:` workflow — this repository's open, non-draft pull requests that wait for a review, grouped by the reviewer or team asked, the longest-waiting first (at most %d listed), with the people and teams of `mentions` addressed; nothing is posted when none waits. Needs `pull-requests: read`. See [Review reminders](reviews.md).", event.MaxReviewPulls)},
}

// Outputs lists every output of the action, in action.yml order.
var Outputs = []Output{
	{Name: "message-id", Short: "ID of the message posted, edited or found as a duplicate (the first room's).", Ja: "投稿・編集したメッセージ、または重複として見つかったメッセージの ID（最初のルームのもの）。",
		Description: "ID of the message posted, edited, or found as a duplicate (the first room's). Empty in a dry run or after a failure."},
	{Name: "message-ids", Short: "JSON object of room ID → message ID for every room that has one.", Ja: "ルーム ID をキー、メッセージ ID を値とする JSON オブジェクト（メッセージのある全ルーム分）。",
		Description: "JSON object of room ID → message ID for every room that has one, e.g. `{\"123456\":\"1897000000000000001\"}`; `{}` when none. Pass it back as `message-id` to update or answer in several rooms."},
	{Name: "message-url", Short: "Link that opens the first room's message in Chatwork's web app (`https://www.chatwork.com/#!rid<room>-<message id>`).", Ja: "最初のルームのメッセージを Chatwork の Web 版で開くリンク（`https://www.chatwork.com/#!rid<ルーム ID>-<メッセージ ID>`）。",
		Description: "Link that opens the message of `message-id` in Chatwork's web app, `https://www.chatwork.com/#!rid<room>-<message id>`, for a later step to put in a pull request comment or the job summary. Empty when `message-id` is."},
	{Name: "message-urls", Short: "JSON object of room ID → message link for every room that has a message.", Ja: "ルーム ID をキー、メッセージへのリンクを値とする JSON オブジェクト（メッセージのある全ルーム分）。",
		Description: "JSON object of room ID → the link of that room's message, in the form of `message-url`, e.g. `{\"123456\":\"https://www.chatwork.com/#!rid123456-1897000000000000001\"}`; `{}` when none."},
	{Name: "skipped", Short: "`true` when nothing was posted: a duplicate, `notify-when`, `on-missing-token: skip`, or no pull request waiting for review.", Ja: "投稿しなかったとき `true`（重複、`notify-when`、`on-missing-token: skip`、レビュー待ちの PR がない）。それ以外は `false`。",
		Description: "`true` when nothing was posted: a duplicate was found (`dedupe`; or a parallel job posted the same message first), `notify-when` said not to, the token was empty with `on-missing-token: skip`, or no pull request waits for review (`report: reviews`); else `false`."},
	{Name: "body", Short: "The exact text posted (in a dry run, the text that would be posted).", Ja: "投稿した本文（ドライランでは、投稿するはずだった本文）。",
		Description: "The exact text that was (or, in a dry run, would be) posted (in reply mode, with the first room's reply line)."},
	{Name: "answer", Short: "With `mode: ask`, how the question ended: `approved`, `rejected`, `timed-out` or `cancelled`.", Ja: "`mode: ask` で、質問の結果。`approved`（承認）、`rejected`（却下）、`timed-out`（タイムアウト）、`cancelled`（キャンセル）のいずれか。",
		Description: "With `mode: ask`: `approved` (the step succeeds), `rejected`, `timed-out` (no approver answered within `ask-timeout`) or `cancelled` (the run was cancelled or hit its timeout while waiting); the three last fail the step. Empty in other modes and in a dry run."},
	{Name: "answered-by", Short: "With `mode: ask`, the Chatwork account ID of the approver who answered.", Ja: "`mode: ask` で、返事をした承認者の Chatwork アカウント ID。",
		Description: "With `mode: ask`: the Chatwork account ID of the approver whose answer decided; empty when nobody answered."},
	{Name: "answer-text", Short: "With `mode: ask`, what the approver wrote, as plain text of at most 300 characters.", Ja: "`mode: ask` で、承認者が書いた内容（Chatwork 記法を除いた 300 文字までのテキスト）。信頼できない入力なので、`run:` に式で埋め込まず `env:` で渡してください。",
		Description: "With `mode: ask`: the answer as plain text, Chatwork's notation (the reply line, To, quotes) removed, at most 300 characters; untrusted text, so pass it on through an environment variable, never inside `run:` as an expression."},
	{Name: "task-ids", Short: "Comma-separated IDs of the tasks created.", Ja: "作成したタスクの ID（カンマ区切り）。",
		Description: "Comma-separated IDs of the tasks created, in room order, e.g. `9001,9002`; empty when no task was created."},
}

// Doc is the input's full description in Markdown, with the variable read
// outside Actions.
func (in Input) Doc() string {
	if in.Env == "" {
		return in.Description
	}
	return in.Description + " Outside Actions also read from `" + in.Env + "`."
}

// Help is the input's line in -h: the short description as plain text,
// with the variable read outside Actions.
func (in Input) Help() string {
	if in.Env == "" {
		return PlainText(in.Short)
	}
	return PlainText(in.Short) + " Also read from " + in.Env + "."
}

// CodeDefault is the value the code uses when the input is not given.
func (in Input) CodeDefault() string {
	if in.RunnerDefault {
		return ""
	}
	return in.Default
}

var mdLink = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)

// PlainLinks is Markdown text with each link reduced to its text, for
// action.yml.
func PlainLinks(md string) string { return mdLink.ReplaceAllString(md, "$1") }

// PlainText is Markdown text without links and code marks, for -h.
func PlainText(md string) string { return strings.ReplaceAll(PlainLinks(md), "`", "") }

func codeList(words []string) string {
	return "`" + strings.Join(words, "`, `") + "`"
}
