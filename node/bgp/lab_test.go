package bgp

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/internal/netlab"
	"github.com/tabbynet/tabby/topology"
)

// sessionUp bounds how long a session may take to come up: GoBGP's first
// attempt waits 1–2 s, a failed one 5 s.
const sessionUp = 30 * time.Second

const (
	nodeAS = 64512
	torAS  = 65001
)

var routerID = netip.MustParseAddr("10.0.0.1")

// tor is a ToR switch: a BIRD in its own namespace, joined to the node's
// namespace by a veth pair.
type tor struct {
	bird     *netlab.Bird
	addr     netip.Addr
	nodeAddr netip.Addr
}

// link joins node to a new ToR namespace over subnet, the node taking the
// first address and the ToR the second, and starts BIRD there peering with
// the node as AS birdPeerAS, exporting static.
func link(lab *netlab.Lab, node *netlab.Netns, subnet netip.Prefix, birdPeerAS uint32, static ...netip.Prefix) tor {
	return linkBird(lab, node, subnet, func(b *netlab.BirdSession) { b.PeerAS, b.Static = birdPeerAS, static })
}

// linkBird is link with BIRD's session as edit leaves it.
func linkBird(lab *netlab.Lab, node *netlab.Netns, subnet netip.Prefix, edit func(*netlab.BirdSession)) tor {
	ns := lab.Namespace()
	nodeAddr := subnet.Addr().Next()
	torAddr := nodeAddr.Next()
	lab.Link(node, []netip.Prefix{netip.PrefixFrom(nodeAddr, subnet.Bits())}, ns, []netip.Prefix{netip.PrefixFrom(torAddr, subnet.Bits())})
	b := netlab.BirdSession{Name: "node", RouterID: netip.MustParseAddr("10.255.0.2"), Local: torAddr, LocalAS: torAS, Neighbor: nodeAddr, PeerAS: nodeAS}
	edit(&b)
	return tor{bird: lab.Bird(ns, b.Config()), addr: torAddr, nodeAddr: nodeAddr}
}

// session is the eBGP session topology computes for a global BGPPeer to t.
func (t tor) session() topology.Session {
	family := 4
	if t.addr.Is6() {
		family = 6
	}
	return topology.Session{
		PeerIP: t.addr, Port: 179, Family: family, PeerAS: torAS, LocalAS: nodeAS,
		Type: v3.BGPPeerTypeGlobalPeer, Source: "tor-" + t.addr.String(), NextHop: v3.NextHopModeAuto,
		Multihop: true, GracefulRestart: 120 * time.Second,
	}
}

func nodeTopology(sessions ...topology.Session) topology.NodeTopology {
	return topology.NodeTopology{Node: "node-1", LocalAS: nodeAS, RouterID: routerID, ListenPort: 179, Sessions: sessions}
}

// waitEstablished waits until both the speaker and BIRD see the session up.
func waitEstablished(lab *netlab.Lab, a *agent, t tor) PeerStatus {
	var st PeerStatus
	lab.Eventually(sessionUp, "session with BIRD at "+t.addr.String()+" established", func() (bool, string) {
		var err error
		st, err = a.peer(t.addr)
		if err != nil {
			return false, err.Error()
		}
		p, err := t.bird.Protocol("node")
		return err == nil && st.Established() && p.Established(), fmt.Sprintf("speaker %+v, bird %+v %v", st, p, err)
	})
	return st
}

func TestSpeakerPeersWithBird(t *testing.T) {
	for _, tc := range []struct {
		name            string
		subnet          netip.Prefix
		block, torRoute netip.Prefix
	}{
		{"IPv4", netip.MustParsePrefix("10.0.0.0/30"), netip.MustParsePrefix("10.65.0.0/26"), netip.MustParsePrefix("192.0.2.0/24")},
		{"IPv6", netip.MustParsePrefix("fd00:10::/126"), netip.MustParsePrefix("fd00:65::/122"), netip.MustParsePrefix("2001:db8::/48")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lab := netlab.New(t)
			node := lab.Namespace()
			tr := link(lab, node, tc.subnet, nodeAS, tc.torRoute)
			a := startAgent(t, node, nodeTopology(), agentOptions{NodeIPs: []netip.Addr{tr.nodeAddr}, BindNodeIP: true})
			a.reconcile(nodeTopology(tr.session()))
			a.advertise(tc.block)
			waitEstablished(lab, a, tr)
			assertListensOn(t, node, tr.nodeAddr)
			lab.Eventually(sessionUp, "the node's block in BIRD's table", func() (bool, string) {
				r, err := tr.bird.Routes()
				return err == nil && netlab.HasRoute(r, tc.block), fmt.Sprintf("%+v %v", r, err)
			})
			lab.Eventually(sessionUp, "BIRD's route received and accepted", func() (bool, string) {
				st, err := a.peer(tr.addr)
				return err == nil && st.Received == 1 && st.Accepted == 1, fmt.Sprintf("%+v %v", st, err)
			})
			a.call(agentRequest{Op: "withdraw", Prefixes: []netip.Prefix{tc.block}})
			lab.Eventually(sessionUp, "the withdrawn block gone from BIRD's table", func() (bool, string) {
				r, err := tr.bird.Routes()
				return err == nil && !netlab.HasRoute(r, tc.block) && netlab.HasRoute(r, tc.torRoute), fmt.Sprintf("%+v %v", r, err)
			})
		})
	}
}

// TestSpeakerReportsBadPeerAS is the incident: the two ends disagree on an
// AS. The session never comes up and both sides say why, as far as GoBGP
// lets the speaker know it.
func TestSpeakerReportsBadPeerAS(t *testing.T) {
	for _, tc := range []struct {
		name string
		// birdPeerAS is the AS BIRD expects of the node; peerAS the AS the
		// node expects of BIRD.
		birdPeerAS, peerAS uint32
		// speaker and bird are what each one's last error must contain.
		speaker, bird string
	}{
		// BIRD refuses the node's OPEN with a NOTIFICATION whose code GoBGP
		// drops before Established: the speaker can only say it got one.
		{"the ToR expects another AS", 64999, torAS, "received NOTIFICATION", "Bad peer AS"},
		// The speaker refuses BIRD's OPEN and says why.
		{"the node expects another AS", nodeAS, 65009, "bad peer as", "Received: Bad peer AS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lab := netlab.New(t)
			node := lab.Namespace()
			tr := link(lab, node, netip.MustParsePrefix("10.0.0.0/30"), tc.birdPeerAS)
			a := startAgent(t, node, nodeTopology(), agentOptions{})
			sess := tr.session()
			sess.PeerAS = numorstring.ASNumber(tc.peerAS)
			a.reconcile(nodeTopology(sess))
			lab.Eventually(sessionUp, "both sides report the bad peer AS", func() (bool, string) {
				st, err := a.peer(tr.addr)
				if err != nil {
					return false, err.Error()
				}
				p, err := tr.bird.Protocol("node")
				if err != nil {
					return false, err.Error()
				}
				if st.Established() || p.Established() {
					t.Fatalf("session established with disagreeing ASes: speaker %+v, bird %+v", st, p)
				}
				return strings.Contains(st.LastError, tc.speaker) && strings.Contains(p.LastError, tc.bird), fmt.Sprintf("speaker %+v, bird %+v", st, p)
			})
			st, _ := a.peer(tr.addr)
			t.Logf("speaker: %s", st.LastError)
		})
	}
}

// TestReconcileByDifference adds an unrelated peer: the first session is
// not reset, on either side.
func TestReconcileByDifference(t *testing.T) {
	lab := netlab.New(t)
	node := lab.Namespace()
	first := link(lab, node, netip.MustParsePrefix("10.0.0.0/30"), nodeAS)
	second := link(lab, node, netip.MustParsePrefix("10.0.1.0/30"), nodeAS)
	a := startAgent(t, node, nodeTopology(), agentOptions{})
	a.reconcile(nodeTopology(first.session()))
	before := waitEstablished(lab, a, first)
	birdBefore, err := first.bird.Protocol("node")
	if err != nil {
		t.Fatal(err)
	}
	// GoBGP keeps whole seconds: let the clock pass the session's second,
	// so that a reset would show in Since.
	lab.Eventually(sessionUp, "a second after the session came up", func() (bool, string) {
		return time.Since(before.Since) > time.Second, ""
	})

	a.reconcile(nodeTopology(first.session(), second.session()))
	waitEstablished(lab, a, second)

	after, err := a.peer(first.addr)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Established() || !after.Since.Equal(before.Since) {
		t.Errorf("first session after adding a peer: %+v; want established since %v", after, before.Since)
	}
	birdAfter, err := first.bird.Protocol("node")
	if err != nil {
		t.Fatal(err)
	}
	if !birdAfter.Established() || birdAfter.Since != birdBefore.Since {
		t.Errorf("BIRD's first session after adding a peer: %+v; want established since %s", birdAfter, birdBefore.Since)
	}

	// A keepalive change is applied in place: GoBGP's UpdatePeer, given
	// the same peer otherwise, sends no new OPEN.
	changed := first.session()
	changed.Keepalive = ptr(20 * time.Second)
	a.reconcile(nodeTopology(changed, second.session()))
	after, err = a.peer(first.addr)
	if err != nil {
		t.Fatal(err)
	}
	birdAfter, err = first.bird.Protocol("node")
	if err != nil {
		t.Fatal(err)
	}
	if !after.Established() || !after.Since.Equal(before.Since) || !birdAfter.Established() || birdAfter.Since != birdBefore.Since {
		t.Errorf("first session after a keepalive change: speaker %+v, BIRD %+v; want established since %v (BIRD %s)", after, birdAfter, before.Since, birdBefore.Since)
	}
}

// TestRestartKeepsRoutes ends the speaker's process, as a restart of the
// node agent does: the sessions close without a NOTIFICATION and BIRD,
// which negotiated graceful restart, keeps the node's route, stale, while
// it waits for the node to come back.
func TestRestartKeepsRoutes(t *testing.T) {
	lab := netlab.New(t)
	node := lab.Namespace()
	tr := link(lab, node, netip.MustParsePrefix("10.0.0.0/30"), nodeAS)
	a := startAgent(t, node, nodeTopology(), agentOptions{})
	block := netip.MustParsePrefix("10.65.0.0/26")
	a.reconcile(nodeTopology(tr.session()))
	a.advertise(block)
	waitEstablished(lab, a, tr)
	lab.Eventually(sessionUp, "the node's block in BIRD's table", func() (bool, string) {
		r, err := tr.bird.Routes()
		return err == nil && netlab.HasRoute(r, block), fmt.Sprintf("%+v %v", r, err)
	})
	a.crash()
	lab.Eventually(sessionUp, "BIRD sees the session down", func() (bool, string) {
		p, err := tr.bird.Protocol("node")
		return err == nil && !p.Established(), fmt.Sprintf("%+v %v", p, err)
	})
	r, err := tr.bird.Routes()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := tr.bird.Protocol("node"); !netlab.HasRoute(r, block) {
		t.Errorf("BIRD dropped the node's block when the speaker went away: routes %+v, protocol %+v", r, p)
	}
}

// assertListensOn checks that the only BGP listener of ns is on addr
// (bindMode NodeIP).
func assertListensOn(t *testing.T, ns *netlab.Netns, addr netip.Addr) {
	t.Helper()
	out, err := ns.Command("ss", "-Hltn", "sport = :179").Output()
	if err != nil {
		t.Fatalf("ss: %v", err)
	}
	var local []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(l); len(f) >= 4 {
			local = append(local, f[3])
		}
	}
	want := netip.AddrPortFrom(addr, 179).String()
	if len(local) != 1 || local[0] != want {
		t.Errorf("BGP listeners %v, want only %s", local, want)
	}
}

// TestSessionOptionsWithBird checks each Calico session option against
// BIRD configured as Calico's template would configure the other end.
func TestSessionOptionsWithBird(t *testing.T) {
	for _, tc := range []struct {
		name      string
		bird      func(*netlab.BirdSession)
		session   func(*topology.Session)
		passwords map[netip.Addr]string
	}{{
		name:      "MD5 password",
		bird:      func(b *netlab.BirdSession) { b.Options = []string{`password "s3cret";`} },
		session:   func(s *topology.Session) { s.Password = true },
		passwords: map[netip.Addr]string{netip.MustParseAddr("10.0.0.2"): "s3cret"},
	}, {
		name:    "TTL security",
		bird:    func(b *netlab.BirdSession) { b.Options = []string{"ttl security on;"} },
		session: func(s *topology.Session) { s.TTLSecurity = 1 },
	}, {
		name:    "the node passive, BIRD connects",
		bird:    func(*netlab.BirdSession) {},
		session: func(s *topology.Session) { s.Passive = true },
	}, {
		name: "iBGP to a route-reflector client",
		bird: func(b *netlab.BirdSession) { b.LocalAS = nodeAS },
		session: func(s *topology.Session) {
			s.PeerAS, s.IBGP, s.RRClient, s.ClusterID = nodeAS, true, true, "10.0.0.1"
		},
	}, {
		name:    "keepalive time",
		bird:    func(*netlab.BirdSession) {},
		session: func(s *topology.Session) { s.Keepalive = ptr(10 * time.Second) },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			lab := netlab.New(t)
			node := lab.Namespace()
			tr := linkBird(lab, node, netip.MustParsePrefix("10.0.0.0/30"), tc.bird)
			a := startAgent(t, node, nodeTopology(), agentOptions{})
			sess := tr.session()
			tc.session(&sess)
			a.call(agentRequest{Op: "reconcile", Node: nodeTopology(sess), Passwords: tc.passwords})
			waitEstablished(lab, a, tr)
		})
	}
}
