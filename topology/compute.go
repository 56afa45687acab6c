package topology

import (
	"cmp"
	"slices"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// Compute returns the BGP configuration of every node of in. It never
// fails: what it cannot use is described in Topology.Problems.
func Compute(in Input) Topology {
	return compute(&in, nil, false)
}

// ComputePeers returns what Compute returns less the mesh sessions and
// what nodes advertise (Advertised, Communities): every session a BGPPeer
// makes, directly or as its reverse peering, with the same skips. Problems
// are those of the nodes and BGPPeers; two sessions with the same peer are
// looked for among the BGPPeers' sessions only. It is for validation, whose
// checks are about BGPPeers: its cost grows with the sessions BGPPeers make,
// not with the N(N-1) sessions of a full mesh nor with nodes times pools.
// When the mesh is off, its sessions are Compute's.
func ComputePeers(in Input) Topology {
	return compute(&in, nil, true)
}

// ComputeNode returns the BGP configuration of the named node alone: a
// Topology whose Nodes hold that node (none when in has no such node), with
// the same NodeTopology Compute gives it. It is for the node agent, which
// needs its own sessions only: in a full mesh of N nodes it makes N-1
// sessions where Compute makes N(N-1). Problems are the cluster's, except
// that only this node's sessions are checked for duplicates.
func ComputeNode(in Input, name string) Topology {
	return compute(&in, &name, false)
}

// compute computes the topology of every node, or of the one named by
// only; peersOnly leaves out the mesh and the exports.
func compute(in *Input, only *string, peersOnly bool) Topology {
	c := newCluster(in)
	var out []NodeTopology
	for _, n := range c.nodes {
		if only == nil || n.Name == *only {
			out = append(out, NodeTopology{})
		}
	}
	i := 0
	for _, n := range c.nodes {
		if only != nil && n.Name != *only {
			continue // n.out stays nil: nothing is placed on n
		}
		n.out = &out[i]
		i++
		*n.out = NodeTopology{
			Node:           n.Name,
			LocalAS:        n.as,
			RouterID:       n.addr[v4],
			RouteReflector: n.RouteReflectorClusterID != "",
			ClusterID:      n.RouteReflectorClusterID,
			ListenPort:     n.port,
		}
		if n.out.ListenPort == 0 {
			n.out.ListenPort = v3.DefaultListenPort
		}
	}
	c.addPeers(in.Peers)
	if !peersOnly {
		c.addMesh() // after the peers: it merges their sessions in
		c.addExports(in.Blocks)
	}
	for _, n := range c.nodes {
		if n.out != nil {
			c.finish(n)
		}
	}
	return Topology{Nodes: out, Problems: c.problems.sorted()}
}

// finish sorts a node's sessions and skips, and reports two sessions with
// the same peer address and port: Calico keys peerings by the port as
// written, so a mesh or global session and one with an explicit :179 can
// coexist, and the daemons cannot establish both.
func (c *cluster) finish(n *node) {
	s := sortSessions(n.out.Sessions)
	n.out.Sessions = s
	for i := 1; i < len(s); i++ {
		if s[i].PeerIP == s[i-1].PeerIP && s[i].Port == s[i-1].Port {
			c.problems.addf("node %s is given two sessions with %s port %d (%s and %s): only one can be established; remove one", n.Name, s[i].PeerIP, s[i].Port, s[i-1].Source, s[i].Source)
		}
	}
	slices.SortFunc(n.out.Skipped, compareSkips)
}

// sortSessions returns s sorted. Sessions are large, so beyond a few it
// sorts their indexes and then moves each session once.
func sortSessions(s []Session) []Session {
	if slices.IsSortedFunc(s, compareSessions) {
		return s
	}
	if len(s) <= 32 {
		slices.SortFunc(s, compareSessions)
		return s
	}
	idx := make([]int32, len(s))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int { return compareSessions(s[i], s[j]) })
	out := make([]Session, len(s))
	for k, i := range idx {
		out[k] = s[i]
	}
	return out
}

func compareSessions(a, b Session) int {
	if c := a.PeerIP.Compare(b.PeerIP); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Port, b.Port); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return cmp.Compare(a.Source, b.Source)
}
