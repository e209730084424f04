package chatwork

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Task is a task to create.
type Task struct {
	Body  string
	ToIDs []int64
	Limit time.Time // zero: no deadline
}

// TaskOptions tune CreateTask.
type TaskOptions struct {
	// Find, when set, is asked whether the task arrived after an attempt
	// that may have taken effect (and after a success whose answer was
	// cut): it returns the ids of the task's copies in the room, one per
	// assignee, or nil when it is not there.
	Find func(ctx context.Context) ([]int64, error)
}

// CreateTask creates one task per assignee in room and returns their IDs
// (POST /rooms/{room_id}/tasks). When an attempt's outcome is unknown,
// o.Find is asked first: a task that arrived after all is not created
// again.
//
// Chatwork API docs: https://developer.chatwork.com/reference/post-rooms-room_id-tasks
func (c *Client) CreateTask(ctx context.Context, room int64, t Task, o TaskOptions) ([]int64, error) {
	ids := make([]string, len(t.ToIDs))
	for i, id := range t.ToIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	form := url.Values{"body": {t.Body}, "to_ids": {strings.Join(ids, ",")}, "limit_type": {"none"}}
	if !t.Limit.IsZero() {
		form.Set("limit", strconv.FormatInt(t.Limit.Unix(), 10))
		form.Set("limit_type", "time")
	}
	var out struct {
		TaskIDs []int64 `json:"task_ids"`
	}
	var found []int64
	settled := false
	r := request{method: http.MethodPost, path: roomPath(room, "tasks"), form: form, decode: into(&out)}
	r.settle = func(ctx context.Context, why settleReason, cause error) (bool, error) {
		if why == settleRoomLimit || o.Find == nil {
			return false, nil
		}
		if why == settleUnknown {
			c.logf("the outcome of creating the task is unknown (%v); reading the room's open tasks before creating it again", cause)
		}
		var err error
		found, err = o.Find(ctx)
		switch {
		case err != nil && why == settleUnknown:
			return false, fmt.Errorf("checking whether the lost task arrived: %w", err)
		case found != nil:
			c.logf("the task had arrived (ids %v); not creating it again", found)
		}
		settled = found != nil || why == settleCut
		return settled, nil
	}
	if err := c.do(ctx, r); err != nil || settled {
		return found, err
	}
	return out.TaskIDs, nil
}

// OpenTask is an open task of a room.
type OpenTask struct {
	ID         int64   `json:"task_id"`
	Account    Account `json:"account"`             // the assignee
	AssignedBy Account `json:"assigned_by_account"` // who created it
	Body       string  `json:"body"`
	Status     string  `json:"status"`
}

// ListOpenTasks reads the open tasks of room that account created
// (GET /rooms/{room_id}/tasks?status=open&assigned_by_account_id=…;
// Chatwork returns at most 100). An empty list is 204.
//
// Chatwork API docs: https://developer.chatwork.com/reference/get-rooms-room_id-tasks
func (c *Client) ListOpenTasks(ctx context.Context, room, assignedBy int64) ([]OpenTask, error) {
	var list []OpenTask
	q := url.Values{"status": {"open"}, "assigned_by_account_id": {strconv.FormatInt(assignedBy, 10)}}
	err := c.do(ctx, request{method: http.MethodGet, path: roomPath(room, "tasks"), query: q, maxBytes: maxReadBytes, decode: into(&list)})
	return list, err
}

// DoneTask marks a task done (PUT /rooms/{room_id}/tasks/{task_id}/status,
// body=done). Doing it twice does no harm, so it is retried like a read.
//
// Chatwork API docs: https://developer.chatwork.com/reference/put-rooms-room_id-tasks-task_id-status
func (c *Client) DoneTask(ctx context.Context, room, taskID int64) error {
	path := roomPath(room, "tasks/"+strconv.FormatInt(taskID, 10)+"/status")
	return c.do(ctx, request{method: http.MethodPut, path: path, form: url.Values{"body": {"done"}}})
}
