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
	"runtime/debug"
	"syscall"

	"github.com/chatwork-notify/chatwork-notify/internal/clock"

	"github.com/chatwork-notify/chatwork-notify/internal/app"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// a binary from go install reports its module version instead.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := app.Run(ctx, app.Deps{
		Args:       os.Args[1:],
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		HTTPClient: &http.Client{Transport: http.DefaultTransport},
		Clock:      clock.Real{},
		Version:    moduleVersion(version),
	})
	stop()
	os.Exit(app.ExitCode(err))
}

// moduleVersion is v, or, for a build without -X main.version (go install
// module@v1.2.3), the module version the Go toolchain recorded.
func moduleVersion(v string) string {
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return v
}
