package ask

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/answer"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// EventKind says what an Event reports.
type EventKind int

// The kinds of events.
const (
	// Ignored: a message that looked like an answer did not count
	// (MessageID, AccountID, Name, Reason say which and why).
	Ignored EventKind = iota + 1
	// Gap: a read's whole window (100 messages) was new, so more may have
	// arrived since the read before than one read returns, and an answer
	// among the older ones would have been missed. MessageID is the oldest
	// message the read returned.
	Gap
	// ReadFailed: a read of the room failed (Err) and is tried again at
	// the next poll.
	ReadFailed
)

// String returns "ignored", "gap" or "read-failed".
func (k EventKind) String() string {
	switch k {
	case Ignored:
		return "ignored"
	case Gap:
		return "gap"
	case ReadFailed:
		return "read-failed"
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is something that happened during a wait that the caller should
// log; which fields are set depends on Kind.
type Event struct {
	Kind      EventKind
	MessageID string
	AccountID int64
	Name      string // the poster's name as Chatwork gave it (untrusted text)
	Reason    answer.Reason
	Err       error
}

// maxName bounds the poster's name in String, in bytes.
const maxName = 100

// String is the event as one log line. The poster's name is folded to one
// line and cut; the caller still treats the line as untrusted text.
func (e Event) String() string {
	switch e.Kind {
	case Ignored:
		name := text.Cut(strings.Join(strings.Fields(e.Name), " "), maxName)
		return fmt.Sprintf("ignored message %s from %s (account %d): %s", e.MessageID, name, e.AccountID, e.Reason)
	case Gap:
		return fmt.Sprintf("%d or more messages arrived between two reads of the room: an answer posted before message %s would not have been read", window, e.MessageID)
	case ReadFailed:
		return fmt.Sprintf("reading the room failed, trying again at the next poll: %v", e.Err)
	}
	return e.Kind.String()
}
