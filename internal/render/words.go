package render

import (
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// Languages are the languages of the built-in messages, default first.
var Languages = []string{"en", "ja"}

// phrases says, per language, what happened for each outcome word (the
// verb of a title: "CI failed", "CI が失敗しました") and its short label
// (the status line).
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
	},
	"ja": {
		"success":         {"が成功しました", "成功"},
		"failure":         {"が失敗しました", "失敗"},
		"timed_out":       {"がタイムアウトしました", "タイムアウト"},
		"startup_failure": {"の起動に失敗しました", "起動失敗"},
		"error":           {"がエラーで失敗しました", "エラー"},
		"cancelled":       {"がキャンセルされました", "キャンセル"},
		"action_required": {"が承認待ちです", "承認待ち"},
		"waiting":         {"が承認待ちです", "承認待ち"},
		"skipped":         {"はスキップされました", "スキップ"},
		"neutral":         {"が終了しました（中立）", "中立"},
		"stale":           {"は古くなりました", "期限切れ"},
		"inactive":        {"は無効になりました", "無効"},
		"queued":          {"が待機中です", "待機中"},
		"in_progress":     {"を実行中です", "実行中"},
		"pending":         {"が保留中です", "保留中"},
		"requested":       {"がリクエストされました", "リクエスト済み"},
	},
}

// actions says, per language, what a pull request or issue action means in
// people's words ("synchronize" is "new commits pushed").
var actions = map[string]map[string]string{
	"en": {
		"opened": "opened", "reopened": "reopened", "closed": "closed without merging", "merged": "merged",
		"synchronize": "new commits pushed", "ready_for_review": "ready for review", "converted_to_draft": "changed to a draft",
		"review_requested": "review requested", "review_request_removed": "review request removed", "edited": "edited",
		"labeled": "labeled", "unlabeled": "unlabeled", "assigned": "assigned", "unassigned": "unassigned",
		"auto_merge_enabled": "set to merge automatically", "auto_merge_disabled": "no longer set to merge automatically",
		"enqueued": "added to the merge queue", "dequeued": "removed from the merge queue", "locked": "locked", "unlocked": "unlocked",
		"created": "created", "deleted": "deleted", "submitted": "reviewed", "dismissed": "review dismissed",
		"published": "published", "prereleased": "published as a pre-release", "released": "released",
		"approved": "approved", "changes_requested": "changes requested", "commented": "commented",
	},
	"ja": {
		"opened": "が作成されました", "reopened": "が再オープンされました", "closed": "がマージされずにクローズされました", "merged": "をマージしました",
		"synchronize": "に新しいコミットがプッシュされました", "ready_for_review": "がレビュー可能になりました", "converted_to_draft": "がドラフトに戻されました",
		"review_requested": "のレビュー依頼", "review_request_removed": "のレビュー依頼が取り消されました", "edited": "が編集されました",
		"labeled": "にラベルが付きました", "unlabeled": "のラベルが外れました", "assigned": "に担当者が割り当てられました", "unassigned": "の担当者が外れました",
		"auto_merge_enabled": "が自動マージに設定されました", "auto_merge_disabled": "の自動マージが解除されました",
		"enqueued": "がマージキューに入りました", "dequeued": "がマージキューから外れました", "locked": "がロックされました", "unlocked": "のロックが解除されました",
		"created": "が作成されました", "deleted": "が削除されました", "submitted": "がレビューされました", "dismissed": "のレビューが却下されました",
		"published": "を公開しました", "prereleased": "をプレリリースとして公開しました", "released": "をリリースしました",
		"approved": "が承認されました", "changes_requested": "に修正が依頼されました", "commented": "にレビューコメントが付きました",
	},
}

// wordFuncs are the helpers the built-in templates use for fixed words.
var wordFuncs = map[string]any{
	"did":      neutral2(did),
	"label":    neutral2(label),
	"happened": neutral2(happened),
	"duration": neutral2(duration),
}

// neutral2 neutralises what a word helper returns: the words it is given
// come from the event.
func neutral2(f func(a, b string) string) func(a, b string) string {
	return func(a, b string) string { return notation.Neutralise(f(a, b)) }
}

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

// happened is an action (opened, synchronize, …) in people's words; an
// action without an entry reads as its API word with spaces.
func happened(language, action string) string {
	if w, ok := actions[lang(language)][action]; ok {
		return w
	}
	return strings.ReplaceAll(action, "_", " ")
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
