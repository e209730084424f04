package app_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork/chatworktest"
)

// TestMatrixUnderTheRoomLimit: 50 jobs notify one room with dedupe at the
// same moment, against Chatwork's per-room limit (10 posts per 10 s). One message remains, every job succeeds and reports it, and
// only a handful of extra posts are made (each would ping the room).
func TestMatrixUnderTheRoomLimit(t *testing.T) {
	t.Parallel()
	// The reads spread over a second of the bubble's virtual clock, so
	// the jobs that read before the first post lands post too; never more
	// than the room limit lets through at once.
	synctest.Test(t, func(t *testing.T) { matrix(t, false, 10) })
}

// TestMatrixEveryJobSeesAnEmptyRoom is the worst case: every read is held
// until all jobs have read, so every job sees an empty room and posts. Ten
// get through the room limit and nine of them are deleted; the other forty
// wait, read the room and adopt the first message instead of posting.
// It runs on a synctest bubble's virtual clock (the fake Chatwork is in
// memory), so the per-room limit's 10-second waits take no real time.
func TestMatrixEveryJobSeesAnEmptyRoom(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) { matrix(t, true, 10) })
}

func matrix(t *testing.T, holdReads bool, maxAccepted int) {
	const jobs = 50
	h := newHarness(t).input("dedupe", "true").input("status", "failure")
	h.srv.AccountLimit = 10000 // one token per job in reality; here they share one
	if holdReads {
		h.srv.Inject(chatworktest.Fault{Method: "GET", Path: "/messages", Times: jobs, Barrier: chatworktest.NewBarrier(jobs)})
	}
	var wg sync.WaitGroup
	errs := make([]error, jobs)
	logs := make([]strings.Builder, jobs)
	outs := make([]string, jobs)
	start := time.Now()
	for i := range jobs {
		env := maps.Clone(h.env)
		env["GITHUB_OUTPUT"] = filepath.Join(h.dir, fmt.Sprintf("output-%d", i))
		env["GITHUB_STEP_SUMMARY"] = filepath.Join(h.dir, fmt.Sprintf("summary-%d", i))
		outs[i] = env["GITHUB_OUTPUT"]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = app.Run(context.Background(), app.Deps{
				Getenv:     func(k string) string { return env[k] },
				Stdout:     &logs[i],
				HTTPClient: h.srv.Client(),
				Clock:      clock.Real{},
				Version:    "test",
			})
		}()
	}
	wg.Wait()
	msgs := h.srv.Messages(testRoom)
	if len(msgs) != 1 {
		t.Fatalf("%d messages remain, want 1", len(msgs))
	}
	for i := range jobs {
		if errs[i] != nil {
			t.Errorf("job %d failed: %v\n%s", i, errs[i], logs[i].String())
			continue
		}
		if id := readOutputs(t, outs[i])["message-id"]; id != msgs[0].ID {
			t.Errorf("job %d reports message %q, the room has %s", i, id, msgs[0].ID)
		}
	}
	posts := 0
	for _, r := range h.srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") {
			posts++
		}
	}
	accepted := len(msgs) + deletes(h.srv)
	t.Logf("%d jobs: %d POSTs, %d accepted (%d deleted again), %s", jobs, posts, accepted, accepted-1, time.Since(start).Round(100*time.Millisecond))
	if accepted > maxAccepted {
		t.Errorf("%d messages were posted (and all but one deleted); want at most a handful", accepted)
	}
}

func deletes(srv *chatworktest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "DELETE" {
			n++
		}
	}
	return n
}
