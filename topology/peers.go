package topology

import (
	"net/netip"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// plan is a BGPPeer read once: its settings, the peerings it makes and, for
// a node-specific peer, the nodes that get them.
type plan struct {
	peer    *v3.BGPPeer
	global  bool
	set     *settings
	targets []*target
	locals  []*node
}

// addPeers places the BGPPeers' sessions in confd's order: every global
// peering first, then the node-specific ones, then the reverse peerings, so
// that an earlier claim on a key wins.
func (c *cluster) addPeers(in []*v3.BGPPeer) {
	var plans []*plan
	seen := map[string]bool{}
	for _, p := range sortedByName(in, func(p *v3.BGPPeer) string { return p.Name }) {
		if seen[p.Name] {
			c.problems.addf("BGPPeer %s is given twice; the first is used", p.Name)
			continue
		}
		seen[p.Name] = true
		plans = append(plans, c.plan(p))
	}

	for _, pl := range plans {
		if pl.global {
			c.claimGlobal(pl)
		}
	}
	for _, n := range c.nodes {
		for _, t := range c.globals {
			n.place(t, v3.BGPPeerTypeGlobalPeer)
		}
		for _, d := range c.globalDups {
			n.shadow(d, v3.BGPPeerTypeGlobalPeer)
		}
	}
	for _, pl := range plans {
		if pl.global {
			continue
		}
		for _, n := range pl.locals {
			for _, t := range pl.targets {
				n.claim(c, t, true)
			}
		}
	}
	for _, pl := range plans {
		c.reverse(pl)
	}
}

// plan reads a BGPPeer.
func (c *cluster) plan(p *v3.BGPPeer) *plan {
	s := &p.Spec
	pl := &plan{peer: p, global: s.Node == "" && s.NodeSelector == "", set: c.peerSettings(p)}
	if !pl.global {
		pl.locals = c.localNodes(p)
	}
	switch {
	case s.LocalWorkloadSelector != "":
		c.problems.addf("BGPPeer %s peers with local workloads (localWorkloadSelector): those sessions depend on the pods running on each node and are not modelled", p.Name)
	case s.PeerSelector != "":
		peers, err := c.selected(s.PeerSelector)
		if err != nil {
			c.problems.addf("BGPPeer %s: peerSelector: %v; it selects no node", p.Name, err)
		}
		for _, peer := range peers {
			for f := range 2 {
				if peer.addr[f].IsValid() {
					pl.targets = append(pl.targets, nodeTarget(peer, f, pl.set))
				}
			}
		}
	case s.PeerIP != "":
		if t := c.peerIPTarget(p, pl.set); t != nil {
			pl.targets = append(pl.targets, t)
		}
	default:
		c.problems.addf("BGPPeer %s has neither peerIP nor peerSelector: it gives no session", p.Name)
	}
	return pl
}

// localNodes returns the nodes a node-specific BGPPeer gives its peerings:
// those of nodeSelector, which wins over node as in confd, or the node.
func (c *cluster) localNodes(p *v3.BGPPeer) []*node {
	if s := p.Spec.NodeSelector; s != "" {
		nodes, err := c.selected(s)
		if err != nil {
			c.problems.addf("BGPPeer %s: nodeSelector: %v; it applies to no node", p.Name, err)
		}
		return nodes
	}
	if n := c.byName[p.Spec.Node]; n != nil {
		return []*node{n}
	}
	c.problems.addf("BGPPeer %s is for node %s, which is not among the nodes: it gives no session", p.Name, p.Spec.Node)
	return nil
}

// peerIPTarget reads a BGPPeer's peerIP into its one peering.
func (c *cluster) peerIPTarget(p *v3.BGPPeer, set *settings) *target {
	pa, ok := parsePeerIP(p.Spec.PeerIP)
	if !ok {
		c.problems.addf("BGPPeer %s: peerIP %q is not an IP address, IPv4:port or [IPv6]:port: Calico skips the peer", p.Name, p.Spec.PeerIP)
		return nil
	}
	t := &target{
		key:      peerKey{addr: pa.addr, port: pa.port},
		addrStr:  pa.addr.String(),
		as:       p.Spec.ASNumber,
		explicit: true,
		set:      set,
	}
	if p.Spec.ASNumber == 0 {
		c.problems.addf("BGPPeer %s: peerIP %s has no asNumber: Calico configures the session with AS 0, which the BGP daemon rejects; set the peer's AS number", p.Name, p.Spec.PeerIP)
	}
	// confd matches the peerIP against node addresses as text.
	if same := c.byAddr[pa.host]; len(same) > 0 {
		t.calicoNode, t.peerNode = true, same[0]
	} else if pa.addr.String() != pa.host {
		if same := c.byAddr[pa.addr.String()]; len(same) > 0 {
			c.problems.addf("BGPPeer %s: peerIP %s is the address of node %s written differently (%s): Calico compares the text, so it does not treat the peer as that node (no reverse peering, no listen port); write %s", p.Name, pa.host, same[0].Name, pa.addr, pa.addr)
		}
	}
	if t.key.port == 0 {
		if nodes := c.nodesWithAddrPortAS(pa.host, p.Spec.ASNumber, 0); len(nodes) > 0 {
			t.key.port = nodes[0].port
		}
	}
	return t
}

// nodesWithAddrPortAS returns the nodes, by name, whose address is host (as
// text), whose AS is as (the cluster's when as is 0) and, when port is not
// 0, that listen on port, by confd's nodesWithIPPortAndAS. Its port test is
// reproduced as written: a node with its own listen port equal to port is
// still excluded when the global listen port is set and differs.
func (c *cluster) nodesWithAddrPortAS(host string, as numorstring.ASNumber, port uint16) []*node {
	want := as
	if want == 0 {
		want = c.globalAS
	}
	var out []*node
	for _, n := range c.byAddr[host] {
		if n.as != want {
			continue
		}
		if port != 0 {
			if n.ownPort != 0 && port != n.ownPort {
				continue
			} else if c.globalPort != 0 && c.globalPort != port {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// claimGlobal files a global BGPPeer's peerings under their keys, which are
// cluster-wide; a key claimed by an earlier global peer is kept by it.
func (c *cluster) claimGlobal(pl *plan) {
	for _, t := range pl.targets {
		if prev, dup := c.globalKeys[t.key]; dup {
			c.problems.addf("global BGPPeers %s and %s both peer with %s: Calico keeps whichever it reads first, which is not defined; tabby keeps %s. Remove one", prev, pl.peer.Name, keyText(t.key), prev)
			c.globalDups = append(c.globalDups, heldTarget{target: t, heldBy: prev})
			continue
		}
		c.globalKeys[t.key] = pl.peer.Name
		c.globals = append(c.globals, t)
	}
}

// reverse adds the automatic reverse peerings of a BGPPeer: the nodes it
// peers with, when they are Calico nodes, peer back with the nodes it is for.
func (c *cluster) reverse(pl *plan) {
	s := &pl.peer.Spec
	if s.ReversePeering != nil && *s.ReversePeering == v3.ReversePeeringManual {
		return
	}
	var (
		locals   []*node
		families []int
	)
	switch {
	case s.LocalWorkloadSelector != "":
		return
	case s.PeerSelector != "":
		locals, _ = c.selected(s.PeerSelector)
		families = []int{v4, v6}
	case s.PeerIP != "":
		pa, ok := parsePeerIP(s.PeerIP)
		if !ok {
			return
		}
		locals = c.nodesWithAddrPortAS(pa.host, s.ASNumber, pa.port)
		families = []int{familyOf(pa.addr)}
	}
	if len(locals) == 0 {
		return
	}
	var peers []*node
	switch {
	case s.NodeSelector != "":
		peers, _ = c.selected(s.NodeSelector)
	case s.Node != "":
		if n := c.byName[s.Node]; n != nil {
			peers = []*node{n}
		}
	default:
		peers = c.nodes
	}
	set := pl.set.reversed()
	for _, p := range peers {
		for _, f := range families {
			if !p.addr[f].IsValid() {
				continue
			}
			t := nodeTarget(p, f, set)
			for _, l := range locals {
				l.claim(c, t, false)
			}
		}
	}
}

// claim files a node-specific peering of n under its key and places it,
// unless n cannot run it (its own address, a family it lacks) or a global
// peering or an earlier node-specific one holds the key. Skips are recorded
// on the node when report is set.
func (n *node) claim(c *cluster, t *target, report bool) {
	if n.out == nil {
		return // not computed (ComputeNode of another node)
	}
	if n.unusable(t) {
		return
	}
	if prev, ok := c.globalKeys[t.key]; ok {
		if report {
			n.skip(t, SkipHeldByGlobal, prev)
		}
		return
	}
	if prev, ok := n.claims[t.key]; ok {
		if report {
			n.skip(t, SkipHeldByPeer, prev)
		}
		return
	}
	if n.claims == nil {
		n.claims = map[peerKey]string{}
	}
	n.claims[t.key] = t.set.peer
	n.out.Sessions = append(n.out.Sessions, n.session(t, v3.BGPPeerTypeNodePeer))
}

// place adds the session of peering t to n, unless n cannot run it.
func (n *node) place(t *target, typ v3.BGPPeerType) {
	if n.out != nil && !n.unusable(t) {
		n.out.Sessions = append(n.out.Sessions, n.session(t, typ))
	}
}

// shadow records on n that peering h.target is left out because h.heldBy
// holds its key, unless n could not run it anyway.
func (n *node) shadow(h heldTarget, typ v3.BGPPeerType) {
	if n.out == nil || n.unusable(h.target) {
		return
	}
	reason := SkipHeldByPeer
	if typ == v3.BGPPeerTypeGlobalPeer {
		reason = SkipHeldByGlobal
	}
	n.skip(h.target, reason, h.heldBy)
}

// unusable reports whether n cannot run peering t at all: it has no address
// of t's family, or t is its own address, which BIRD's templates skip. This
// is decided before who holds the key, so that a skip gives the reason that
// would remain if the other BGPPeers were removed. A peerIP peering skipped
// so is recorded.
func (n *node) unusable(t *target) bool {
	f := familyOf(t.key.addr)
	var reason SkipReason
	switch {
	case !n.addr[f].IsValid():
		reason = SkipNoAddress
	case t.key.addr == n.addr[f]:
		reason = SkipOwnAddress
	default:
		return false
	}
	if t.explicit {
		n.skip(t, reason, "")
	}
	return true
}

func (n *node) skip(t *target, reason SkipReason, heldBy string) {
	n.out.Skipped = append(n.out.Skipped, Skip{Peer: t.set.peer, PeerIP: t.key.addr, Port: t.key.port, Reason: reason, HeldBy: heldBy})
}

// keyText formats a peering key: the address, with the port when the
// BGPPeer gives one.
func keyText(k peerKey) string {
	if k.port == 0 {
		return k.addr.String()
	}
	return netip.AddrPortFrom(k.addr, k.port).String()
}
