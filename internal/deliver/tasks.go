package deliver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
)

// openTask creates the failure task in the room, when there is one to
// open. A task whose creation answer was lost is looked for among the
// room's open tasks before it is created again.
func (d *Delivery) openTask(ctx context.Context, msg Message, res *Result) {
	if msg.Task == "" || len(d.plan.TaskTo) == 0 {
		return
	}
	var deadline time.Time
	if d.plan.TaskDeadline != nil {
		deadline = d.plan.TaskDeadline(d.opts.Clock.Now())
	}
	t := chatwork.Task{Body: msg.Task, ToIDs: d.plan.TaskTo, Limit: deadline}
	ids, err := d.c.CreateTask(ctx, res.Room, t, chatwork.TaskOptions{
		Find: func(ctx context.Context) ([]int64, error) { return d.findTask(ctx, res.Room, t) },
	})
	if err != nil {
		res.Err = fmt.Errorf("room %d: the message is there (%s) but creating the task failed: %w", res.Room, res.MessageID, err)
		return
	}
	res.TaskIDs = ids
}

// findTask returns the ids of open tasks the token's account created in
// room with t's body, one for every assignee of t, or nil.
func (d *Delivery) findTask(ctx context.Context, room int64, t chatwork.Task) ([]int64, error) {
	me, err := d.myAccount()
	if err != nil {
		return nil, err
	}
	open, err := d.c.ListOpenTasks(ctx, room, me)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, to := range t.ToIDs {
		for _, o := range open {
			if o.Account.AccountID == to && o.AssignedBy.AccountID == me && SameBody(o.Body, t.Body) {
				ids = append(ids, o.ID)
				break
			}
		}
	}
	if len(ids) != len(t.ToIDs) {
		return nil, nil
	}
	return ids, nil
}

// failureTasks finds the open tasks the token's account created in room
// whose last line is the plan's marker.
func (d *Delivery) failureTasks(ctx context.Context, room int64) taskRead {
	me, err := d.myAccount()
	if err != nil {
		return taskRead{err: err}
	}
	open, err := d.c.ListOpenTasks(ctx, room, me)
	if err != nil {
		return taskRead{err: err}
	}
	var ids []int64
	for _, t := range open {
		if t.AssignedBy.AccountID == me && lastLine(t.Body) == d.plan.CloseTasks {
			ids = append(ids, t.ID)
		}
	}
	return taskRead{ids: ids}
}

// lastLine is the last non-blank line of a task body, trimmed. A marker
// counts only there: quoted anywhere else (a commit title that holds
// one), it does not make the task this action's.
func lastLine(body string) string {
	body = NormaliseBody(body)
	return strings.TrimSpace(body[strings.LastIndexByte(body, '\n')+1:])
}

// CloseTasks marks done the failure tasks of every room that the plan's
// marker found (Plan.CloseTasks), and returns how many it closed and the
// rooms whose open tasks could not be read. Call it before Deliver, so
// that a message says only what was done: a task that could not be
// closed is an event of its room's result, and is not counted.
func (d *Delivery) CloseTasks(ctx context.Context) (int, map[int64]error) {
	n, errs := 0, map[int64]error{}
	d.closed = map[int64]closing{}
	for room, l := range d.tasks {
		got := l.get()
		if got.err != nil {
			errs[room] = got.err
			continue
		}
		var c closing
		for _, id := range got.ids {
			if err := d.c.DoneTask(ctx, room, id); err != nil {
				c.events = append(c.events, Event{Kind: TaskNotClosed, Room: room, Task: id, Err: err})
				continue
			}
			c.ids = append(c.ids, id)
		}
		d.closed[room] = c
		n += len(c.ids)
	}
	return n, errs
}
