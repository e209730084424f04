package event

import "time"

// The outcomes of an approval question (mode: ask), as the answer output
// says them.
const (
	AskApproved  = "approved"
	AskRejected  = "rejected"
	AskTimedOut  = "timed-out"
	AskCancelled = "cancelled"
)

// Ask is an approval question: how long it waits for an answer and, once
// it ended, how. The answer's fields come from the room: untrusted text.
type Ask struct {
	Timeout time.Duration // how long the question waits
	Outcome string        // "" while waiting; AskApproved, AskRejected, AskTimedOut or AskCancelled
	By      string        // the name of the approver who answered
	ByID    int64         // their account ID
	Text    string        // what they wrote, notation removed
}
