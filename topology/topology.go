package topology

import (
	"net/netip"
	"sort"
	"time"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// Topology is the BGP configuration of every node of a cluster.
type Topology struct {
	// Nodes holds one entry per node of the input, sorted by name.
	Nodes []NodeTopology `json:"nodes"`
	// Problems describes what could not be computed, sorted. Each is a
	// sentence naming the object and what to do.
	Problems []string `json:"problems,omitempty"`
}

// NodeTopology is one node's BGP speaker configuration.
type NodeTopology struct {
	Node string `json:"node"`
	// LocalAS is the node's AS: its own, or the cluster's. A BGPPeer's
	// localASNumber overrides it per session (Session.LocalAS).
	LocalAS numorstring.ASNumber `json:"localAS"`
	// RouterID is the node's IPv4 address, Calico's default router ID; it
	// is invalid when the node has none (Calico then needs
	// CALICO_ROUTER_ID, which is node configuration outside Git).
	RouterID netip.Addr `json:"routerID,omitzero"`
	// RouteReflector is true when the node has a route-reflector cluster
	// ID, which ClusterID holds.
	RouteReflector bool   `json:"routeReflector,omitempty"`
	ClusterID      string `json:"clusterID,omitempty"`
	// ListenPort is the port the node's speaker listens on.
	ListenPort uint16 `json:"listenPort"`
	// Sessions are sorted by peer address, port, type and source.
	Sessions []Session `json:"sessions,omitempty"`
	// Advertised lists the prefixes the node exports, sorted; see the
	// package documentation for exactly what is modelled.
	Advertised []netip.Prefix `json:"advertised,omitempty"`
	// Communities maps a prefixAdvertisements CIDR to the communities added
	// to every exported route inside it, in the order the manifest gives.
	Communities map[netip.Prefix][]string `json:"communities,omitempty"`
	// Skipped lists the BGPPeers' peerings Calico leaves out on this
	// node: one to the node's own address, one of a family the node has no
	// address in, one whose key a global or an earlier peering already
	// holds. Sorted by peer, then key.
	Skipped []Skip `json:"skipped,omitempty"`
}

// Session is one BGP session of a node.
type Session struct {
	PeerIP netip.Addr `json:"peerIP"`
	// Port is the peer's port: 179 unless set.
	Port uint16 `json:"port"`
	// Family is 4 or 6.
	Family  int                  `json:"family"`
	PeerAS  numorstring.ASNumber `json:"peerAS"`
	LocalAS numorstring.ASNumber `json:"localAS"`
	// Type is what CalicoNodeStatus reports: NodeMesh, NodePeer or
	// GlobalPeer (BIRD protocols Mesh_, Node_ and Global_).
	Type v3.BGPPeerType `json:"type"`
	// Source is "mesh", the BGPPeer's name, or "reverse of <name>" for an
	// automatic reverse peering.
	Source string `json:"source"`
	// Peer names the BGPPeer that made the session, "" for a mesh session;
	// Reverse is set when the session is that BGPPeer's automatic reverse
	// peering, run by a node the BGPPeer names as its peer.
	Peer    string `json:"peer,omitempty"`
	Reverse bool   `json:"reverse,omitempty"`
	// PeerNode names the Calico node at PeerIP, if any.
	PeerNode string `json:"peerNode,omitempty"`
	// Passive is the lexical rule: this side waits for the peer to connect.
	Passive bool `json:"passive,omitempty"`
	// IBGP is PeerAS == LocalAS.
	IBGP bool `json:"ibgp,omitempty"`
	// RRClient is true when this node is a route reflector and the peer its
	// client; ClusterID is then the reflector's cluster ID.
	RRClient  bool   `json:"rrClient,omitempty"`
	ClusterID string `json:"clusterID,omitempty"`
	// NextHop is Auto (BGP's default), Self or Keep.
	NextHop v3.NextHopMode `json:"nextHop"`
	// Password says a password is configured; the secret is never here.
	Password bool `json:"password,omitempty"`
	// TTLSecurity, when above 0, is GTSM with that many hops. Multihop is
	// always true: Calico's template makes every session multihop, with no
	// hop limit unless TTLSecurity sets one.
	TTLSecurity uint8 `json:"ttlSecurity,omitempty"`
	Multihop    bool  `json:"multihop"`
	// GracefulRestart is the graceful-restart time, whole seconds.
	GracefulRestart time.Duration `json:"gracefulRestart"`
	// Keepalive is the keepalive time, whole seconds, when set.
	Keepalive *time.Duration `json:"keepalive,omitempty"`
	// AllowLocalAS is BIRD's "allow local as N"; 0 when off.
	AllowLocalAS int32 `json:"allowLocalAS,omitempty"`
	// Filters names the BGPFilters applied, in order; names of filters that
	// do not exist are left out, as Calico applies none (a Problem says so).
	Filters []string `json:"filters,omitempty"`
	// SourceAddress is true when the node's address is pinned as the TCP
	// source (sourceAddress UseNodeIP, and every mesh session).
	SourceAddress bool `json:"sourceAddress,omitempty"`
	// ReachableBy is the gateway of the static host route to the peer.
	ReachableBy netip.Addr `json:"reachableBy,omitzero"`
}

// Pair is two nodes with at least one session between them, A < B.
type Pair struct {
	A, B string
}

// Node returns the topology of the named node.
func (t Topology) Node(name string) (NodeTopology, bool) {
	i := sort.Search(len(t.Nodes), func(i int) bool { return t.Nodes[i].Node >= name })
	if i < len(t.Nodes) && t.Nodes[i].Node == name {
		return t.Nodes[i], true
	}
	return NodeTopology{}, false
}

// SessionCount returns the number of sessions of all nodes together. A
// session between two nodes is configured on both, so it counts twice; Pairs
// counts node pairs once.
func (t Topology) SessionCount() int {
	n := 0
	for i := range t.Nodes {
		n += len(t.Nodes[i].Sessions)
	}
	return n
}

// Pairs returns the unordered pairs of nodes with a session between them, in
// either direction and any family, sorted.
func (t Topology) Pairs() []Pair {
	seen := map[Pair]bool{}
	for i := range t.Nodes {
		n := &t.Nodes[i]
		for j := range n.Sessions {
			peer := n.Sessions[j].PeerNode
			if peer == "" || peer == n.Node {
				continue
			}
			p := Pair{A: n.Node, B: peer}
			if p.B < p.A {
				p.A, p.B = p.B, p.A
			}
			seen[p] = true
		}
	}
	out := make([]Pair, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}
