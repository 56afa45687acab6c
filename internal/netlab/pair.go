package netlab

import (
	"fmt"
	"net/netip"
	"strings"
)

// BirdSession describes a bird.conf with one BGP protocol that imports and
// exports everything over the address family of Neighbor, with BirdTimers.
type BirdSession struct {
	Name            string
	RouterID, Local netip.Addr
	LocalAS         uint32
	Neighbor        netip.Addr
	PeerAS          uint32
	// Options are more protocol lines, e.g. `password "x";`.
	Options []string
	// Static routes (blackholes) give the protocol something to export.
	Static []netip.Prefix
}

// Config returns the bird.conf.
func (s BirdSession) Config() string {
	family := "ipv4"
	if s.Neighbor.Is6() {
		family = "ipv6"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "router id %s;\nprotocol device {}\n", s.RouterID)
	if len(s.Static) > 0 {
		fmt.Fprintf(&b, "protocol static {\n  %s;\n", family)
		for _, p := range s.Static {
			fmt.Fprintf(&b, "  route %s blackhole;\n", p)
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "protocol bgp %s {\n  local %s as %d;\n  neighbor %s as %d;\n  %s\n", s.Name, s.Local, s.LocalAS, s.Neighbor, s.PeerAS, BirdTimers)
	for _, o := range s.Options {
		fmt.Fprintf(&b, "  %s\n", o)
	}
	fmt.Fprintf(&b, "  %s { import all; export all; };\n}\n", family)
	return b.String()
}

// BirdBGP is BirdSession{...}.Config() for the common case.
func BirdBGP(name string, routerID netip.Addr, local netip.Addr, localAS uint32, neighbor netip.Addr, peerAS uint32, static ...netip.Prefix) string {
	return BirdSession{Name: name, RouterID: routerID, Local: local, LocalAS: localAS, Neighbor: neighbor, PeerAS: peerAS, Static: static}.Config()
}
