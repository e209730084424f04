// Command chatwork-notify posts a CI summary to a Chatwork room. It runs as
// a GitHub container action (inputs from INPUT_* variables) or from any
// terminal or CI system with flags; see README.md.
package main

//go:generate go run ./cmd/gendocs

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
	"github.com/chatwork-notify/chatwork-notify/internal/chatwork"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := app.Run(ctx, app.Deps{
		Args:       os.Args[1:],
		Getenv:     os.Getenv,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		HTTPClient: &http.Client{Transport: http.DefaultTransport},
		Clock:      chatwork.RealClock{},
		Version:    version,
	})
	stop()
	os.Exit(app.ExitCode(err))
}
