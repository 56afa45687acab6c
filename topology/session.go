package topology

import (
	"slices"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// target is one peering before it is placed on a node: a peer address and
// port, with what confd knows of the peer.
type target struct {
	key     peerKey
	addrStr string // key.addr as text, for the lexical passive rule
	as      numorstring.ASNumber
	// peerNode is the Calico node at the address, if any.
	peerNode *node
	// calicoNode is confd's calico_node flag, which turns on the lexical
	// passive rule for mesh and global sessions.
	calicoNode bool
	// rrID is the remote node's route-reflector cluster ID. confd knows it
	// only for peers derived from a node (mesh, peerSelector, reverse
	// peerings), not for a peerIP, even one that is a node's address.
	rrID string
	// explicit is true for a peerIP peering: skipping it is reported,
	// whereas a node never peering with itself through a selector is not
	// news.
	explicit bool
	set      *settings
}

// nodeTarget returns node p, in family f, as a peer with the settings set.
func nodeTarget(p *node, f int, set *settings) *target {
	return &target{
		key:        peerKey{addr: p.addr[f], port: p.port},
		addrStr:    p.addrStr[f],
		as:         p.as,
		peerNode:   p,
		calicoNode: true,
		rrID:       p.RouteReflectorClusterID,
		set:        set,
	}
}

// session returns the session node n runs for peering t, of type typ, as
// BIRD's templates configure it.
func (n *node) session(t *target, typ v3.BGPPeerType) Session {
	f := familyOf(t.key.addr)
	set := t.set
	s := Session{
		PeerIP:          t.key.addr,
		Port:            t.key.port,
		Family:          4 + 2*f,
		PeerAS:          t.as,
		LocalAS:         n.as,
		Type:            typ,
		Source:          set.source,
		Peer:            set.peer,
		Reverse:         set.reverse,
		NextHop:         v3.NextHopModeAuto,
		Password:        set.password,
		TTLSecurity:     set.ttlSecurity,
		Multihop:        true,
		GracefulRestart: set.gracefulRestart,
		AllowLocalAS:    set.allowLocalAS,
		Filters:         slices.Clone(set.filters),
		SourceAddress:   set.sourceAddress,
		ReachableBy:     set.reachableBy,
	}
	if s.Port == 0 {
		s.Port = v3.DefaultListenPort
	}
	if t.peerNode != nil {
		s.PeerNode = t.peerNode.Name
	}
	if set.hasLocalAS {
		s.LocalAS = set.localAS
	}
	if set.keepalive != nil {
		k := *set.keepalive
		s.Keepalive = &k
	}
	s.IBGP = s.PeerAS == s.LocalAS
	if id := n.RouteReflectorClusterID; id != "" && s.IBGP && t.rrID != id {
		s.RRClient, s.ClusterID = true, id
	}
	switch set.nextHopMode {
	case v3.NextHopModeSelf, v3.NextHopModeKeep:
		s.NextHop = set.nextHopMode
	case "":
		// The deprecated keepOriginalNextHop applies to eBGP only.
		if set.keepOriginalNextHop && !s.IBGP {
			s.NextHop = v3.NextHopModeKeep
		}
	}
	if (typ == v3.BGPPeerTypeNodeMesh || typ == v3.BGPPeerTypeGlobalPeer) && t.calicoNode && t.addrStr > n.addrStr[f] {
		s.Passive = true
	}
	return s
}
