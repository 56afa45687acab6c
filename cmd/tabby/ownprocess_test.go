package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

var klogLine = regexp.MustCompile(`^[IWEF]\d{4} `)

// ownProcessEnv names the test a re-executed test binary runs for real.
const ownProcessEnv = "TABBY_TEST_OWN_PROCESS"

// runInOwnProcess runs the calling test again in a new process of the
// test binary, alone, with client-go's WatchListClient off, and fails it
// if that fails. The calling test runs for real when ownProcessEnv names
// it.
func runInOwnProcess(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), ownProcessEnv+"="+t.Name(), "KUBE_FEATURE_WatchListClient=false")
	out, err := cmd.CombinedOutput()
	if bytes.Contains(out, []byte("--- SKIP: "+t.Name())) {
		t.Skip("skipped in its own process")
	}
	if err != nil {
		t.Fatalf("%s failed in its own process: %v\n%s", t.Name(), err, out)
	}
	// The test's own log, without the controller's (JSON) and client-go's
	// (klog: I1203 12:00:00.000000 ...).
	var log []string
	for line := range strings.Lines(string(out)) {
		if !strings.HasPrefix(line, "{") && !klogLine.MatchString(line) {
			log = append(log, line)
		}
	}
	t.Logf("in its own process:\n%s", strings.Join(log, ""))
}
