package deliver

// Event is something that happened in a room that the log should tell.
// Delivery reports events typed; its caller words them (and decides
// whether one is a note or a warning).
type Event struct {
	Kind    EventKind
	Room    int64
	Message string // the message concerned: ours, or the target
	Other   string // another message: the earlier copy, a look-alike, a late copy
	Account int64  // a look-alike's poster
	Name    string // that poster's name, as Chatwork gives it (untrusted)
	Task    int64  // a task that could not be closed
	File    string // an attachment that could not be uploaded
	Mode    Mode   // the mode that fell back to posting
	Err     error
}

// EventKind is what an Event says.
type EventKind int

// The events of a delivery.
const (
	// NoTarget: mode is update or reply, but no message-id names a
	// message of the room, so a new message was posted.
	NoTarget EventKind = iota + 1
	// TargetGone: the message to answer cannot be found, so the new one
	// is not threaded under it.
	TargetGone
	// EditRefused: the message to edit is gone or not the token owner's
	// (Err), so a new message was posted.
	EditRefused
	// Lookalike: Other, posted by another account, looks like this
	// notification but does not count as a duplicate.
	Lookalike
	// HistoryHidden: the free plan hid part of the room's history, so an
	// older duplicate cannot be ruled out.
	HistoryHidden
	// ParallelFirst: the per-room limit turned the post away and a
	// parallel job's copy (Message) was adopted.
	ParallelFirst
	// LostAnswerFound: the post's answer was lost, and the message
	// (Message) was found in the room.
	LostAnswerFound
	// IDUnknown: Chatwork stored the message but its answer was cut, so
	// its id is unknown.
	IDUnknown
	// LateCopyDeleted: a timed-out attempt arrived late as Other and was
	// deleted; Message stays.
	LateCopyDeleted
	// LateCopyKept: deleting the late copy Other failed (Err).
	LateCopyKept
	// RereadFailed: the room could not be read again after the post, to
	// look for late or parallel copies (Err).
	RereadFailed
	// ParallelDeleted: a parallel job posted the same message first
	// (Message), so ours (Other) was deleted.
	ParallelDeleted
	// ParallelKept: a parallel job posted first (Message), but deleting
	// ours (Other) failed (Err).
	ParallelKept
	// TaskNotClosed: failure task Task could not be marked done (Err).
	TaskNotClosed
	// UploadFailed: the message is there, but uploading File failed (Err).
	UploadFailed
	// FollowUpFailed: the message was edited, but the reply that notifies
	// the room of the edit could not be posted (Err).
	FollowUpFailed
)

// Warn reports whether the event is a warning (something went wrong that
// the user may act on) rather than a note.
func (k EventKind) Warn() bool {
	switch k {
	case IDUnknown, TaskNotClosed, UploadFailed, FollowUpFailed:
		return true
	}
	return false
}

// Has reports whether the result holds an event of kind k.
func (r Result) Has(k EventKind) bool {
	for _, e := range r.Events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// event adds an event of this room to the result.
func (r *Result) event(e Event) {
	e.Room = r.Room
	r.Events = append(r.Events, e)
}
