package config

// Durations and deadlines: the approval wait (ask-timeout) and the task
// deadline (task-limit).

import (
	"strconv"
	"strings"
	"time"
)

// parseAskTimeout reads ask-timeout: a duration from 10 s to 6 h.
func parseAskTimeout(name, in string) (time.Duration, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return DefaultAskTimeout, nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, inputErr(name, "%q is not a duration; write it like 90s, 30m or 2h", cutForError(s))
	case d < minAskTimeout:
		return 0, inputErr(name, "%q is too short to answer in; give at least %s", s, minAskTimeout)
	case d > MaxAskTimeout:
		return 0, inputErr(name, "%q is longer than %s, the longest a job may wait; give at most 6h (and a job timeout-minutes above it)", s, MaxAskTimeout)
	}
	return d, nil
}

// maxTaskDays is the furthest task deadline accepted (five years).
const maxTaskDays = 5 * 366

// TaskLimit is a task deadline: After from now, or At; zero means none.
type TaskLimit struct {
	After time.Duration
	At    time.Time
}

// Check refuses a fixed deadline that has passed at now, or lies more than
// maxTaskDays ahead.
func (l TaskLimit) Check(now time.Time) error {
	switch {
	case l.At.IsZero():
		return nil
	case !l.At.After(now):
		return inputErr("task-limit", "%s has already passed; give a later time or a duration such as 24h", l.At.Format(time.RFC3339))
	case l.At.Sub(now) > maxTaskDays*24*time.Hour:
		return inputErr("task-limit", "%s is more than %d days away", l.At.Format(time.RFC3339), maxTaskDays)
	}
	return nil
}

// Deadline returns the deadline for a task created at now (zero: none).
func (l TaskLimit) Deadline(now time.Time) time.Time {
	if l.After > 0 {
		return now.Add(l.After)
	}
	return l.At
}

// parseTaskLimit reads "24h", "90m", "2d" (days) or an RFC 3339 time.
func parseTaskLimit(in string) (TaskLimit, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return TaskLimit{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return TaskLimit{At: t}, nil
	}
	d, err := time.ParseDuration(s)
	if days, ok := strings.CutSuffix(s, "d"); ok && err != nil {
		var n int
		if n, err = strconv.Atoi(days); err == nil {
			if n > maxTaskDays {
				// Checked before multiplying, which would overflow.
				return TaskLimit{}, inputErr("task-limit", "%q is more than %d days away", in, maxTaskDays)
			}
			d = time.Duration(n) * 24 * time.Hour
		}
	}
	if err != nil || d <= 0 {
		return TaskLimit{}, inputErr("task-limit", "%q is neither a positive duration (24h, 90m, 2d) nor an RFC 3339 time (2026-12-01T18:00:00+09:00)", in)
	}
	if d > maxTaskDays*24*time.Hour {
		return TaskLimit{}, inputErr("task-limit", "%q is more than %d days away", in, maxTaskDays)
	}
	return TaskLimit{After: d}, nil
}
