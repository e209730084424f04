package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/chatwork-notify/chatwork-notify/internal/ghaction"
	"github.com/chatwork-notify/chatwork-notify/internal/preview"
	"github.com/chatwork-notify/chatwork-notify/internal/render"
)

// phrasebook holds the fixed words of what a run says it did: the log
// (always English, what people search for) and the job summary (in the
// language input's language). The formats take the room and ids in order.
type phrasebook struct {
	title, notation                      string
	notRendered, dryRun                  string
	notPosted, nothingPosted             string            // take the reason, the error
	failed, duplicate, adopted           string            // take room (and id)
	updated, replied, posted, postedNoID string            // take room, id (but postedNoID), then the extras
	task, closed, file, followUp         string            // extras: take the ids
	sep, list                            string            // between a line and its extras; between ids
	stopped, fix                         string            // an input error: what happened, where the inputs are described
	answers                              map[string]string // mode: ask, per outcome: take the name, account and text (approved, rejected) or the timeout
}

var reportWords = map[string]phrasebook{
	"en": {
		title: "Chatwork notification", notation: "Chatwork notation",
		notRendered: "Nothing was posted: the message could not be rendered.", dryRun: "Dry run: nothing was posted.",
		notPosted: "Not posted: %s.", nothingPosted: "Nothing was posted: %s",
		failed: "Room %d: failed.", duplicate: "Room %d: skipped, message %s already says this (dedupe).",
		adopted: "Room %d: skipped, a parallel job posted the same message first (%s).",
		updated: "Room %d: updated message %s%s.", replied: "Room %d: replied with message %s%s.",
		posted: "Room %d: posted message %s%s.", postedNoID: "Room %d: posted (message id unknown)%s.",
		task: "opened task %s", closed: "closed failure task %s", file: "uploaded file %s",
		followUp: "replied to it with message %s, since an edit notifies nobody", sep: "; ", list: ", ",
		stopped: "Nothing was posted: the step stopped before any request because an input needs a fix.",
		fix:     "Every input is described in [docs/inputs.md](https://github.com/chatwork-notify/chatwork-notify/blob/main/docs/inputs.md).",
		answers: map[string]string{
			"approved":  "Approved by %s (account %d), who wrote “%s”.",
			"rejected":  "Rejected by %s (account %d), who wrote “%s”.",
			"timed-out": "No approver answered within %s, so it was not approved.",
			"cancelled": "The run was cancelled while it waited for an answer, so it was not approved.",
		},
	},
	"ja": {
		title: "Chatwork への通知", notation: "Chatwork 記法",
		notRendered: "メッセージを作成できなかったため、何も投稿していません。", dryRun: "ドライランのため、何も投稿していません。",
		notPosted: "%s、投稿していません。", nothingPosted: "何も投稿していません: %s",
		failed: "ルーム %d: 投稿に失敗しました。", duplicate: "ルーム %d: 同じ内容のメッセージ %s が投稿済みのため、投稿していません（dedupe による重複防止）。",
		adopted: "ルーム %d: 並列で動いていた別のジョブが同じメッセージ %s を先に投稿したため、投稿していません。",
		updated: "ルーム %d: メッセージ %s を更新しました%s。", replied: "ルーム %d: メッセージ %s で返信しました%s。",
		posted: "ルーム %d: メッセージ %s を投稿しました%s。", postedNoID: "ルーム %d: 投稿しました（メッセージ ID は不明）%s。",
		task: "タスク %s を作成しました", closed: "失敗タスク %s を完了にしました", file: "ファイル %s をアップロードしました",
		followUp: "編集では通知が届かないため、返信（メッセージ %s）も投稿しました", sep: "。", list: "、",
		stopped: "入力に誤りがあるため、リクエストを送る前に停止しました。何も投稿していません。",
		fix:     "入力の一覧と説明は [README.ja.md](https://github.com/chatwork-notify/chatwork-notify/blob/main/README.ja.md#入力) にあります。",
		answers: map[string]string{
			"approved":  "%sさん（アカウント ID %d）が「%s」と返信して承認しました。",
			"rejected":  "%sさん（アカウント ID %d）が「%s」と返信して却下しました。",
			"timed-out": "%s以内に返事がなかったため、承認されませんでした。",
			"cancelled": "返事を待っている間に実行がキャンセルされたため、承認されませんでした。",
		},
	},
}

// words is the phrasebook of a language (English when there is none).
func words(language string) phrasebook {
	if w, ok := reportWords[language]; ok {
		return w
	}
	return reportWords["en"]
}

// statusLines say what happened, one line per room, in w's language.
func statusLines(res runResult, w phrasebook, language string) []string {
	switch {
	case res.Err != nil && res.Body == "":
		return []string{w.notRendered}
	case res.Reason.en != "":
		return []string{fmt.Sprintf(w.notPosted, res.Reason.in(language))}
	case res.DryRun:
		return []string{w.dryRun}
	case res.Err != nil && res.Answer == nil:
		return []string{fmt.Sprintf(w.nothingPosted, res.Err.Error())}
	}
	var lines []string
	for _, room := range res.Rooms {
		lines = append(lines, roomLine(room, w))
	}
	if a := res.Answer; a != nil {
		lines = append(lines, answerLine(*a, w, res.AskTimeout, language))
	}
	return lines
}

// answerLine says how the question of mode: ask ended.
func answerLine(a answered, w phrasebook, timeout time.Duration, language string) string {
	format := w.answers[a.Outcome]
	switch a.Outcome {
	case event.AskApproved, event.AskRejected:
		return fmt.Sprintf(format, mdText(a.By), a.ByID, mdText(a.Text))
	case event.AskTimedOut:
		return fmt.Sprintf(format, render.Span(language, timeout))
	}
	return format
}

// mdPlain makes untrusted text plain in Markdown: one line, HTML's
// special characters as entities, Markdown's marks escaped.
var mdPlain = strings.NewReplacer(
	"\r\n", " ", "\n", " ", "\r", " ", "\u2028", " ", "\u2029", " ", "\u0085", " ",
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"(", "\\(", ")", "\\)", "!", "\\!", "#", "\\#", "|", "\\|", "~", "\\~",
)

// mdText is s as plain text in the job summary's Markdown.
func mdText(s string) string { return mdPlain.Replace(s) }

// roomLine says what happened in one room.
func roomLine(room deliver.Result, w phrasebook) string {
	var extras []string
	if room.FollowUpID != "" {
		extras = append(extras, fmt.Sprintf(w.followUp, room.FollowUpID))
	}
	if len(room.TaskIDs) > 0 {
		extras = append(extras, fmt.Sprintf(w.task, ids(room.TaskIDs, w.list)))
	}
	if len(room.Closed) > 0 {
		extras = append(extras, fmt.Sprintf(w.closed, ids(room.Closed, w.list)))
	}
	if len(room.FileIDs) > 0 {
		extras = append(extras, fmt.Sprintf(w.file, ids(room.FileIDs, w.list)))
	}
	more := ""
	for _, e := range extras {
		more += w.sep + e
	}
	switch room.Action {
	case "":
		return fmt.Sprintf(w.failed, room.Room)
	case deliver.Duplicate:
		return fmt.Sprintf(w.duplicate, room.Room, room.MessageID)
	case deliver.Adopted:
		return fmt.Sprintf(w.adopted, room.Room, room.MessageID)
	case deliver.Updated:
		return fmt.Sprintf(w.updated, room.Room, room.MessageID, more)
	case deliver.Replied:
		return fmt.Sprintf(w.replied, room.Room, room.MessageID, more)
	}
	if room.MessageID == "" {
		return fmt.Sprintf(w.postedNoID, room.Room, more)
	}
	return fmt.Sprintf(w.posted, room.Room, room.MessageID, more)
}

// ids writes ids as a list, with sep between them.
func ids(list []int64, sep string) string {
	s := make([]string, len(list))
	for i, id := range list {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, sep)
}

// stoppedMarkdown is the job summary of a run stopped by its inputs
// (config, event or templates) before any request: the errors as the log
// has them, and where the inputs are described.
func stoppedMarkdown(errs []error, language string) string {
	w := words(language)
	var b strings.Builder
	b.WriteString("### " + w.title + "\n\n- " + w.stopped + "\n\n")
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	text := strings.Join(lines, "\n")
	fence := ghaction.CodeFence(text)
	fmt.Fprintf(&b, "%stext\n%s\n%s\n\n%s\n", fence, text, fence, w.fix)
	return b.String()
}

// summaryMarkdown is the job summary: what happened, a preview of the
// message as Chatwork shows it, and the raw notation.
func summaryMarkdown(res runResult, language string) string {
	w := words(language)
	var b strings.Builder
	b.WriteString("### " + w.title + "\n\n")
	for _, l := range statusLines(res, w, language) {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n")
	var errs []string
	if res.Err != nil {
		errs = append(errs, res.Err.Error())
	}
	for _, room := range res.Rooms {
		if room.Err != nil {
			errs = append(errs, room.Err.Error())
		}
	}
	if len(errs) > 0 {
		e := strings.Join(errs, "\n")
		fence := ghaction.CodeFence(e)
		fmt.Fprintf(&b, "%stext\n%s\n%s\n\n", fence, e, fence)
	}
	if res.Body != "" {
		b.WriteString(preview.HTML(res.Body) + "\n\n")
		fence := ghaction.CodeFence(res.Body)
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n%stext\n%s\n%s\n\n</details>\n", w.notation, fence, res.Body, fence)
	}
	return b.String()
}
