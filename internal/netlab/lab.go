package netlab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// Lab is one test's network. It is not safe for concurrent use.
type Lab struct {
	t      testing.TB
	prefix string
	n      int
}

// labs numbers the labs of the process so that names stay unique when
// tests run in parallel, and across processes with the pid.
var labs atomic.Int64

// New returns an empty lab, or skips t if the machine cannot run one.
func New(t testing.TB) *Lab {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("netlab: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("netlab: needs iproute2's ip command")
	}
	l := &Lab{t: t, prefix: fmt.Sprintf("t%d%d", os.Getpid()%100000, labs.Add(1))}
	probe := l.name("probe")
	if out, err := exec.Command("ip", "netns", "add", probe).CombinedOutput(); err != nil {
		t.Skipf("netlab: network namespaces unavailable: ip netns add: %v: %s", err, out)
	}
	l.run("ip", "netns", "del", probe)
	return l
}

// name returns a lab-unique name of at most 15 bytes (IFNAMSIZ-1) for a
// namespace or link.
func (l *Lab) name(role string) string {
	l.n++
	n := fmt.Sprintf("%s%s%d", l.prefix, role, l.n)
	if len(n) > 15 {
		n = fmt.Sprintf("%sx%d", l.prefix, l.n)
	}
	return n
}

// run runs a command and fails the test if it fails.
func (l *Lab) run(name string, args ...string) string {
	l.t.Helper()
	out, err := runCommand(context.Background(), name, args...)
	if err != nil {
		l.t.Fatal(err)
	}
	return out
}

func runCommand(ctx context.Context, name string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
