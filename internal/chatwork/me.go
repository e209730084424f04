package chatwork

import (
	"context"
	"errors"
	"net/http"
)

// Me returns the account the token belongs to (GET /me).
//
// Chatwork API docs: https://developer.chatwork.com/reference/get-me
func (c *Client) Me(ctx context.Context) (Account, error) {
	var a Account
	err := c.do(ctx, request{method: http.MethodGet, path: "/me", decode: into(&a)})
	if err == nil && a.AccountID <= 0 {
		err = errors.New("GET /me: the answer has no account_id")
	}
	return a, err
}
