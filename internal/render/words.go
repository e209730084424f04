package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Languages are the languages of the built-in messages, default first.
var Languages = []string{"en", "ja"}

// phrases says, per language, what happened for each outcome word (the
// verb of a title: "CI failed", "CI が失敗しました") and its short label
// (the status line). Japanese uses intransitive or passive verbs: a post
// appears as the token owner's own message, so it never says "I ran".
var phrases = map[string]map[string][2]string{
	"en": {
		"success":         {"succeeded", "success"},
		"failure":         {"failed", "failure"},
		"timed_out":       {"timed out", "timed out"},
		"startup_failure": {"failed to start", "startup failure"},
		"error":           {"failed with an error", "error"},
		"cancelled":       {"was cancelled", "cancelled"},
		"action_required": {"is waiting for approval", "approval required"},
		"waiting":         {"is waiting for approval", "waiting"},
		"skipped":         {"was skipped", "skipped"},
		"neutral":         {"finished (neutral)", "neutral"},
		"stale":           {"went stale", "stale"},
		"inactive":        {"is inactive", "inactive"},
		"queued":          {"is queued", "queued"},
		"in_progress":     {"is in progress", "in progress"},
		"pending":         {"is pending", "pending"},
		"requested":       {"was requested", "requested"},
		"unstable":        {"is unstable", "unstable"},
	},
	"ja": {
		"success":         {"が成功しました", "成功"},
		"failure":         {"が失敗しました", "失敗"},
		"timed_out":       {"がタイムアウトしました", "タイムアウト"},
		"startup_failure": {"の起動に失敗しました", "起動失敗"},
		"error":           {"がエラーになりました", "エラー"},
		"cancelled":       {"がキャンセルされました", "キャンセル"},
		"action_required": {"が承認待ちです", "承認待ち"},
		"waiting":         {"が承認待ちです", "承認待ち"},
		"skipped":         {"がスキップされました", "スキップ"},
		"neutral":         {"が終了しました（判定なし）", "判定なし"},
		"stale":           {"が期限切れになりました", "期限切れ"},
		"inactive":        {"が非アクティブになりました", "非アクティブ"},
		"queued":          {"が実行待ちです", "実行待ち"},
		"in_progress":     {"が実行中です", "実行中"},
		"pending":         {"が実行待ちです", "実行待ち"},
		"requested":       {"が実行待ちです", "実行待ち"},
		"unstable":        {"の結果が不安定 (UNSTABLE) になりました", "不安定"},
	},
}

// deployPhrases are what a deployment did, where it differs from phrases
// (a finished deployment "completed", in the idiom of each language).
var deployPhrases = map[string]map[string]string{
	"en": {"success": "succeeded", "failure": "failed", "in_progress": "is in progress"},
	"ja": {"success": "が完了しました", "failure": "に失敗しました", "error": "でエラーが発生しました", "in_progress": "が実行中です"},
}

// actions says, per language, what a pull request action means in people's
// words ("synchronize" is "new commits pushed"). Issues have their own
// words where they differ (issueActions): an issue is never merged.
var actions = map[string]map[string]string{
	"en": {
		"opened": "opened", "reopened": "reopened", "closed": "closed without merging", "merged": "merged",
		"synchronize": "new commits pushed", "ready_for_review": "ready for review", "converted_to_draft": "changed to a draft",
		"review_requested": "review requested", "review_request_removed": "review request removed", "edited": "edited",
		"labeled": "labeled", "unlabeled": "unlabeled", "assigned": "assigned", "unassigned": "unassigned",
		"auto_merge_enabled": "set to merge automatically", "auto_merge_disabled": "no longer set to merge automatically",
		"enqueued": "added to the merge queue", "dequeued": "removed from the merge queue", "locked": "locked", "unlocked": "unlocked",
		"created": "created", "deleted": "deleted", "published": "published", "prereleased": "published", "released": "released", "unpublished": "unpublished",
		"milestoned": "added to a milestone", "demilestoned": "removed from its milestone", "pinned": "pinned", "unpinned": "unpinned",
		"transferred": "transferred", "typed": "given a type", "untyped": "no longer typed",
		"requested": "requested", "rerequested": "requested again", "completed": "completed",
	},
	"ja": {
		"opened": "が作成されました", "reopened": "が再オープンされました", "closed": "がマージされずにクローズされました", "merged": "がマージされました",
		"synchronize": "に新しいコミットがプッシュされました", "ready_for_review": "がレビュー可能になりました", "converted_to_draft": "がドラフトに戻されました",
		"review_requested": "のレビューが依頼されました", "review_request_removed": "のレビュー依頼が取り消されました", "edited": "が編集されました",
		"labeled": "にラベルが付けられました", "unlabeled": "のラベルが外されました", "assigned": "に担当者が割り当てられました", "unassigned": "の担当者が外されました",
		"auto_merge_enabled": "が自動マージに設定されました", "auto_merge_disabled": "の自動マージが解除されました",
		"enqueued": "がマージキューに入りました", "dequeued": "がマージキューから外れました", "locked": "がロックされました", "unlocked": "のロックが解除されました",
		"created": "が作成されました", "deleted": "が削除されました", "published": "が公開されました", "prereleased": "が公開されました", "released": "が正式版として公開されました", "unpublished": "が非公開になりました",
		"milestoned": "にマイルストーンが設定されました", "demilestoned": "のマイルストーンが外されました", "pinned": "がピン留めされました", "unpinned": "のピン留めが外されました",
		"transferred": "が移管されました", "typed": "に種類が設定されました", "untyped": "の種類が外されました",
		"requested": "の実行が要求されました", "rerequested": "の再実行が要求されました", "completed": "が完了しました",
	},
}

// issueActions are the words of an issue's actions where they differ
// from a pull request's.
var issueActions = map[string]map[string]string{
	"en": {"closed": "closed"},
	"ja": {"closed": "がクローズされました"},
}

// wordFuncs are the helpers the built-in templates use for fixed words.
var wordFuncs = map[string]any{
	"did":          neutral2(did),
	"label":        neutral2(label),
	"happened":     neutral2(happened),
	"issueDid":     neutral2(issueDid),
	"deployed":     neutral2(deployed),
	"duration":     neutral2(duration),
	"waited":       waited,
	"span":         span,
	"san":          neutral2(san),
	"workflowName": neutral2(workflowName),
	"jst":          func(cron string) string { return notation.Neutralise(jst(cron)) },
	"jp":           func(parts ...any) string { return notation.Neutralise(jp(parts...)) },
	"q":            func(s string) string { return notation.Neutralise(quoteJa(s)) },
	"paren":        func(s string) string { return notation.Neutralise(paren(s)) },
}

// ciDefaultNames are, per language, the words for the names other CI
// systems' builds get when they have no workflow name of their own
// (internal/cienv: GitLab's and Bitbucket's "Pipeline", CircleCI's
// "Workflow"), so that a Japanese title has no English word in the
// middle of it. Only titles use them: the task marker keeps the name.
var ciDefaultNames = map[string]map[string]string{
	"ja": {"Pipeline": "パイプライン", "Workflow": "ワークフロー"},
}

// noWorkflowName is, per language, what a title calls a workflow that
// has no name.
var noWorkflowName = map[string]string{"en": "Workflow", "ja": "ワークフロー"}

// workflowName is a workflow's name as a title says it: the name, the
// language's word for a CI system's default name ("Pipeline" is
// "パイプライン" in Japanese), or the word for a workflow when there is
// no name: {{ workflowName .Language .Workflow }}.
func workflowName(language, name string) string {
	if name == "" {
		return noWorkflowName[lang(language)]
	}
	if w, ok := ciDefaultNames[lang(language)][name]; ok {
		return w
	}
	return name
}

// jp joins the pieces of a Japanese sentence as a Japanese team writes
// it: a half-width space between Japanese and ASCII text ("master
// へのプッシュで CI が失敗しました"), none between two Japanese words (a
// missing workflow name standing in as "ワークフロー" leaves no gap), none
// next to full-width brackets and punctuation ("PR #2「…」の"), and a space
// between two ASCII words. Empty pieces drop out.
func jp(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		s := fmt.Sprint(p)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(s)
			if spaced(last, first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

// spaced reports whether a space goes between runes a and b of two pieces.
func spaced(a, b rune) bool {
	switch {
	case unicode.IsSpace(a) || unicode.IsSpace(b):
		return false
	case strings.ContainsRune(fullWidthMarks, a) || strings.ContainsRune(fullWidthMarks, b):
		return false
	}
	return !wide(a) || !wide(b)
}

// fullWidthMarks are the brackets and punctuation no space goes around.
const fullWidthMarks = "「」『』（）［］、。・：；！？〜…／"

// wide reports whether r is Japanese (kana, kanji, full-width forms).
func wide(r rune) bool { return r >= 0x2E80 && r < 0x1F000 }

// quoteJa quotes a title for a Japanese sentence: 「title」, or nothing.
func quoteJa(s string) string {
	if s == "" {
		return ""
	}
	return "「" + s + "」"
}

// paren puts s in the brackets that follow its content: "（山田）" for
// Japanese, " (Codertocat)" for English; nothing for "".
func paren(s string) string {
	switch {
	case s == "":
		return ""
	case strings.IndexFunc(s, wide) >= 0:
		return "（" + s + "）"
	}
	return " (" + s + ")"
}

// neutral2 neutralises what a word helper returns: the words it is given
// come from the event.
func neutral2(f func(a, b string) string) func(a, b string) string {
	return func(a, b string) string { return notation.Neutralise(f(a, b)) }
}

// waitUnits are, per language, how a wait is written in its largest
// whole unit: days, hours, else minutes (singular, then plural).
var waitUnits = map[string][3][2]string{
	"en": {{"%d day", "%d days"}, {"%d hour", "%d hours"}, {"%d minute", "%d minutes"}},
	"ja": {{"%d日", "%d日"}, {"%d時間", "%d時間"}, {"%d分", "%d分"}},
}

// waited writes how long someone has been waited for, in its largest
// whole unit: "3 days", "5 hours", "1 minute" ("3日", "5時間", "1分").
func waited(language string, d time.Duration) string {
	units := waitUnits[lang(language)]
	n, u := int64(d/time.Minute), 2
	switch {
	case d >= 24*time.Hour:
		n, u = int64(d/(24*time.Hour)), 0
	case d >= time.Hour:
		n, u = int64(d/time.Hour), 1
	}
	n = max(n, 1)
	if n == 1 {
		return fmt.Sprintf(units[u][0], n)
	}
	return fmt.Sprintf(units[u][1], n)
}

// spanUnits are, per language, the units of span, largest first.
var spanUnits = map[string][3][2]string{
	"en": {{"%d hour", "%d hours"}, {"%d minute", "%d minutes"}, {"%d second", "%d seconds"}},
	"ja": {{"%d時間", "%d時間"}, {"%d分", "%d分"}, {"%d秒", "%d秒"}},
}

// span writes a duration exactly, in words: "1 hour 30 minutes", "90
// seconds" is "1 minute 30 seconds" ("1時間30分", "1分30秒"), for a time
// someone is given (an approval question's timeout).
func span(language string, d time.Duration) string {
	language = lang(language)
	units := spanUnits[language]
	s := int64(max(d, 0).Round(time.Second) / time.Second)
	var parts []string
	for i, n := range []int64{s / 3600, s / 60 % 60, s % 60} {
		switch {
		case n == 1:
			parts = append(parts, fmt.Sprintf(units[i][0], n))
		case n > 1:
			parts = append(parts, fmt.Sprintf(units[i][1], n))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, fmt.Sprintf(units[2][1], 0))
	}
	if language == "ja" {
		return strings.Join(parts, "")
	}
	return strings.Join(parts, " ")
}

// Span is span for Go code.
func Span(language string, d time.Duration) string { return span(language, d) }

// duration writes a duration ("1h2m3s", as .Duration holds it) in the
// language: "1時間2分3秒" in Japanese.
func duration(language, d string) string {
	if lang(language) != "ja" {
		return d
	}
	return strings.NewReplacer("h", "時間", "m", "分", "s", "秒").Replace(d)
}

func lang(l string) string {
	if _, ok := phrases[l]; ok {
		return l
	}
	return "en"
}

// did is what happened for an outcome word, as a title says it:
// {{ did .Language .Status }} gives "failed" or "が失敗しました".
func did(language, status string) string { return phrase(language, status, 0) }

// label is the short label of an outcome word for the status line:
// {{ label .Language .Status }} gives "failure" or "失敗".
func label(language, status string) string { return phrase(language, status, 1) }

// phrase is entry i of the phrases of status, or status itself.
func phrase(language, status string, i int) string {
	if p, ok := phrases[lang(language)][status]; ok {
		return p[i]
	}
	return status
}

// deployed is what a deployment did: "succeeded", "が完了しました",
// "に失敗しました"; the other states as did says them.
func deployed(language, status string) string {
	if w, ok := deployPhrases[lang(language)][status]; ok {
		return w
	}
	return did(language, status)
}

// happened is a pull request action (opened, synchronize, …) in people's
// words; an action without an entry reads as its API word with spaces in
// English, and as a quoted identifier in Japanese (never a raw API word
// in a sentence).
func happened(language, action string) string {
	if w, ok := actions[lang(language)][action]; ok {
		return w
	}
	if lang(language) == "ja" {
		return "に「" + action + "」の操作がありました"
	}
	return strings.ReplaceAll(action, "_", " ")
}

// issueDid is an issue action in people's words: as happened, but an
// issue is closed, never "closed without merging".
func issueDid(language, action string) string {
	if w, ok := issueActions[lang(language)][action]; ok {
		return w
	}
	return happened(language, action)
}

// san writes a person's name as the language addresses people: "octocat"
// in English, "octocatさん" in Japanese (attached, as Chatwork writes it),
// but never after a bot ("dependabot[bot]") or a team ("@org/team").
func san(language, name string) string {
	if lang(language) != "ja" || name == "" || strings.HasSuffix(name, "[bot]") || strings.HasPrefix(name, "@") || strings.Contains(name, "/") || botLogins[name] {
		return name
	}
	return name + "さん"
}

// botLogins are bots GitHub names without the [bot] suffix (Copilot as a
// requested reviewer): never さん.
var botLogins = map[string]bool{"Copilot": true, "copilot": true}

// jst says when in Japan a cron expression (UTC, as GitHub reads it)
// runs, when it names one time of day: "0 0 * * *" gives "日本時間 9:00";
// "30 23 * * 1-5", whose day changes in Japan, gives "日本時間では翌日
// 8:30"; anything else (*/15, lists, ranges of hours) gives "".
func jst(cron string) string {
	f := strings.Fields(cron)
	if len(f) != 5 {
		return ""
	}
	m, errM := strconv.Atoi(f[0])
	h, errH := strconv.Atoi(f[1])
	if errM != nil || errH != nil || m < 0 || m > 59 || h < 0 || h > 23 {
		return ""
	}
	t := fmt.Sprintf("%d:%02d", (h+9)%24, m)
	if h+9 >= 24 && (f[2] != "*" || f[4] != "*") {
		return "日本時間では翌日 " + t
	}
	return "日本時間 " + t
}

// phrasesCoverTheVocabulary is checked by a test: every outcome word has
// words in every language.
func phrasesCoverTheVocabulary() []string {
	var missing []string
	for _, l := range Languages {
		for _, w := range event.OutcomeWords() {
			if _, ok := phrases[l][w]; !ok {
				missing = append(missing, l+":"+w)
			}
		}
	}
	return missing
}

// Label is the short label of an outcome word in a language ("失敗" for
// failure in Japanese), for text the program writes outside a template.
func Label(language, word string) string { return label(language, word) }
