package chatworktest

import "slices"

// Other people in the room: a test makes them post while the code under
// test waits (an approver answering a question), and learns when the
// code reads the room, so that someone can answer "after the second poll"
// without the test sleeping.

// PostAs stores a message in a room as if accountID, named name, had
// posted it from Chatwork's web app, and returns its id. It is safe to
// call from any goroutine, a read hook (OnRead) included. The account must
// be a member of the room; name, when not empty, becomes the account's
// name in every answer (as SetName). A room that does not exist or an
// account that is not a member fails the test, and PostAs returns "".
func (s *Server) PostAs(roomID, accountID int64, name, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[roomID]
	switch {
	case r == nil:
		s.tb.Errorf("chatworktest: PostAs: room %d does not exist", roomID)
		return ""
	case !r.members[accountID]:
		s.tb.Errorf("chatworktest: PostAs: account %d is not a member of room %d", accountID, roomID)
		return ""
	}
	if name != "" {
		s.names[accountID] = name
	}
	return s.store(r, accountID, body)
}

// OnRead calls fn at every read of the room's messages (GET
// /rooms/{id}/messages, by any token) that the server answers from the
// room, with n the count of such reads so far, 1 for the first. A read
// refused before it reaches the room (a bad token, the rate limit, an
// injected fault with a Status) is not counted. fn runs after the read has
// taken the room's messages and before its answer is sent, on the
// server's goroutine for that request, with no lock held: a message it
// posts (PostAs) is in the next read, not this one. Several hooks run in
// the order they were added. A room that does not exist fails the test.
func (s *Server) OnRead(roomID int64, fn func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[roomID]
	if r == nil {
		s.tb.Errorf("chatworktest: OnRead: room %d does not exist", roomID)
		return
	}
	r.onRead = append(r.onRead, fn)
}

// Reads is the number of reads of the room's messages the server answered
// (as OnRead counts them).
func (s *Server) Reads(roomID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rooms[roomID]; r != nil {
		return r.reads
	}
	return 0
}

// countRead counts a read of r's messages and returns what runs its
// OnRead hooks, to be called once s.mu is released; s.mu is held.
func (r *room) countRead() func() {
	r.reads++
	n, hooks := r.reads, slices.Clone(r.onRead)
	return func() {
		for _, fn := range hooks {
			fn(n)
		}
	}
}
