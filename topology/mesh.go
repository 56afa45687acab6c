package topology

import (
	"slices"
	"sort"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// addMesh gives every node that is not a route reflector a session, per
// family, with every other such node that has an address of that family.
func (c *cluster) addMesh() {
	if !c.meshOn {
		return
	}
	// The members of each family's mesh, as targets in address order:
	// made in that order, v4 before v6, a node's mesh sessions come out
	// sorted.
	var targets [2][]target
	for f := range 2 {
		var members []*node
		for _, n := range c.nodes {
			if n.addr[f].IsValid() && n.RouteReflectorClusterID == "" {
				members = append(members, n)
			}
		}
		sort.SliceStable(members, func(i, j int) bool { return members[i].addr[f].Less(members[j].addr[f]) })
		targets[f] = make([]target, len(members))
		for i, m := range members {
			targets[f][i] = *nodeTarget(m, f, c.mesh)
		}
	}
	for _, n := range c.nodes {
		if n.RouteReflectorClusterID != "" || n.out == nil {
			continue
		}
		// The node's explicit sessions, placed before the mesh, are
		// merged in as the mesh sessions are made, so that the result is
		// sorted without sorting it.
		explicit := n.out.Sessions
		slices.SortFunc(explicit, compareSessions)
		size := len(explicit)
		for f := range 2 {
			if n.addr[f].IsValid() {
				size += len(targets[f]) - 1
			}
		}
		out := make([]Session, 0, size)
		for f := range 2 {
			if !n.addr[f].IsValid() {
				continue
			}
			for i := range targets[f] {
				t := &targets[f][i]
				if t.key.addr == n.addr[f] {
					continue // itself, or a node sharing its address
				}
				s := n.session(t, v3.BGPPeerTypeNodeMesh)
				for len(explicit) > 0 && compareSessions(explicit[0], s) < 0 {
					out, explicit = append(out, explicit[0]), explicit[1:]
				}
				out = append(out, s)
			}
		}
		n.out.Sessions = append(out, explicit...)
	}
}
