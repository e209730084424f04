package app

import (
	"errors"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
)

// TestRoomLines: what the job summary says happened in a room, in both
// languages, lists written as each language writes them.
func TestRoomLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		room   deliver.Result
		en, ja string
	}{
		{deliver.Result{Room: 1, Err: errors.New("boom")},
			"Room 1: failed.", "ルーム 1: 投稿に失敗しました。"},
		{deliver.Result{Room: 1, Action: deliver.Duplicate, MessageID: "7"},
			"Room 1: skipped, message 7 already says this (dedupe).",
			"ルーム 1: 同じ内容のメッセージ 7 が投稿済みのため、投稿していません（dedupe による重複防止）。"},
		{deliver.Result{Room: 1, Action: deliver.Adopted, MessageID: "7"},
			"Room 1: skipped, a parallel job posted the same message first (7).",
			"ルーム 1: 並列で動いていた別のジョブが同じメッセージ 7 を先に投稿したため、投稿していません。"},
		{deliver.Result{Room: 1, Action: deliver.Updated, MessageID: "7", FollowUpID: "8", Closed: []int64{3, 4}},
			"Room 1: updated message 7; replied to it with message 8, since an edit notifies nobody; closed failure task 3, 4.",
			"ルーム 1: メッセージ 7 を更新しました。編集では通知が届かないため、返信（メッセージ 8）も投稿しました。失敗タスク 3、4 を完了にしました。"},
	}
	for _, tc := range tests {
		for l, want := range map[string]string{"en": tc.en, "ja": tc.ja} {
			if got := roomLine(tc.room, words(l)); got != want {
				t.Errorf("%s:\n got %s\nwant %s", l, got, want)
			}
		}
	}
}
