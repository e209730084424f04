package app

import (
	"fmt"

	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
	"github.com/chatwork-notify/chatwork-notify/internal/notation"
)

// describe words what delivery reports, for the log.
func (r *run) describe(e deliver.Event) string {
	switch e.Kind {
	case deliver.NoTarget:
		return fmt.Sprintf("mode is %s but no message-id was given for room %d; posting a new message", e.Mode, e.Room)
	case deliver.TargetGone:
		return fmt.Sprintf("message %s in room %d cannot be found, so the new message is not threaded under it", e.Message, e.Room)
	case deliver.EditRefused:
		return fmt.Sprintf("message %s in room %d could not be edited (it is gone or not the token owner's: %v); posted a new message instead", e.Message, e.Room, e.Err)
	case deliver.Lookalike:
		return fmt.Sprintf("room %d: message %s by %s (account %d) looks like this notification but was not posted by this token's account, so it does not count as a duplicate",
			e.Room, e.Other, notation.Neutralise(e.Name), e.Account)
	case deliver.HistoryHidden:
		return fmt.Sprintf("Chatwork's free-plan limit hid part of room %d's history, so an older duplicate cannot be ruled out", e.Room)
	case deliver.ParallelFirst:
		return fmt.Sprintf("a parallel job posted the same message first (%s) in room %d, so it was not posted again", e.Message, e.Room)
	case deliver.LostAnswerFound:
		return fmt.Sprintf("the answer to the post in room %d was lost; message %s was found in the room, so it was not posted again", e.Room, e.Message)
	case deliver.IDUnknown:
		how := "set dedupe: true so that a run reads it back from the room"
		if r.cfg.Delivery.Dedupe {
			how = "the room did not show it yet"
		}
		return fmt.Sprintf("room %d: Chatwork stored the message, but its answer was cut, so its message id is unknown (%s): find it in the room, https://www.chatwork.com/#!rid%d, and the message-id output is empty", e.Room, how, e.Room)
	case deliver.LateCopyDeleted:
		return fmt.Sprintf("a timed-out attempt arrived late in room %d as message %s; deleted it, %s stays", e.Room, e.Other, e.Message)
	case deliver.LateCopyKept:
		return fmt.Sprintf("a late copy of the message (%s) arrived in room %d; deleting it failed: %v", e.Other, e.Room, e.Err)
	case deliver.RereadFailed:
		return fmt.Sprintf("could not re-read room %d to look for late or parallel copies of the message: %v", e.Room, e.Err)
	case deliver.ParallelDeleted:
		return fmt.Sprintf("a parallel job posted the same message first (%s) in room %d; deleted ours (%s)", e.Message, e.Room, e.Other)
	case deliver.ParallelKept:
		return fmt.Sprintf("a parallel job posted the same message first (%s) but deleting ours (%s) failed: %v", e.Message, e.Other, e.Err)
	case deliver.TaskNotClosed:
		return fmt.Sprintf("room %d: could not mark failure task %d done: %v", e.Room, e.Task, e.Err)
	case deliver.FollowUpFailed:
		return fmt.Sprintf("room %d: message %s was edited, but the reply that notifies the room of the failure could not be posted (an edit notifies nobody): %v", e.Room, e.Message, e.Err)
	case deliver.UploadFailed:
		return fmt.Sprintf("room %d: the message is there (%s) but uploading %s failed: %v", e.Room, e.Message, e.File, e.Err)
	}
	return fmt.Sprintf("room %d: %d", e.Room, e.Kind)
}
