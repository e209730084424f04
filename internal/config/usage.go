package config

import (
	"flag"
	"fmt"
	"io"
)

// boolFlag lets a bool input be given as --dry-run or --dry-run=false while
// keeping its text for the same validation as INPUT_* values.
type boolFlag string

func (b *boolFlag) String() string     { return string(*b) }
func (b *boolFlag) Set(v string) error { *b = boolFlag(v); return nil }
func (b *boolFlag) IsBoolFlag() bool   { return true }

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage: chatwork-notify [flags]

Posts a CI summary to a Chatwork room. Under GitHub Actions the inputs come
from INPUT_* variables; elsewhere give them as flags (a flag wins over its
INPUT_* variable). The CI system is detected from its variables. The token
is read from --token, INPUT_TOKEN or CHATWORK_API_TOKEN (prefer the
variable: command lines are visible to other processes).

Outside GitHub Actions the message goes to stdout and everything else
(notes, warnings, errors) to stderr.

Examples:
  chatwork-notify --dry-run --event-name push --event-path event.json
  CHATWORK_API_TOKEN=… chatwork-notify --room 123456 --status failure

Exit status:
  0  posted, skipped (duplicate, notify-when, on-missing-token: skip),
     a dry run, -h, --version, or a Chatwork failure with
     --fail-on-error=false
  1  an input error (reported before any request), or a Chatwork or
     output failure

Flags (each input in full: https://github.com/chatwork-notify/chatwork-notify/blob/main/docs/inputs.md):
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
