package topology

import (
	"cmp"
	"fmt"
	"net/netip"
)

// SkipReason says why Calico leaves a BGPPeer's peering out on a node.
type SkipReason string

// Skip reasons, in the order they are decided: a peering to the node's own
// address, or of a family it has no address in, gives no session whoever
// holds its key.
const (
	// SkipOwnAddress: the peer address is the node's own.
	SkipOwnAddress SkipReason = "OwnAddress"
	// SkipNoAddress: the node has no address of the peer's family.
	SkipNoAddress SkipReason = "NoAddressOfFamily"
	// SkipHeldByGlobal: a global BGPPeer, HeldBy, already peers with that
	// address and port on every node.
	SkipHeldByGlobal SkipReason = "HeldByGlobalPeer"
	// SkipHeldByPeer: an earlier node-specific BGPPeer, HeldBy, already
	// gives the node that peering.
	SkipHeldByPeer SkipReason = "HeldByEarlierPeer"
)

// Skip is a peering a BGPPeer gives a node that Calico leaves out. Only
// peerings worth telling are listed: a peerIP one for any reason, a
// peerSelector one when another BGPPeer holds its key (a selector that also
// selects the node itself, or nodes of a family it lacks, is not news), and
// never an automatic reverse peering.
type Skip struct {
	// Peer is the BGPPeer whose peering is left out.
	Peer string `json:"peer"`
	// PeerIP and Port are the peering's key; Port is 0 when the BGPPeer
	// gives none.
	PeerIP netip.Addr `json:"peerIP"`
	Port   uint16     `json:"port,omitempty"`
	Reason SkipReason `json:"reason"`
	// HeldBy names the BGPPeer that holds the key, for SkipHeldByGlobal
	// and SkipHeldByPeer.
	HeldBy string `json:"heldBy,omitempty"`
}

// String says what is skipped and why, as a sentence.
func (s Skip) String() string {
	what := fmt.Sprintf("BGPPeer %s: peering with %s skipped", s.Peer, keyText(peerKey{addr: s.PeerIP, port: s.Port}))
	switch s.Reason {
	case SkipOwnAddress:
		return what + ": it is the node's own address"
	case SkipNoAddress:
		return fmt.Sprintf("%s: the node has no IPv%d address", what, 4+2*familyOf(s.PeerIP))
	case SkipHeldByGlobal:
		return fmt.Sprintf("%s: the global BGPPeer %s already peers with it", what, s.HeldBy)
	case SkipHeldByPeer:
		return fmt.Sprintf("%s: BGPPeer %s already gives this node that peering (Calico keeps whichever it reads first, which is not defined)", what, s.HeldBy)
	}
	return what
}

func compareSkips(a, b Skip) int {
	if c := cmp.Compare(a.Peer, b.Peer); c != 0 {
		return c
	}
	if c := a.PeerIP.Compare(b.PeerIP); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Port, b.Port); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Reason, b.Reason); c != 0 {
		return c
	}
	return cmp.Compare(a.HeldBy, b.HeldBy)
}
