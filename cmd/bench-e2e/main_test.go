package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBenchRuns runs the end-to-end comparison twice each, so the script in
// the README keeps working. It skips where curl or openssl is missing.
func TestBenchRuns(t *testing.T) {
	for _, tool := range []string{"curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	var out strings.Builder
	if err := run(&out, "../..", 2); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chatwork-notify  median", "curl             median", "ratio binary/curl:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
