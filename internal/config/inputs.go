package config

// Input describes one action input. The list below is the single source of
// truth in code; a test keeps action.yml and the README table in step with it.
type Input struct {
	Name        string
	Default     string // the code's default when the variable is absent; also action.yml's
	Required    bool
	Bool        bool // a true/false switch (a flag without value on the command line)
	Description string
}

// Output describes one step output.
type Output struct {
	Name        string
	Description string
}

// GitHubTokenDefault is action.yml's default for github-token; the runner
// evaluates it, while outside Actions it means "none" (GITHUB_TOKEN is used).
const GitHubTokenDefault = "${{ github.token }}"

// DefaultAPIURL is the Chatwork API base used when api-url is empty.
const DefaultAPIURL = "https://api.chatwork.com/v2"

// Inputs lists every input of the action, in action.yml order.
var Inputs = []Input{
	{Name: "token", Required: true, Description: "Chatwork API token, sent as X-ChatWorkToken. Masked at once. Outside Actions also read from CHATWORK_API_TOKEN."},
	{Name: "room", Required: true, Description: "Room ID, or a room URL such as https://www.chatwork.com/#!rid123456."},
	{Name: "status", Description: "This job's result, normally the job.status expression: an outcome word such as success, failure, cancelled, skipped, timed_out. An event that reports its own outcome wins over it; empty: the message announces the event."},
	{Name: "template", Description: "Go text/template for the message. Empty: the built-in template for the event."},
	{Name: "template-file", Description: "Path of a template file inside the workspace (relative, or absolute within it): a regular file of at most 1 MB; links may not lead outside. Not together with template."},
	{Name: "dedupe", Default: "false", Bool: true, Description: "Read the room's latest messages first and skip posting when a duplicate is there."},
	{Name: "dedupe-key", Description: "Template; a recent message containing its rendered text counts as a duplicate. Empty: an identical message is a duplicate."},
	{Name: "self-unread", Default: "false", Bool: true, Description: "Leave the posted message unread for the token's owner."},
	{Name: "dry-run", Default: "false", Bool: true, Description: "Render, log and write outputs, but make no Chatwork request."},
	{Name: "api-url", Default: DefaultAPIURL, Description: "Chatwork API base URL. Must be https (http only for loopback hosts)."},
	{Name: "fail-on-error", Default: "true", Bool: true, Description: "false: a Chatwork failure is reported as a warning and the step succeeds. Input errors always fail."},
	{Name: "github-token", Default: GitHubTokenDefault, Description: "Token for GitHub API reads (jobs, previous run). Needs permissions actions: read. Empty: no API calls. Outside Actions also read from GITHUB_TOKEN."},
	{Name: "notify-when", Default: "always", Description: "always; failure (post only for failure or cancelled); change (post only when the result differs from the previous completed run of the workflow on the branch)."},
	{Name: "mentions", Description: "Lines 'github-login: chatwork-account-id'; the actor, PR author and commit author found here are addressed with [To:id] per mention-on."},
	{Name: "mention-on", Default: "failure", Description: "When to address the mapped people: failure, always or never."},
	{Name: "to", Description: "Chatwork account IDs (comma, space or newline separated) always addressed with [To:id]; toall addresses the whole room."},
	{Name: "message-id", Description: "With mode update, the message to edit; with mode reply, the message to answer. An ID, a message URL, or the message-ids output (JSON) for several rooms."},
	{Name: "mode", Default: "post", Description: "post (a new message), update (edit message-id in place; posts a new one if it is gone or not the token owner's), reply (a new message threaded under message-id)."},
	{Name: "task-to", Description: "Chatwork account IDs: when the status is failure, also create a task for them in each room with the failure summary and a link."},
	{Name: "task-limit", Description: "Task deadline: a duration from now (24h, 90m, 2d) or an RFC 3339 time. Empty: no deadline."},
	{Name: "language", Default: "en", Description: "Language of the built-in messages and of every fixed phrase the action writes into a message or task: en or ja."},
	{Name: "on-missing-token", Default: "fail", Description: "skip: when token is empty (pull requests from forks get no secrets) log a notice and succeed without posting."},
}

// Outputs lists every output of the action, in action.yml order.
var Outputs = []Output{
	{Name: "message-id", Description: "ID of the message posted, edited or found as a duplicate (the first room's)."},
	{Name: "message-ids", Description: "JSON object mapping each room ID to its message ID."},
	{Name: "skipped", Description: "true when nothing was posted because a duplicate was found or notify-when said not to, else false."},
	{Name: "body", Description: "The exact message text that was or would be posted."},
	{Name: "task-ids", Description: "Comma-separated IDs of the tasks created (all rooms); empty when none."},
}
