package netlab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// BirdTimers are the lines a test BIRD's BGP protocols need so that a failed
// attempt is retried within a second or so, not after BIRD's default
// minute.
const BirdTimers = "connect delay time 1; connect retry time 1; error wait time 1, 5;"

// Bird is a BIRD 2 daemon running in a namespace.
type Bird struct {
	lab    *Lab
	socket string
	log    *bytes.Buffer
}

// birdReady bounds how long a new BIRD may take to answer on its socket.
const birdReady = 10 * time.Second

// Bird starts BIRD in ns with config (a whole bird.conf) and its own
// control socket and pid file, waits until it answers, and stops it at the
// end of the test.
func (l *Lab) Bird(ns *Netns, config string) *Bird {
	l.t.Helper()
	for _, bin := range []string{"bird", "birdc"} {
		if _, err := exec.LookPath(bin); err != nil {
			l.t.Skipf("netlab: needs BIRD 2 (%s): %v", bin, err)
		}
	}
	// A unix socket path is limited to 108 bytes: t.TempDir may be longer.
	dir, err := os.MkdirTemp("", "netlab-bird-")
	if err != nil {
		l.t.Fatalf("netlab: start bird: %v", err)
	}
	l.t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bird.conf")
	if err := os.WriteFile(conf, []byte(config), 0o600); err != nil {
		l.t.Fatalf("netlab: start bird: %v", err)
	}
	b := &Bird{lab: l, socket: filepath.Join(dir, "bird.ctl"), log: &bytes.Buffer{}}
	cmd := ns.Command("bird", "-f", "-c", conf, "-s", b.socket, "-P", filepath.Join(dir, "bird.pid"))
	cmd.Stdout, cmd.Stderr = b.log, b.log
	if err := cmd.Start(); err != nil {
		l.t.Fatalf("netlab: start bird: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	l.t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	l.Eventually(birdReady, "bird answers on its socket", func() (bool, string) {
		select {
		case err := <-exited:
			exited <- err
			l.t.Fatalf("netlab: bird exited: %v: %s", err, b.log)
		default:
		}
		_, err := b.Command("show status")
		return err == nil, fmt.Sprint(err)
	})
	return b
}

// Command runs one birdc command and returns its output without the
// "BIRD x.y ready." banner.
func (b *Bird) Command(command string) (string, error) {
	out, err := runCommand(context.Background(), "birdc", append([]string{"-s", b.socket}, strings.Fields(command)...)...)
	if err != nil {
		return "", fmt.Errorf("birdc %s: %w", command, err)
	}
	if strings.Contains(out, "Unable to connect") {
		return "", fmt.Errorf("birdc %s: %s", command, strings.TrimSpace(out))
	}
	_, rest, _ := strings.Cut(out, "ready.\n")
	return rest, nil
}

// Protocol returns `show protocols all NAME`, parsed.
func (b *Bird) Protocol(name string) (Protocol, error) {
	out, err := b.Command("show protocols all " + name)
	if err != nil {
		return Protocol{}, err
	}
	return ParseProtocol(out)
}

// Routes returns the prefixes of `show route`, over every table.
func (b *Bird) Routes() ([]Route, error) {
	out, err := b.Command("show route")
	if err != nil {
		return nil, err
	}
	return ParseRoutes(out), nil
}
