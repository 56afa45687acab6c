package netlab

import (
	"context"
	"os/exec"
	"strings"
)

// Netns is a network namespace of a lab, with its loopback up.
type Netns struct {
	lab  *Lab
	Name string
}

// Namespace creates a namespace, removed at the end of the test.
func (l *Lab) Namespace() *Netns {
	l.t.Helper()
	name := l.name("n")
	l.run("ip", "netns", "add", name)
	l.t.Cleanup(func() {
		if _, err := runCommand(context.Background(), "ip", "netns", "del", name); err != nil {
			l.t.Errorf("netlab: remove namespace: %v", err)
		}
		out, err := runCommand(context.Background(), "ip", "netns", "list")
		if err == nil && containsWord(out, name) {
			l.t.Errorf("netlab: namespace %s left behind", name)
		}
	})
	n := &Netns{lab: l, Name: name}
	n.IP("link", "set", "lo", "up")
	return n
}

// IP runs `ip ARGS` inside the namespace and returns its output; it fails
// the test if the command fails.
func (n *Netns) IP(args ...string) string {
	n.lab.t.Helper()
	return n.lab.run("ip", append([]string{"-n", n.Name}, args...)...)
}

// Command returns a command that runs name inside the namespace (with `ip
// netns exec`); the caller starts it and owns the process.
func (n *Netns) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

func containsWord(text, word string) bool {
	for _, f := range strings.Fields(text) {
		if f == word {
			return true
		}
	}
	return false
}
