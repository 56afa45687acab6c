package topology

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// threeNodes are a rack of two nodes and a third labelled as an edge node,
// with the mesh off.
var threeNodes = []string{
	bgpConfigYAML("default", meshOff),
	nodeYAML("a", "rack: r1", "ipv4Address: 10.0.0.1/24"),
	nodeYAML("b", "rack: r1", "ipv4Address: 10.0.0.2/24"),
	nodeYAML("edge", "role: edge", "ipv4Address: 10.0.0.3/24"),
}

func TestPeerings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		extra    []string
		want     map[string][]string // node → peersOf
		skipped  map[string][]string // node → substrings of its Skipped, in order
		problems []string
	}{
		{
			name: "selector peers with automatic reverse peerings",
			extra: []string{peerYAML("rack-to-edge", `nodeSelector: rack == 'r1'
peerSelector: role == 'edge'`)},
			want: map[string][]string{
				"a":    {"10.0.0.3:179/NodePeer/rack-to-edge"},
				"b":    {"10.0.0.3:179/NodePeer/rack-to-edge"},
				"edge": {"10.0.0.1:179/NodePeer/reverse of rack-to-edge", "10.0.0.2:179/NodePeer/reverse of rack-to-edge"},
			},
		},
		{
			name: "reversePeering Manual suppresses the reverse peerings",
			extra: []string{peerYAML("rack-to-edge", `nodeSelector: rack == 'r1'
peerSelector: role == 'edge'
reversePeering: Manual`)},
			want: map[string][]string{
				"a":    {"10.0.0.3:179/NodePeer/rack-to-edge"},
				"b":    {"10.0.0.3:179/NodePeer/rack-to-edge"},
				"edge": nil,
			},
		},
		{
			name: "an explicit peering wins over a reverse one",
			extra: []string{
				peerYAML("rack-to-edge", `nodeSelector: rack == 'r1'
peerSelector: role == 'edge'`),
				peerYAML("edge-to-a", `node: edge
peerIP: 10.0.0.1
asNumber: 64512
reversePeering: Manual
keepaliveTime: 7s`),
			},
			want: map[string][]string{
				"a":    {"10.0.0.3:179/NodePeer/rack-to-edge"},
				"edge": {"10.0.0.1:179/NodePeer/edge-to-a", "10.0.0.2:179/NodePeer/reverse of rack-to-edge"},
			},
		},
		{
			name:  "a global peer with a peerSelector: every node peers with the selected ones, which peer back",
			extra: []string{peerYAML("all-to-edge", `peerSelector: role == 'edge'`)},
			want: map[string][]string{
				"a":    {"10.0.0.3:179/GlobalPeer/all-to-edge"},
				"b":    {"10.0.0.3:179/GlobalPeer/all-to-edge"},
				"edge": {"10.0.0.1:179/NodePeer/reverse of all-to-edge", "10.0.0.2:179/NodePeer/reverse of all-to-edge"},
			},
		},
		{
			name: "a node-specific peer to a global peer's address is skipped",
			extra: []string{
				peerYAML("upstream", `peerIP: 192.0.2.1
asNumber: 65000`),
				peerYAML("upstream-r1", `nodeSelector: rack == 'r1'
peerIP: 192.0.2.1
asNumber: 65001`),
			},
			want: map[string][]string{
				"a":    {"192.0.2.1:179/GlobalPeer/upstream"},
				"edge": {"192.0.2.1:179/GlobalPeer/upstream"},
			},
			skipped: map[string][]string{
				"a": {"BGPPeer upstream-r1: peering with 192.0.2.1 skipped: the global BGPPeer upstream already peers with it"},
				"b": {"BGPPeer upstream-r1: peering with 192.0.2.1 skipped: the global BGPPeer upstream already peers with it"},
			},
		},
		{
			name: "the same address on another port is another peering",
			extra: []string{
				peerYAML("upstream", `peerIP: 192.0.2.1
asNumber: 65000`),
				peerYAML("upstream-r1", `nodeSelector: rack == 'r1'
peerIP: 192.0.2.1:1179
asNumber: 65000`),
			},
			want: map[string][]string{
				"a":    {"192.0.2.1:179/GlobalPeer/upstream", "192.0.2.1:1179/NodePeer/upstream-r1"},
				"edge": {"192.0.2.1:179/GlobalPeer/upstream"},
			},
		},
		{
			name: "two node-specific peers to one address: the first by name is kept",
			extra: []string{
				peerYAML("tor-1", `nodeSelector: rack == 'r1'
peerIP: 192.0.2.1
asNumber: 65000`),
				peerYAML("tor-2", `node: a
peerIP: 192.0.2.1
asNumber: 65009`),
			},
			want: map[string][]string{
				"a": {"192.0.2.1:179/NodePeer/tor-1"},
				"b": {"192.0.2.1:179/NodePeer/tor-1"},
			},
			skipped: map[string][]string{
				"a": {"BGPPeer tor-2: peering with 192.0.2.1 skipped: BGPPeer tor-1 already gives this node that peering"},
			},
		},
		{
			name: "a peering with the node's own address is skipped",
			extra: []string{peerYAML("to-a", `nodeSelector: rack == 'r1'
peerIP: 10.0.0.1
asNumber: 64512
reversePeering: Manual`)},
			want: map[string][]string{
				"a": nil,
				"b": {"10.0.0.1:179/NodePeer/to-a"},
			},
			skipped: map[string][]string{
				"a": {"BGPPeer to-a: peering with 10.0.0.1 skipped: it is the node's own address"},
			},
		},
		{
			name: "a peerIP peering of a family the node has no address in is skipped",
			extra: []string{peerYAML("v6-upstream", `node: a
peerIP: "[2001:db8::1]:1179"
asNumber: 65000`)},
			want:    map[string][]string{"a": nil},
			skipped: map[string][]string{"a": {"BGPPeer v6-upstream: peering with [2001:db8::1]:1179 skipped: the node has no IPv6 address"}},
		},
		{
			name: "problems: selectors that do not parse, a missing node, no peer, local workloads",
			extra: []string{
				peerYAML("bad-node-selector", `nodeSelector: rack ==
peerIP: 192.0.2.1
asNumber: 65000`),
				peerYAML("bad-peer-selector", `nodeSelector: all()
peerSelector: "role in {"`),
				peerYAML("ghost", `node: ghost
peerIP: 192.0.2.2
asNumber: 65000`),
				peerYAML("nothing", `nodeSelector: all()`),
				peerYAML("workloads", `localWorkloadSelector: app == 'lb'
asNumber: 65000`),
			},
			want: map[string][]string{"a": nil, "b": nil, "edge": nil},
			problems: []string{
				"BGPPeer bad-node-selector: nodeSelector:",
				"BGPPeer bad-peer-selector: peerSelector:",
				"BGPPeer ghost is for node ghost, which is not among the nodes",
				"BGPPeer nothing has neither peerIP nor peerSelector",
				"BGPPeer workloads peers with local workloads",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, append(slices.Clone(threeNodes), tc.extra...)...)
			for name, want := range tc.want {
				if got := peersOf(mustNode(t, topo, name)); !slices.Equal(got, want) {
					t.Errorf("node %s sessions:\n got  %q\n want %q", name, got, want)
				}
			}
			for _, n := range topo.Nodes {
				want := tc.skipped[n.Node]
				if len(n.Skipped) != len(want) {
					t.Errorf("node %s skipped %v, want %d entries like %q", n.Node, n.Skipped, len(want), want)
					continue
				}
				for i := range want {
					if !strings.Contains(n.Skipped[i].String(), want[i]) {
						t.Errorf("node %s skipped[%d] = %q, want it to contain %q", n.Node, i, n.Skipped[i].String(), want[i])
					}
				}
			}
			if tc.problems == nil {
				noProblems(t, topo)
			}
			for _, p := range tc.problems {
				hasProblem(t, topo, p)
			}
		})
	}
}

// TestPeerIPCalicoNode checks a peerIP that is a Calico node's address: the
// port is that node's listen port, and the node peers back, with its own
// port, in the peerIP's family only; unless the AS does not match.
func TestPeerIPCalicoNode(t *testing.T) {
	base := []string{
		bgpConfigYAML("default", meshOff),
		bgpConfigYAML("node.b", "listenPort: 1790"),
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24, ipv6Address: fd00::1/64"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24, ipv6Address: fd00::2/64"),
	}
	for _, tc := range []struct {
		name string
		peer string
		want map[string][]string
	}{
		{
			name: "matching AS: b's port, and b peers back",
			peer: peerYAML("a-to-b", `node: a
peerIP: 10.0.0.2
asNumber: 64512`),
			want: map[string][]string{
				"a": {"10.0.0.2:1790/NodePeer/a-to-b"},
				"b": {"10.0.0.1:179/NodePeer/reverse of a-to-b"},
			},
		},
		{
			name: "matching AS and port given",
			peer: peerYAML("a-to-b", `node: a
peerIP: "[fd00::2]:1790"
asNumber: 64512`),
			want: map[string][]string{
				"a": {"[fd00::2]:1790/NodePeer/a-to-b"},
				"b": {"[fd00::1]:179/NodePeer/reverse of a-to-b"},
			},
		},
		{
			name: "port given that b does not listen on: no reverse peering",
			peer: peerYAML("a-to-b", `node: a
peerIP: 10.0.0.2:1791
asNumber: 64512`),
			want: map[string][]string{
				"a": {"10.0.0.2:1791/NodePeer/a-to-b"},
				"b": nil,
			},
		},
		{
			name: "AS that is not b's: port 179 and no reverse peering",
			peer: peerYAML("a-to-b", `node: a
peerIP: 10.0.0.2
asNumber: 65000`),
			want: map[string][]string{
				"a": {"10.0.0.2:179/NodePeer/a-to-b"},
				"b": nil,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, append(slices.Clone(base), tc.peer)...)
			noProblems(t, topo)
			for name, want := range tc.want {
				if got := peersOf(mustNode(t, topo, name)); !slices.Equal(got, want) {
					t.Errorf("node %s sessions:\n got  %q\n want %q", name, got, want)
				}
			}
			a := mustNode(t, topo, "a")
			if len(a.Sessions) == 1 && a.Sessions[0].PeerNode != "b" {
				t.Errorf("a's session: peer node %q, want b", a.Sessions[0].PeerNode)
			}
		})
	}
}

// TestGlobalPeerPassive checks the lexical passive rule on global peerings
// with a Calico node, and its absence on node-specific ones.
func TestGlobalPeerPassive(t *testing.T) {
	topo := computeYAML(t,
		bgpConfigYAML("default", meshOff),
		nodeYAML("n9", "", "ipv4Address: 10.0.0.9/24"),
		nodeYAML("n10", "", "ipv4Address: 10.0.0.10/24"),
		nodeYAML("n11", "", "ipv4Address: 10.0.0.11/24"),
		peerYAML("to-n9", `peerIP: 10.0.0.9
asNumber: 64512
reversePeering: Manual`),
		peerYAML("n9-to-n11", `node: n9
peerIP: 10.0.0.11
asNumber: 64512
reversePeering: Manual`))
	noProblems(t, topo)
	// "10.0.0.9" > "10.0.0.10" and > "10.0.0.11": both wait for n9.
	for _, name := range []string{"n10", "n11"} {
		if s := sessionTo(t, mustNode(t, topo, name), "10.0.0.9"); !s.Passive || s.Type != v3.BGPPeerTypeGlobalPeer || s.PeerNode != "n9" {
			t.Errorf("%s toward n9: passive %v, type %s, peer node %q; want true, GlobalPeer, n9", name, s.Passive, s.Type, s.PeerNode)
		}
	}
	if s := sessionTo(t, mustNode(t, topo, "n9"), "10.0.0.11"); s.Passive {
		t.Errorf("n9 toward n11 (node-specific): passive; the lexical rule is for mesh and global peers only")
	}
}

func TestSessionSettings(t *testing.T) {
	dur := func(d time.Duration) *time.Duration { return &d }
	for _, tc := range []struct {
		name     string
		spec     string
		want     func(s *Session) // edits the default session into the expected one
		problems []string
	}{
		{
			name: "defaults of an eBGP peer",
			spec: "asNumber: 65000",
			want: func(s *Session) {},
		},
		{
			name: "iBGP",
			spec: "asNumber: 64512",
			want: func(s *Session) { s.PeerAS, s.IBGP = 64512, true },
		},
		{
			name: "keepOriginalNextHop applies to eBGP",
			spec: "asNumber: 65000\nkeepOriginalNextHop: true",
			want: func(s *Session) { s.NextHop = v3.NextHopModeKeep },
		},
		{
			name: "keepOriginalNextHop is ignored for iBGP",
			spec: "asNumber: 64512\nkeepOriginalNextHop: true",
			want: func(s *Session) { s.PeerAS, s.IBGP = 64512, true },
		},
		{
			name: "nextHopMode Self",
			spec: "asNumber: 64512\nnextHopMode: Self",
			want: func(s *Session) { s.PeerAS, s.IBGP, s.NextHop = 64512, true, v3.NextHopModeSelf },
		},
		{
			name: "nextHopMode Keep on iBGP",
			spec: "asNumber: 64512\nnextHopMode: Keep",
			want: func(s *Session) { s.PeerAS, s.IBGP, s.NextHop = 64512, true, v3.NextHopModeKeep },
		},
		{
			name: "local AS override makes the session iBGP",
			spec: "asNumber: 65000\nlocalASNumber: 65000",
			want: func(s *Session) { s.LocalAS, s.IBGP = 65000, true },
		},
		{
			name: "local AS override",
			spec: "asNumber: 65000\nlocalASNumber: 4200000001",
			want: func(s *Session) { s.LocalAS = 4200000001 },
		},
		{
			name: "every setting",
			spec: `asNumber: 65000
password:
  secretKeyRef: {name: bgp, key: tor}
sourceAddress: None
maxRestartTime: 300s
keepaliveTime: 10.6s
numAllowedLocalASNumbers: 2
ttlSecurity: 3
reachableBy: 10.0.0.254
filters: [export-only, missing]`,
			want: func(s *Session) {
				s.Password, s.SourceAddress, s.GracefulRestart, s.Keepalive = true, false, 300*time.Second, dur(11*time.Second)
				s.AllowLocalAS, s.TTLSecurity = 2, 3
				s.ReachableBy = netip.MustParseAddr("10.0.0.254")
				s.Filters = []string{"export-only"}
			},
			problems: []string{`BGPPeer tor names BGPFilter "missing", which does not exist`},
		},
		{
			name:     "no AS number",
			spec:     "",
			want:     func(s *Session) { s.PeerAS = 0 },
			problems: []string{"BGPPeer tor: peerIP 192.0.2.1 has no asNumber"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t,
				bgpConfigYAML("default", meshOff),
				nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
				`apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata: {name: export-only}
spec:
  exportV4: [{action: Accept, cidr: 10.244.0.0/16, matchOperator: In}]
`,
				peerYAML("tor", "node: a\npeerIP: 192.0.2.1\n"+tc.spec))
			want := Session{
				PeerIP: netip.MustParseAddr("192.0.2.1"), Port: 179, Family: 4, PeerAS: 65000, LocalAS: 64512,
				Type: v3.BGPPeerTypeNodePeer, Source: "tor", Peer: "tor", NextHop: v3.NextHopModeAuto, Multihop: true,
				GracefulRestart: 120 * time.Second, SourceAddress: true,
			}
			tc.want(&want)
			if got := sessionTo(t, mustNode(t, topo, "a"), "192.0.2.1"); !equalSession(got, want) {
				t.Errorf("session\n got  %+v\n want %+v", got, want)
			}
			if tc.problems == nil {
				noProblems(t, topo)
			}
			for _, p := range tc.problems {
				hasProblem(t, topo, p)
			}
		})
	}
}

// TestReverseSettings checks that a reverse peering carries its BGPPeer's
// session settings, except localASNumber and reachableBy.
func TestReverseSettings(t *testing.T) {
	topo := computeYAML(t, append(slices.Clone(threeNodes), peerYAML("rack-to-edge", `nodeSelector: rack == 'r1'
peerSelector: role == 'edge'
localASNumber: 65010
password:
  secretKeyRef: {name: bgp, key: edge}
ttlSecurity: 1
nextHopMode: Self`))...)
	noProblems(t, topo)
	fwd := sessionTo(t, mustNode(t, topo, "a"), "10.0.0.3")
	rev := sessionTo(t, mustNode(t, topo, "edge"), "10.0.0.1")
	if fwd.LocalAS != 65010 || fwd.IBGP {
		t.Errorf("forward: local AS %d, iBGP %v; want 65010, false", fwd.LocalAS, fwd.IBGP)
	}
	if rev.LocalAS != 64512 || !rev.IBGP || !rev.Password || rev.TTLSecurity != 1 || rev.NextHop != v3.NextHopModeSelf || rev.Source != "reverse of rack-to-edge" || rev.PeerNode != "a" {
		t.Errorf("reverse: %+v; want local AS 64512, iBGP, password, TTL security 1, next hop self, from the reverse of rack-to-edge, peer node a", rev)
	}
}

func TestGlobalPeerCollision(t *testing.T) {
	topo := computeYAML(t, append(slices.Clone(threeNodes),
		peerYAML("upstream-a", "peerIP: 192.0.2.1\nasNumber: 65000"),
		peerYAML("upstream-b", "peerIP: 192.0.2.1\nasNumber: 65001"))...)
	hasProblem(t, topo, "global BGPPeers upstream-a and upstream-b both peer with 192.0.2.1")
	if s := sessionTo(t, mustNode(t, topo, "a"), "192.0.2.1"); s.Source != "upstream-a" || s.PeerAS != 65000 {
		t.Errorf("kept %s (AS %d), want upstream-a (AS 65000)", s.Source, s.PeerAS)
	}
}

// TestMeshAndPeerTwice checks that a peering Calico configures twice, with
// the mesh and with an explicit :179, is reported.
func TestMeshAndPeerTwice(t *testing.T) {
	topo := computeYAML(t,
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24"),
		peerYAML("a-to-b", "node: a\npeerIP: 10.0.0.2:179\nasNumber: 64512\nreversePeering: Manual"))
	if got, want := peersOf(mustNode(t, topo, "a")), []string{"10.0.0.2:179/NodeMesh/mesh", "10.0.0.2:179/NodePeer/a-to-b"}; !slices.Equal(got, want) {
		t.Errorf("a's sessions %q, want %q", got, want)
	}
	hasProblem(t, topo, "node a is given two sessions with 10.0.0.2 port 179 (mesh and a-to-b)")
}

// TestSelectorFamilies checks that a peerSelector peering, and its reverse,
// exist in a family only where both nodes have an address of it.
func TestSelectorFamilies(t *testing.T) {
	topo := computeYAML(t,
		bgpConfigYAML("default", meshOff),
		nodeYAML("dual", "", "ipv4Address: 10.0.0.1/24, ipv6Address: fd00::1/64"),
		nodeYAML("v4", "role: edge", "ipv4Address: 10.0.0.2/24"),
		nodeYAML("v6", "role: edge", "ipv6Address: fd00::3/64"),
		peerYAML("to-edge", "node: dual\npeerSelector: role == 'edge'"))
	noProblems(t, topo)
	want := map[string][]string{
		"dual": {"10.0.0.2:179/NodePeer/to-edge", "[fd00::3]:179/NodePeer/to-edge"},
		"v4":   {"10.0.0.1:179/NodePeer/reverse of to-edge"},
		"v6":   {"[fd00::1]:179/NodePeer/reverse of to-edge"},
	}
	for name, w := range want {
		n := mustNode(t, topo, name)
		if got := peersOf(n); !slices.Equal(got, w) {
			t.Errorf("node %s sessions:\n got  %q\n want %q", name, got, w)
		}
		if len(n.Skipped) > 0 {
			t.Errorf("node %s skipped %v: a node-to-node peering in a family one end lacks is not news", name, n.Skipped)
		}
	}
	if v6 := mustNode(t, topo, "v6"); v6.RouterID.IsValid() {
		t.Errorf("v6-only node has router ID %s, want none", v6.RouterID)
	}
}
