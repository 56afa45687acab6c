package topology

import (
	"net/netip"
	"slices"
	"testing"
)

// TestSkips checks each skip names the BGPPeer left out, its key, why, and
// which BGPPeer holds the key, so that validation can locate a finding at
// both.
func TestSkips(t *testing.T) {
	a := netip.MustParseAddr("10.0.0.1")
	up := netip.MustParseAddr("192.0.2.1")
	edge := netip.MustParseAddr("10.0.0.3")
	for _, tc := range []struct {
		name  string
		peers []string
		want  map[string][]Skip // node → its skips
	}{
		{
			name: "a second global peer is skipped on every node",
			peers: []string{
				peerYAML("up-a", "peerIP: 192.0.2.1\nasNumber: 65000"),
				peerYAML("up-b", "peerIP: 192.0.2.1\nasNumber: 65001"),
			},
			want: map[string][]Skip{
				"a":    {{Peer: "up-b", PeerIP: up, Reason: SkipHeldByGlobal, HeldBy: "up-a"}},
				"b":    {{Peer: "up-b", PeerIP: up, Reason: SkipHeldByGlobal, HeldBy: "up-a"}},
				"edge": {{Peer: "up-b", PeerIP: up, Reason: SkipHeldByGlobal, HeldBy: "up-a"}},
			},
		},
		{
			name: "the node's own address is the reason, whoever holds the key",
			peers: []string{
				peerYAML("to-a", "peerIP: 10.0.0.1\nasNumber: 64512"),
				peerYAML("to-a-again", "node: a\npeerIP: 10.0.0.1\nasNumber: 64512"),
				peerYAML("to-a-third", "nodeSelector: rack == 'r1'\npeerIP: 10.0.0.1\nasNumber: 64512"),
			},
			want: map[string][]Skip{
				"a": {
					{Peer: "to-a", PeerIP: a, Reason: SkipOwnAddress},
					{Peer: "to-a-again", PeerIP: a, Reason: SkipOwnAddress},
					{Peer: "to-a-third", PeerIP: a, Reason: SkipOwnAddress},
				},
				"b": {{Peer: "to-a-third", PeerIP: a, Reason: SkipHeldByGlobal, HeldBy: "to-a"}},
			},
		},
		{
			name: "a peerSelector peering another BGPPeer holds is skipped",
			peers: []string{
				peerYAML("rack-to-edge", "nodeSelector: rack == 'r1'\npeerSelector: role == 'edge'"),
				peerYAML("zz-a-to-edge", "node: a\npeerSelector: role == 'edge'"),
			},
			want: map[string][]Skip{
				"a": {{Peer: "zz-a-to-edge", PeerIP: edge, Reason: SkipHeldByPeer, HeldBy: "rack-to-edge"}},
			},
		},
		{
			name:  "a peerIP peering of a family the node lacks",
			peers: []string{peerYAML("v6", "node: a\npeerIP: fd00::1\nasNumber: 65000")},
			want:  map[string][]Skip{"a": {{Peer: "v6", PeerIP: netip.MustParseAddr("fd00::1"), Reason: SkipNoAddress}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, append(slices.Clone(threeNodes), tc.peers...)...)
			for _, n := range topo.Nodes {
				if want := tc.want[n.Node]; !slices.Equal(n.Skipped, want) {
					t.Errorf("node %s skipped\n got  %v\n want %v", n.Node, n.Skipped, want)
				}
			}
		})
	}
}

// TestSessionProvenance checks every session says which BGPPeer made it and
// whether it is that BGPPeer's reverse peering.
func TestSessionProvenance(t *testing.T) {
	topo := computeYAML(t, nodeYAML("a", "rack: r1", "ipv4Address: 10.0.0.1/24"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24"),
		nodeYAML("edge", "role: edge", "ipv4Address: 10.0.0.3/24"),
		peerYAML("rack-to-edge", "nodeSelector: rack == 'r1'\npeerSelector: role == 'edge'"))
	for _, tc := range []struct {
		node, peer  string
		typ, origin string
		reverse     bool
	}{
		{"a", "10.0.0.2", "NodeMesh", "", false},
		{"a", "10.0.0.3", "NodeMesh", "", false},
		{"edge", "10.0.0.1", "NodeMesh", "", false},
	} {
		for _, s := range mustNode(t, topo, tc.node).Sessions {
			if s.PeerIP.String() == tc.peer && string(s.Type) == tc.typ && (s.Peer != tc.origin || s.Reverse != tc.reverse) {
				t.Errorf("node %s session %s %s: peer %q reverse %v, want %q %v", tc.node, tc.peer, tc.typ, s.Peer, s.Reverse, tc.origin, tc.reverse)
			}
		}
	}
	var forward, reverse int
	for _, n := range topo.Nodes {
		for _, s := range n.Sessions {
			switch {
			case s.Type == "NodeMesh":
			case s.Peer == "rack-to-edge" && !s.Reverse && n.Node == "a":
				forward++
			case s.Peer == "rack-to-edge" && s.Reverse && n.Node == "edge":
				reverse++
			default:
				t.Errorf("node %s: unexpected session %+v", n.Node, s)
			}
		}
	}
	if forward != 1 || reverse != 1 {
		t.Errorf("rack-to-edge makes %d forward and %d reverse sessions, want 1 and 1", forward, reverse)
	}
}

// TestComputePeers checks ComputePeers gives what Compute gives less the
// mesh sessions and the advertised routes, on clusters with the mesh on and
// off.
func TestComputePeers(t *testing.T) {
	for name, in := range map[string]Input{
		"full mesh":        benchCluster(60, 0),
		"route reflectors": benchCluster(60, 2),
		"three nodes":      inputFrom(t, append(slices.Clone(threeNodes), peerYAML("p", "nodeSelector: all()\npeerIP: 10.0.0.1\nasNumber: 64512"))...),
	} {
		t.Run(name, func(t *testing.T) {
			full, peers := Compute(in), ComputePeers(in)
			if len(full.Nodes) != len(peers.Nodes) {
				t.Fatalf("%d nodes, want %d", len(peers.Nodes), len(full.Nodes))
			}
			for i, n := range full.Nodes {
				n.Sessions = slices.DeleteFunc(slices.Clone(n.Sessions), func(s Session) bool { return s.Type == "NodeMesh" })
				n.Advertised, n.Communities = nil, nil
				p := peers.Nodes[i]
				if !slices.EqualFunc(n.Sessions, p.Sessions, equalSession) || !slices.Equal(n.Skipped, p.Skipped) ||
					n.Node != p.Node || n.LocalAS != p.LocalAS || n.RouteReflector != p.RouteReflector || n.ClusterID != p.ClusterID || n.ListenPort != p.ListenPort {
					t.Errorf("node %s:\n Compute      %+v\n ComputePeers %+v", n.Node, n, p)
				}
				if p.Advertised != nil || p.Communities != nil {
					t.Errorf("node %s: ComputePeers gives advertised routes", p.Node)
				}
			}
		})
	}
}
