package topology

import (
	"slices"
	"testing"
)

// The usual route-reflector setup: mesh off, and every node peering with the
// nodes labelled as reflectors.
var peerWithReflectors = peerYAML("peer-with-rrs", `nodeSelector: all()
peerSelector: rr == 'true'`)

func TestRouteReflectors(t *testing.T) {
	type want struct {
		peers     []string // peersOf the node
		rrClients []string // addresses toward which the node is a reflector
		clusterID string   // the cluster ID on those sessions
	}
	for _, tc := range []struct {
		name  string
		nodes []string
		want  map[string]want
	}{
		{
			// Clients peer only with the reflectors. Each reflector peers
			// with every client (the reverse peerings of peer-with-rrs)
			// and, through peer-with-rrs itself, with the other
			// reflector: same cluster ID, so ordinary iBGP.
			name: "one cluster ID",
			nodes: []string{
				nodeYAML("rr1", "rr: 'true'", "ipv4Address: 10.0.0.1/24, routeReflectorClusterID: 244.0.0.1"),
				nodeYAML("rr2", "rr: 'true'", "ipv4Address: 10.0.0.2/24, routeReflectorClusterID: 244.0.0.1"),
				nodeYAML("c1", "", "ipv4Address: 10.0.0.11/24"),
				nodeYAML("c2", "", "ipv4Address: 10.0.0.12/24"),
				nodeYAML("c3", "", "ipv4Address: 10.0.0.13/24"),
			},
			want: map[string]want{
				"rr1": {
					peers: []string{
						"10.0.0.2:179/NodePeer/peer-with-rrs",
						"10.0.0.11:179/NodePeer/reverse of peer-with-rrs",
						"10.0.0.12:179/NodePeer/reverse of peer-with-rrs",
						"10.0.0.13:179/NodePeer/reverse of peer-with-rrs",
					},
					rrClients: []string{"10.0.0.11", "10.0.0.12", "10.0.0.13"},
					clusterID: "244.0.0.1",
				},
				"rr2": {
					peers: []string{
						"10.0.0.1:179/NodePeer/peer-with-rrs",
						"10.0.0.11:179/NodePeer/reverse of peer-with-rrs",
						"10.0.0.12:179/NodePeer/reverse of peer-with-rrs",
						"10.0.0.13:179/NodePeer/reverse of peer-with-rrs",
					},
					rrClients: []string{"10.0.0.11", "10.0.0.12", "10.0.0.13"},
					clusterID: "244.0.0.1",
				},
				"c1": {peers: []string{"10.0.0.1:179/NodePeer/peer-with-rrs", "10.0.0.2:179/NodePeer/peer-with-rrs"}},
				"c3": {peers: []string{"10.0.0.1:179/NodePeer/peer-with-rrs", "10.0.0.2:179/NodePeer/peer-with-rrs"}},
			},
		},
		{
			// Reflectors of different clusters each treat the other as
			// a client.
			name: "two cluster IDs",
			nodes: []string{
				nodeYAML("rr1", "rr: 'true'", "ipv4Address: 10.0.0.1/24, routeReflectorClusterID: 244.0.0.1"),
				nodeYAML("rr2", "rr: 'true'", "ipv4Address: 10.0.0.2/24, routeReflectorClusterID: 244.0.0.2"),
				nodeYAML("c1", "", "ipv4Address: 10.0.0.11/24"),
			},
			want: map[string]want{
				"rr1": {
					peers:     []string{"10.0.0.2:179/NodePeer/peer-with-rrs", "10.0.0.11:179/NodePeer/reverse of peer-with-rrs"},
					rrClients: []string{"10.0.0.2", "10.0.0.11"},
					clusterID: "244.0.0.1",
				},
				"rr2": {
					peers:     []string{"10.0.0.1:179/NodePeer/peer-with-rrs", "10.0.0.11:179/NodePeer/reverse of peer-with-rrs"},
					rrClients: []string{"10.0.0.1", "10.0.0.11"},
					clusterID: "244.0.0.2",
				},
				"c1": {peers: []string{"10.0.0.1:179/NodePeer/peer-with-rrs", "10.0.0.2:179/NodePeer/peer-with-rrs"}},
			},
		},
		{
			// A client in another AS is an eBGP peer, never an rr client.
			name: "eBGP client",
			nodes: []string{
				nodeYAML("rr1", "rr: 'true'", "ipv4Address: 10.0.0.1/24, routeReflectorClusterID: 244.0.0.1"),
				nodeYAML("c1", "", "ipv4Address: 10.0.0.11/24, asNumber: 65001"),
			},
			want: map[string]want{
				"rr1": {peers: []string{"10.0.0.11:179/NodePeer/reverse of peer-with-rrs"}},
				"c1":  {peers: []string{"10.0.0.1:179/NodePeer/peer-with-rrs"}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, append([]string{bgpConfigYAML("default", meshOff), peerWithReflectors}, tc.nodes...)...)
			noProblems(t, topo)
			for name, w := range tc.want {
				n := mustNode(t, topo, name)
				if got := peersOf(n); !slices.Equal(got, w.peers) {
					t.Errorf("node %s sessions:\n got  %q\n want %q", name, got, w.peers)
				}
				var clients []string
				for _, s := range n.Sessions {
					if s.RRClient {
						clients = append(clients, s.PeerIP.String())
						if s.ClusterID != w.clusterID {
							t.Errorf("node %s toward %s: cluster ID %q, want %q", name, s.PeerIP, s.ClusterID, w.clusterID)
						}
					} else if s.ClusterID != "" {
						t.Errorf("node %s toward %s: cluster ID %q on a non-client session", name, s.PeerIP, s.ClusterID)
					}
					if s.Passive {
						t.Errorf("node %s toward %s: passive; node-specific sessions are never made passive", name, s.PeerIP)
					}
				}
				if !slices.Equal(clients, w.rrClients) {
					t.Errorf("node %s is reflector toward %q, want %q", name, clients, w.rrClients)
				}
				if n.RouteReflector != (n.ClusterID != "") {
					t.Errorf("node %s: RouteReflector %v with cluster ID %q", name, n.RouteReflector, n.ClusterID)
				}
			}
		})
	}
}

// TestRouteReflectorPeerIP checks confd's handling of peerIP peers by a
// reflector: it knows no cluster ID for them, so an iBGP ToR, and even
// another reflector reached by its address, is an rr client.
func TestRouteReflectorPeerIP(t *testing.T) {
	topo := computeYAML(t,
		bgpConfigYAML("default", meshOff),
		nodeYAML("rr1", "", "ipv4Address: 10.0.0.1/24, routeReflectorClusterID: 244.0.0.1"),
		nodeYAML("rr2", "", "ipv4Address: 10.0.0.2/24, routeReflectorClusterID: 244.0.0.1"),
		peerYAML("tor-ibgp", `node: rr1
peerIP: 192.0.2.1
asNumber: 64512`),
		peerYAML("tor-ebgp", `node: rr1
peerIP: 192.0.2.2
asNumber: 65000`),
		peerYAML("rr1-to-rr2", `node: rr1
peerIP: 10.0.0.2
asNumber: 64512
reversePeering: Manual`))
	noProblems(t, topo)
	rr1 := mustNode(t, topo, "rr1")
	for addr, client := range map[string]bool{"192.0.2.1": true, "192.0.2.2": false, "10.0.0.2": true} {
		if s := sessionTo(t, rr1, addr); s.RRClient != client {
			t.Errorf("rr1 toward %s: rr client %v, want %v", addr, s.RRClient, client)
		}
	}
	if got := len(mustNode(t, topo, "rr2").Sessions); got != 0 {
		t.Errorf("rr2 has %d sessions; reversePeering Manual should leave it none", got)
	}
}
