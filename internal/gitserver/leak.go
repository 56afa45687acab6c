package gitserver

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// leakMarkers are stack frames that belong to Git transports, the servers
// here or the processes they start. A goroutine showing one after all
// tests have ended is a leak.
var leakMarkers = []string{
	"github.com/go-git/go-git/",
	"golang.org/x/crypto/ssh.",
	"net/http/cgi.",
	"net/http.(*persistConn)",
	"net/http.(*conn).serve",
	"os/exec.(*Cmd)",
	"github.com/tabbynet/tabby/internal/gitserver.",
	"github.com/tabbynet/tabby/reconciler/gitsource.",
}

// Leaks reports goroutines from Git transports and these servers, and child
// processes of the test binary, that are still alive. Call it from TestMain
// after m.Run. Things that are ending are given up to ten seconds to go
// (this is a wait, not a timed assertion: nothing fails for being slow
// unless it never ends).
func Leaks() error {
	var last string
	for deadline := time.Now().Add(10 * time.Second); ; {
		last = leakReport()
		if last == "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if last != "" {
		return fmt.Errorf("leaked after the tests ended:\n%s", last)
	}
	return nil
}

func leakReport() string {
	var b strings.Builder
	for _, g := range goroutines() {
		for _, m := range leakMarkers {
			if strings.Contains(g, m) && !strings.Contains(g, "gitserver.Leaks") {
				fmt.Fprintf(&b, "goroutine:\n%s\n\n", g)
				break
			}
		}
	}
	for _, p := range childProcesses() {
		fmt.Fprintf(&b, "child process: %s\n", p)
	}
	return b.String()
}

func goroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(string(buf[:n]), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// childProcesses lists "pid command" for the live (not zombie) children of
// this process, from /proc. It returns nothing where /proc is absent.
func childProcesses() []string {
	self := strconv.Itoa(os.Getpid())
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []string
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 || f[1] != self || f[0] == "Z" {
			continue
		}
		out = append(out, strings.TrimSpace(s[:i+1]))
	}
	return out
}
