package chatwork

import (
	"context"
	"net/http"
)

// Member is a member of a room.
type Member struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Role      string `json:"role"` // admin, member or readonly
}

// Members lists the members of room (GET /rooms/{room_id}/members).
//
// Chatwork API docs: https://developer.chatwork.com/reference/get-rooms-room_id-members
func (c *Client) Members(ctx context.Context, room int64) ([]Member, error) {
	var list []Member
	err := c.do(ctx, request{method: http.MethodGet, path: roomPath(room, "members"), decode: into(&list)})
	return list, err
}
