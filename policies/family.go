package policies

import (
	"net/netip"
	"strings"
)

// FamilyError is the error CheckFamily returns for a flow that cannot be of
// one IP family: its ends have addresses of different families only, or the
// protocol belongs to one family (ICMP to IPv4, ICMPv6 to IPv6) and an end
// has no address of it.
type FamilyError struct {
	Protocol uint8
	// Source and Destination are the addresses each end may use: the
	// peer's IP, or else its endpoint's addresses.
	Source, Destination []netip.Addr
}

func (e *FamilyError) Error() string {
	src, dst := familiesOf(e.Source), familiesOf(e.Destination)
	if src&dst == 0 {
		return "source " + addrList(e.Source) + " is " + familyName(src) + " and destination " + addrList(e.Destination) +
			" is " + familyName(dst) + ": they have no IP family in common"
	}
	only := fam4
	if e.Protocol == ProtoICMPv6 {
		only = fam6
	}
	end, addrs := "source", e.Source
	if familiesOf(e.Source)&only != 0 {
		end, addrs = "destination", e.Destination
	}
	return protoName(e.Protocol) + " is " + familyName(only) + " only, and the " + end + " " + addrList(addrs) + " is " + familyName(familiesOf(addrs))
}

// ProtocolMismatch reports whether the ends share a family and the protocol
// is what rules it out.
func (e *FamilyError) ProtocolMismatch() bool {
	return familiesOf(e.Source)&familiesOf(e.Destination) != 0
}

// CheckFamily returns a *FamilyError when the ends of f share no IP family
// the protocol allows, and nil otherwise. Evaluate evaluates such a flow in
// the protocol's family and says so in a note; a caller that asks about one
// flow should refuse it instead. An end without an address (a pod with no
// IPs, a hypothetical pod) may be of either family.
func (e *Engine) CheckFamily(f Flow) error {
	ignore := func(string, ...any) {}
	src := peerAddrs(f.Source, e.endpointOf(f.Source, "source", ignore))
	dst := peerAddrs(f.Destination, e.endpointOf(f.Destination, "destination", ignore))
	if _, ok := chooseFamily(f.Protocol, src, dst); ok {
		return nil
	}
	return &FamilyError{Protocol: f.Protocol, Source: src, Destination: dst}
}

func familyName(f families) string {
	switch f {
	case fam4:
		return "IPv4"
	case fam6:
		return "IPv6"
	}
	return "IPv4 and IPv6"
}

func addrList(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.Unmap().String()
	}
	return strings.Join(s, ", ")
}
