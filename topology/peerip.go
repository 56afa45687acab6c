package topology

import (
	"net"
	"net/netip"
	"strconv"
)

// peerAddress is a BGPPeer's peerIP as confd reads it.
type peerAddress struct {
	// host is the address as written: confd matches it against node
	// addresses as text.
	host string
	addr netip.Addr
	// port is 0 when the peerIP gives none.
	port uint16
}

// parsePeerIP reads a peerIP the way confd's parseIPPort does: split
// "host:port" or "[host]:port" when that works and the port is a 16-bit
// number (in any base strconv accepts with base 0, as confd's does),
// otherwise take the whole string as the address. An IPv4-mapped IPv6
// address is the IPv4 address, as Go's net.IP treats it.
func parsePeerIP(s string) (peerAddress, bool) {
	pa := peerAddress{host: s}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if p, err := strconv.ParseUint(port, 0, 16); err == nil {
			pa.host, pa.port = host, uint16(p)
		}
	}
	a, err := netip.ParseAddr(pa.host)
	if err != nil || a.Zone() != "" {
		return peerAddress{}, false
	}
	pa.addr = a.Unmap()
	return pa, true
}
