package app_test

import (
	"context"
	"io"
	"testing"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
)

// BenchmarkRunPost measures one whole notification (inputs, event file,
// summary, render, one POST to the fake Chatwork over loopback, outputs).
func BenchmarkRunPost(b *testing.B) {
	benchRun(b, map[string]string{})
}

// BenchmarkRunDedupePost adds the dedupe read before the post.
func BenchmarkRunDedupePost(b *testing.B) {
	benchRun(b, map[string]string{"dedupe": "true", "template": "{{.RunID}} {{.Actor}}"})
}

// BenchmarkRunDryRun is the same without any request.
func BenchmarkRunDryRun(b *testing.B) {
	benchRun(b, map[string]string{"dry-run": "true"})
}

func benchRun(b *testing.B, inputs map[string]string) {
	h := newHarness(b)
	h.srv.AccountLimit = 1 << 30
	for k, v := range inputs {
		h.input(k, v)
	}
	deps := app.Deps{
		Getenv:     func(k string) string { return h.env[k] },
		Stdout:     io.Discard,
		HTTPClient: h.srv.Client(),
		Clock:      h.clock,
	}
	for b.Loop() {
		// A fresh room each round keeps dedupe honest and the per-room
		// posting limit out of the measurement.
		h.srv.AddRoom(testRoom, testAccount)
		if err := app.Run(context.Background(), deps); err != nil {
			b.Fatal(err)
		}
	}
}
