package policies

import (
	"net/netip"
)

// IANA protocol numbers the engine names.
const (
	ProtoICMP   uint8 = 1
	ProtoTCP    uint8 = 6
	ProtoUDP    uint8 = 17
	ProtoICMPv6 uint8 = 58
	ProtoSCTP   uint8 = 132
)

// Flow is one connection attempt: who opens it, to whom, with what.
type Flow struct {
	Source      Peer  `json:"source"`
	Destination Peer  `json:"destination"`
	Protocol    uint8 `json:"protocol"` // IANA number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 132 SCTP)
	// Port is the destination port (0 for protocols without ports).
	Port uint16 `json:"port,omitempty"`
	// SourcePort is optional; 0 matches only rules whose source ports
	// include 0, that is, in practice, rules without source ports.
	SourcePort uint16 `json:"sourcePort,omitempty"`
	// ICMPType and ICMPCode are optional. A rule that matches an ICMP type
	// or code does not match a flow that leaves them unset.
	ICMPType *uint8 `json:"icmpType,omitempty"`
	ICMPCode *uint8 `json:"icmpCode,omitempty"`
}

// Peer is one end of a flow. Set one of Pod (from the inventory, or a
// hypothetical one built by the caller), HostEndpoint (the name of a
// HostEndpoint among the objects) or IP alone (an address outside the
// cluster). With Pod or HostEndpoint, IP optionally says which of the
// endpoint's addresses the flow uses.
type Peer struct {
	Pod          *Pod       `json:"pod,omitempty"`
	HostEndpoint string     `json:"hostEndpoint,omitempty"`
	IP           netip.Addr `json:"ip,omitzero"`
}

// family returns the IP family of an address (4 or 6), 0 for none.
func family(a netip.Addr) int {
	switch {
	case !a.IsValid():
		return 0
	case a.Unmap().Is4():
		return 4
	default:
		return 6
	}
}

// families is a set of IP families as a bit set: 1<<4 and 1<<6.
type families uint8

const (
	fam4    families = 1 << 4
	fam6    families = 1 << 6
	famBoth          = fam4 | fam6
)

// familiesOf returns the families of addrs, or both when there are none
// (an end without addresses could have either).
func familiesOf(addrs []netip.Addr) families {
	var f families
	for _, a := range addrs {
		f |= families(1) << family(a)
	}
	f &= famBoth
	if f == 0 {
		return famBoth
	}
	return f
}

// chooseFamily picks the IP family of a flow: the one both ends have and the
// protocol allows, IPv4 when either would do. It reports false when the ends
// share no family, in which case it picks by the protocol alone.
func chooseFamily(protocol uint8, src, dst []netip.Addr) (int, bool) {
	allowed := famBoth
	switch protocol {
	case ProtoICMP:
		allowed = fam4
	case ProtoICMPv6:
		allowed = fam6
	}
	f := allowed & familiesOf(src) & familiesOf(dst)
	ok := f != 0
	if !ok {
		f = allowed
	}
	if f&fam4 != 0 {
		return 4, ok
	}
	return 6, ok
}

// pickAddr returns the first of addrs in family fam, or the zero Addr.
func pickAddr(addrs []netip.Addr, fam int) netip.Addr {
	for _, a := range addrs {
		if family(a) == fam {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}
