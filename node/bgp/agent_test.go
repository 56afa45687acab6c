package bgp

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/tabbynet/tabby/internal/netlab"
	"github.com/tabbynet/tabby/topology"
)

// The speaker under test runs in a child process: the test binary
// re-executed with `ip netns exec` in the node's namespace. A goroutine can
// enter a namespace (LockOSThread and setns), but GoBGP listens and dials
// from goroutines of its own, on any thread; a process entirely inside the
// namespace is the only placement that cannot leak a socket into the root
// namespace. The parent drives it with one JSON request per line on its
// stdin and reads one JSON response per line on its stdout.
var agentMode = flag.Bool("bgp.agent", false, "serve the speaker on stdin/stdout (the child of a lab test)")

type agentRequest struct {
	Op        string // start, reconcile, peers, advertise, withdraw
	Node      topology.NodeTopology
	Options   agentOptions
	Passwords map[netip.Addr]string
	Prefixes  []netip.Prefix
}

type agentOptions struct {
	NodeIPs    []netip.Addr
	BindNodeIP bool
}

type agentResponse struct {
	Err   string
	Peers []PeerStatus
}

// TestAgent is the child's side; it runs only with -bgp.agent.
func TestAgent(t *testing.T) {
	if !*agentMode {
		t.Skip("the speaker agent runs only as the child of a lab test")
	}
	ctx := context.Background()
	var s *Speaker
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req agentRequest
		var resp agentResponse
		err := json.Unmarshal(in.Bytes(), &req)
		switch {
		case err != nil:
		case req.Op == "start":
			s, err = Start(ctx, req.Node, Options{NodeIPs: req.Options.NodeIPs, BindNodeIP: req.Options.BindNodeIP})
		case s == nil:
			err = fmt.Errorf("%s before start", req.Op)
		case req.Op == "reconcile":
			err = s.Reconcile(ctx, req.Node, func(sess topology.Session) (string, error) {
				return req.Passwords[sess.PeerIP], nil
			})
		case req.Op == "peers":
			resp.Peers, err = s.Peers(ctx)
		case req.Op == "advertise":
			err = s.Advertise(ctx, req.Prefixes...)
		case req.Op == "withdraw":
			err = s.Withdraw(ctx, req.Prefixes...)
		default:
			err = fmt.Errorf("unknown op %q", req.Op)
		}
		if err != nil {
			resp.Err = err.Error()
		}
		if err := out.Encode(resp); err != nil {
			t.Fatal(err)
		}
	}
	if s != nil {
		s.Stop(ctx)
	}
}

// agent is the parent's handle on a speaker in a namespace.
type agent struct {
	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Scanner
}

// startAgent starts the child in ns and the speaker in it.
func startAgent(t testing.TB, ns *netlab.Netns, node topology.NodeTopology, opts agentOptions) *agent {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := ns.Command(self, "-test.run=^TestAgent$", "-bgp.agent")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopAgent(t, cmd, stdin) })
	a := &agent{t: t, cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout)}
	a.out.Buffer(nil, 1<<20)
	a.call(agentRequest{Op: "start", Node: node, Options: opts})
	return a
}

// agentExit bounds how long the child may take to stop its speaker.
const agentExit = 10 * time.Second

func stopAgent(t testing.TB, cmd *exec.Cmd, stdin io.Closer) {
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(agentExit):
		cmd.Process.Kill()
		<-done
		t.Errorf("speaker agent did not exit within %v of its input closing", agentExit)
	}
}

// call sends a request and fails the test on an error response.
func (a *agent) call(req agentRequest) agentResponse {
	a.t.Helper()
	resp, err := a.try(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a *agent) try(req agentRequest) (agentResponse, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return agentResponse{}, err
	}
	if _, err := a.stdin.Write(append(b, '\n')); err != nil {
		return agentResponse{}, fmt.Errorf("agent %s: %w", req.Op, err)
	}
	for a.out.Scan() {
		line := a.out.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // the test framework's own output
		}
		var resp agentResponse
		if err := json.Unmarshal(line, &resp); err != nil {
			return resp, fmt.Errorf("agent %s: %w", req.Op, err)
		}
		if resp.Err != "" {
			return resp, fmt.Errorf("agent %s: %s", req.Op, resp.Err)
		}
		return resp, nil
	}
	return agentResponse{}, fmt.Errorf("agent %s: no response: %v", req.Op, a.out.Err())
}

// crash kills the agent: its sessions end without a NOTIFICATION, as when
// the node agent restarts. (`ip netns exec` execs the command, so the
// process is the agent itself.)
func (a *agent) crash() {
	a.t.Helper()
	if err := a.cmd.Process.Kill(); err != nil {
		a.t.Fatal(err)
	}
}

func (a *agent) reconcile(node topology.NodeTopology) {
	a.t.Helper()
	a.call(agentRequest{Op: "reconcile", Node: node})
}

func (a *agent) advertise(p ...netip.Prefix) {
	a.t.Helper()
	a.call(agentRequest{Op: "advertise", Prefixes: p})
}

// peer returns the status of the peer at addr.
func (a *agent) peer(addr netip.Addr) (PeerStatus, error) {
	resp, err := a.try(agentRequest{Op: "peers"})
	if err != nil {
		return PeerStatus{}, err
	}
	for _, p := range resp.Peers {
		if p.Address == addr {
			return p, nil
		}
	}
	return PeerStatus{}, fmt.Errorf("no peer %v in %+v", addr, resp.Peers)
}
