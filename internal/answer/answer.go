// Package answer owns the reading of an approval gate's answers: given the
// question the action posted to a Chatwork room and a message from that
// room, it decides whether the message answers the question, and how.
// A message answers when it is newer than the question, comes from an
// approver other than the token's own account, replies to the question (or
// addresses the token's account with To), and its visible text reads as an
// approval or a rejection (see Classify). Fetching messages and waiting
// belong to the caller.
package answer

import (
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
	"github.com/chatwork-notify/chatwork-notify/internal/text"
)

// Verdict is what a message says about the question.
type Verdict int

// The verdicts.
const (
	None    Verdict = iota // not an answer
	Approve                // the question is approved
	Reject                 // the question is rejected
)

// String returns "none", "approve" or "reject".
func (v Verdict) String() string {
	switch v {
	case None:
		return "none"
	case Approve:
		return "approve"
	case Reject:
		return "reject"
	}
	return "Verdict(" + strconv.Itoa(int(v)) + ")"
}

// Question is the approval question the action posted.
type Question struct {
	Room      int64   // the room it was posted to
	ID        string  // the question's message id
	Me        int64   // the token's account id (the question's author)
	Approvers []int64 // the accounts whose answers count
}

// Message is a message read from the question's room.
type Message struct {
	ID        string // message id: decimal digits
	AccountID int64  // the poster
	Name      string // the poster's name, for logs
	Body      string // raw body, notation included
}

// Reason says why a message that looked like an answer was ignored.
type Reason string

// The reasons Judge gives.
const (
	BeforeQuestion Reason = "posted before the question"
	TokenAccount   Reason = "posted by the token's own account"
	NotApprover    Reason = "not an approver"
	NotAReply      Reason = "not a reply to the question (reply to it, or address the token's account with To)"
	UnknownWord    Reason = "not an approve or reject answer (see docs/ask.md)"
)

// maxBody is how much of a body is read, in bytes: longer bodies are cut
// first, on a rune boundary.
const maxBody = 64 << 10

// Judge decides what m says about q. v is Approve or Reject when m is an
// answer and None otherwise. When m is not an answer but looked like one —
// it replies to the question or addresses the token's account, or its text
// classifies as Approve or Reject — reason says why it was ignored;
// for ordinary chatter, and for answers, reason is "". The checks run in
// the order of the Reason constants, and the first that fails is the
// reason. A message id that is not a decimal number cannot be placed after
// the question and is reported as BeforeQuestion. Messages from the
// token's account never count, even when it is listed as an approver:
// anything holding the token could have written them.
func Judge(q Question, m Message) (v Verdict, reason Reason) {
	r := read(text.Head(m.Body, maxBody))
	v = Classify(normalise(r.text))
	addressed := r.addresses(q)
	switch {
	case !addressed && v == None:
		return None, ""
	case !after(m.ID, q.ID):
		return None, BeforeQuestion
	case m.AccountID == q.Me:
		return None, TokenAccount
	case !slices.Contains(q.Approvers, m.AccountID):
		return None, NotApprover
	case !addressed:
		return None, NotAReply
	case v == None:
		return None, UnknownWord
	}
	return v, ""
}

// Replies reports whether m replies to q's question with Chatwork's reply
// notation at its start (as the Reply button writes it), which names the
// question exactly; a TO to the token's account does not.
func Replies(q Question, m Message) bool {
	return read(text.Head(m.Body, maxBody)).repliesTo(q)
}

// Text is a message body with notation removed and normalised, as Judge
// reads it (for logs and outputs). Removed: [code]…[/code] blocks and
// [qt]…[/qt] quotes with their content (quotes nest; a block left open
// runs to the end); [To:id] and [rp …]/[返信 …] with the rest of their
// line (the name the buttons write after them); the tags [toall],
// [pname:id], [picon:id], [piconname:id], [qtmeta …], [info], [/info],
// [title], [/title] and [hr], whose place becomes a space (the text of
// info and title boxes stays). Tag names are read in any case, with white
// space around them; bracketed text that is not one of these tags stays.
// The result is normalised as described at normalise and trimmed; a line
// break stays (one "\n" for a run of white space that holds one), since it
// ends a sentence (see Classify).
func Text(body string) string {
	return normalise(read(text.Head(body, maxBody)).text)
}

// Visible is what a person reads in a message body: Text without the
// normalisation (case and width stay as typed), runs of white space made
// one space, trimmed (for logs and outputs).
func Visible(body string) string {
	return strings.Join(strings.Fields(read(text.Head(body, maxBody)).text), " ")
}

// after reports whether message id a is larger than message id b, both
// read as decimal numbers of any size; false when either is not one.
func after(a, b string) bool {
	c, ok := compareIDs(a, b)
	return ok && c > 0
}

// compareIDs compares two message ids as numbers (see
// chatwork.CompareMessageIDs).
func compareIDs(a, b string) (c int, ok bool) { return chatwork.CompareMessageIDs(a, b) }

// tagRE matches one tag of the notation Judge reads, the whole of a
// candidate from "[" to the first "]" (see tags): an optional "/", a tag
// name in any case (white space allowed around the "/" and before the
// name), then attributes that begin with a character other than a letter
// or digit. Longer names come first so that "[toall]" is not read as
// "[to" with attributes "all".
var tagRE = regexp.MustCompile(`^(?i)\[\s*(/?)\s*(toall|to|rp|返信|qtmeta|qt|info|title|hr|code|piconname|picon|pname)((?:[^\p{L}\p{N}][^\]]*)?)\]$`)

// tags yields the tags of body in order. A candidate runs from a "[" to
// the next "]" with no "[", CR or LF between them, so candidates never
// overlap and the scan is linear; tagRE then reads each alone.
func tags(body string) iter.Seq[tag] {
	return func(yield func(tag) bool) {
		for i := 0; i < len(body); {
			j := strings.IndexByte(body[i:], '[')
			if j < 0 {
				return
			}
			start := i + j
			k := strings.IndexAny(body[start+1:], "[]\r\n")
			if k < 0 {
				return
			}
			i = start + 1 + k // the next "[" is here at the earliest
			if body[i] != ']' {
				continue
			}
			i++
			m := tagRE.FindStringSubmatchIndex(body[start:i])
			if m == nil {
				continue
			}
			name := strings.ToLower(body[start+m[4] : start+m[5]])
			if name == "返信" {
				name = "rp"
			}
			t := tag{start: start, end: i, close: m[3] > m[2], name: name, attrs: body[start+m[6] : start+m[7]]}
			if !yield(t) {
				return
			}
		}
	}
}

var (
	// accountAttrs are the attributes of [To:id], [picon:id] and the like.
	accountAttrs = regexp.MustCompile(`^\s*:\s*(\d{1,19})\s*$`)
	// replyAttrs are those of [rp aid=… to=room-message], either order.
	replyAttrs = regexp.MustCompile(`(?i)^\s+(?:aid\s*=\s*(\d{1,19})\s+to\s*=\s*(\d{1,19})\s*-\s*(\d{1,40})|to\s*=\s*(\d{1,19})\s*-\s*(\d{1,40})\s+aid\s*=\s*(\d{1,19}))\s*$`)
)

// tag is one tag of a body.
type tag struct {
	start, end int
	close      bool   // "[/…]"
	name       string // lower case; 返信 is read as "rp"
	attrs      string
}

// reply is a [rp aid=… to=room-message] tag.
type reply struct {
	aid, room int64
	message   string
}

// reading is a body read for answers: its visible text, and the To and
// reply tags outside quotes and code blocks.
type reading struct {
	text    string
	to      []int64
	replies []reply
}

// addresses reports whether r replies to q's question or addresses q's
// token account with To.
func (r reading) addresses(q Question) bool {
	return slices.Contains(r.to, q.Me) || r.repliesTo(q)
}

// repliesTo reports whether r has a reply tag pointing at q's question.
func (r reading) repliesTo(q Question) bool {
	for _, rp := range r.replies {
		if c, ok := compareIDs(rp.message, q.ID); ok && c == 0 && rp.aid == q.Me && rp.room == q.Room {
			return true
		}
	}
	return false
}

// reader walks the tags of a body in order, writing the visible text.
type reader struct {
	body  string
	b     strings.Builder
	last  int  // body[last:] is neither written nor dropped yet
	depth int  // quote nesting
	code  bool // inside [code]…[/code]
	eol   int  // the end of the line of the last [To:…] or [rp …]
	// begun: text, a quote or a code block came before; an address tag
	// after that is not the message's own (Chatwork's Reply and TO buttons
	// put theirs first), so it does not address the question.
	begun bool
	out   reading
}

// read removes the notation from body (see Text) and collects its To and
// reply tags.
func read(body string) reading {
	r := &reader{body: body}
	for t := range tags(body) {
		r.tag(t)
	}
	r.flush(len(body))
	r.out.text = r.b.String()
	return r.out
}

func (r *reader) visible() bool { return r.depth == 0 && !r.code }

// flush writes the text from last up to p when it is visible.
func (r *reader) flush(p int) {
	if p > r.last && r.visible() {
		r.b.WriteString(r.body[r.last:p])
		r.begun = r.begun || strings.TrimSpace(r.body[r.last:p]) != ""
	}
	r.last = max(r.last, p)
}

// drop skips the body up to p, leaving a space in the text when visible.
func (r *reader) drop(p int) {
	r.last = max(r.last, p)
	if r.visible() {
		r.b.WriteByte(' ')
	}
}

// tag handles one tag: code blocks and quotes first (their content goes,
// tags inside a code block are text), then the tags of visible text.
func (r *reader) tag(t tag) {
	blank := strings.TrimSpace(t.attrs) == ""
	switch {
	case r.code:
		if t.name == "code" && t.close && blank {
			r.code = false
			r.drop(t.end)
		}
	case t.name == "code" && !t.close && blank:
		r.flush(t.start)
		r.code, r.begun = true, true
	case t.name == "qt" && blank:
		r.flush(t.start)
		r.begun = true
		if !t.close {
			r.depth++
		} else if r.depth > 0 {
			r.depth--
		}
		r.drop(t.end)
	case r.depth == 0:
		r.visibleTag(t, blank)
	}
}

// after reports whether an address tag comes after the message began
// (text, a quote or a code block before it); it stays text then.
func (r *reader) after(t tag) bool {
	r.flush(t.start)
	return r.begun
}

// visibleTag handles a tag outside quotes and code blocks; text that only
// looks like a tag stays.
func (r *reader) visibleTag(t tag, blank bool) {
	switch {
	case t.name == "to" && !t.close:
		id, ok := accountID(t.attrs)
		if !ok || r.after(t) {
			return
		}
		r.out.to = append(r.out.to, id)
	case t.name == "rp" && !t.close:
		rp, ok := parseReply(t.attrs)
		if !ok || r.after(t) {
			return
		}
		r.out.replies = append(r.out.replies, rp)
	case t.name == "qtmeta" && !t.close,
		t.name == "info" && blank, t.name == "title" && blank, t.name == "code" && blank,
		!t.close && blank && (t.name == "toall" || t.name == "hr"):
		r.flush(t.start)
		r.drop(t.end)
		return
	case !t.close && (t.name == "pname" || t.name == "picon" || t.name == "piconname"):
		if _, ok := accountID(t.attrs); ok {
			r.flush(t.start)
			r.drop(t.end)
		}
		return
	default:
		return
	}
	// [To:…] and [rp …] are followed by a name up to the end of the line.
	// Several on one line share its end, found once.
	r.flush(t.start)
	if t.end > r.eol {
		r.eol = len(r.body)
		if i := strings.IndexAny(r.body[t.end:], "\r\n"); i >= 0 {
			r.eol = t.end + i
		}
	}
	r.drop(r.eol)
}

// accountID reads the attributes ":id" of [To:id] and the like.
func accountID(attrs string) (int64, bool) {
	m := accountAttrs.FindStringSubmatch(attrs)
	if m == nil {
		return 0, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	return id, err == nil
}

// parseReply reads the attributes " aid=A to=R-M" of a reply tag.
func parseReply(attrs string) (reply, bool) {
	m := replyAttrs.FindStringSubmatch(attrs)
	if m == nil {
		return reply{}, false
	}
	aid, room, msg := m[1], m[2], m[3]
	if aid == "" {
		aid, room, msg = m[6], m[4], m[5]
	}
	a, errA := strconv.ParseInt(aid, 10, 64)
	r, errR := strconv.ParseInt(room, 10, 64)
	if errA != nil || errR != nil {
		return reply{}, false
	}
	return reply{aid: a, room: r, message: msg}, true
}
