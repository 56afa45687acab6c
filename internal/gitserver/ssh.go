package gitserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SSHServer serves the bare repositories under a root over SSH: it accepts
// the authorized public keys and runs git-upload-pack (read-only) for the
// repository a session asks for.
type SSHServer struct {
	root       string
	authorized [][]byte // marshalled public keys
	config     *ssh.ServerConfig
	hostKey    ssh.Signer
	ln         net.Listener

	ctx    context.Context // cancelled by Close: kills running upload-packs
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	execs  atomic.Int64
}

// NewSSHServer serves root on a loopback address until the test ends,
// accepting the given client keys.
func NewSSHServer(t testing.TB, root string, authorized ...ssh.PublicKey) *SSHServer {
	t.Helper()
	RequireGit(t)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hostKey, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SSHServer{root: root, hostKey: hostKey, ln: ln, conns: map[net.Conn]struct{}{}}
	for _, k := range authorized {
		s.authorized = append(s.authorized, k.Marshal())
	}
	s.config = &ssh.ServerConfig{PublicKeyCallback: s.checkKey}
	s.config.AddHostKey(hostKey)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

func (s *SSHServer) checkKey(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
	for _, k := range s.authorized {
		if bytes.Equal(k, key.Marshal()) {
			return &ssh.Permissions{}, nil
		}
	}
	return nil, errors.New("unknown public key")
}

// Addr is the server's host:port.
func (s *SSHServer) Addr() string { return s.ln.Addr().String() }

// RepoURL is the ssh:// URL of the repository name under the root.
func (s *SSHServer) RepoURL(name string) string {
	return "ssh://git@" + s.Addr() + "/" + name
}

// SCPURL is the scp-like URL of the repository with a port, in the form
// go-git reads: git@host:port:name. (Git itself has no port in scp-like
// URLs.)
func (s *SSHServer) SCPURL(name string) string {
	host, port, _ := net.SplitHostPort(s.Addr())
	return "git@" + host + ":" + port + ":" + name
}

// HostKey is the server's public host key.
func (s *SSHServer) HostKey() ssh.PublicKey { return s.hostKey.PublicKey() }

// KnownHosts is a known_hosts line for the server.
func (s *SSHServer) KnownHosts() []byte {
	return []byte(knownhosts.Line([]string{knownhosts.Normalize(s.Addr())}, s.HostKey()) + "\n")
}

// HashedKnownHosts is a known_hosts line for the server with the host name
// hashed, as ssh-keygen -H writes it.
func (s *SSHServer) HashedKnownHosts() []byte {
	return []byte(knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(s.Addr()))}, s.HostKey()) + "\n")
}

// Execs counts the git-upload-pack sessions run.
func (s *SSHServer) Execs() int64 { return s.execs.Load() }

// Close stops the server, closes open connections, kills running
// upload-packs and waits for everything it started to end.
func (s *SSHServer) Close() {
	s.cancel()
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *SSHServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.ctx.Err() != nil {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handleConn(c)
	}
}

func (s *SSHServer) handleConn(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.config)
	if err != nil {
		return
	}
	defer sc.Close()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ssh.DiscardRequests(reqs)
	}()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			continue
		}
		s.wg.Add(1)
		go s.handleSession(ch, chReqs)
	}
}

func (s *SSHServer) handleSession(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer s.wg.Done()
	defer ch.Close()
	for req := range reqs {
		switch req.Type {
		case "env":
			_ = req.Reply(true, nil)
		case "exec":
			var payload struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &payload); err != nil {
				_ = req.Reply(false, nil)
				return
			}
			dir, err := s.repoDir(payload.Command)
			if err != nil {
				_ = req.Reply(true, nil)
				fmt.Fprintf(ch.Stderr(), "fatal: %v\n", err)
				sendExit(ch, 128)
				return
			}
			_ = req.Reply(true, nil)
			sendExit(ch, s.uploadPack(ch, dir))
			return
		default:
			_ = req.Reply(false, nil)
		}
	}
}

// repoDir parses "git-upload-pack '<path>'" and returns the repository's
// directory, which must be inside the root.
func (s *SSHServer) repoDir(command string) (string, error) {
	prog, arg, ok := strings.Cut(command, " ")
	if !ok || (prog != "git-upload-pack" && prog != "git upload-pack") {
		return "", fmt.Errorf("only git-upload-pack is served, not %q", command)
	}
	path := strings.Trim(strings.TrimSpace(arg), "'\"")
	dir := filepath.Join(s.root, filepath.Clean("/"+path))
	if rel, err := filepath.Rel(s.root, dir); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("'%s' does not appear to be a git repository", path)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("'%s' does not appear to be a git repository", path)
	}
	return dir, nil
}

// uploadPack runs git-upload-pack on dir with the channel as its standard
// streams and returns its exit status.
func (s *SSHServer) uploadPack(ch ssh.Channel, dir string) uint32 {
	s.execs.Add(1)
	cmd := exec.CommandContext(s.ctx, "git", "upload-pack", dir)
	cmd.Env = gitEnv(os.TempDir())
	cmd.Stdout = ch
	cmd.Stderr = ch.Stderr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 1
	}
	if err := cmd.Start(); err != nil {
		return 1
	}
	// Copies the client's data until the client closes its side or the
	// channel is closed; it never outlives the session.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_, _ = io.Copy(stdin, ch)
		stdin.Close()
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return uint32(exit.ExitCode())
	default:
		return 1
	}
}

func sendExit(ch ssh.Channel, status uint32) {
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
}

// StallServer accepts TCP connections and never says anything: a remote
// that hangs, for timeout tests.
type StallServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

// NewStallServer listens on a loopback address until the test ends.
func NewStallServer(t testing.TB) *StallServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &StallServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// Addr is the server's host:port.
func (s *StallServer) Addr() string { return s.ln.Addr().String() }
