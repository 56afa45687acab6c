package validate

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// Calico validates addresses with several validators that differ in what
// they accept. Each function here is one of them, named for it.

// parseNet is Calico's "net" validator (rule nets, service CIDRs, prefix
// advertisements): a CIDR, or a bare IP when bareIP is true, strictly
// masked. A bare IP stands for its host prefix.
func parseNet(s string, bareIP bool) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR", s)
		}
		if !bareIP {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR; write it with a prefix length, e.g. %s/%d", s, s, a.BitLen())
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a valid CIDR", s)
	}
	if p != p.Masked() {
		return netip.Prefix{}, fmt.Errorf("%q is not strictly masked: its host bits are set; did you mean %s?", s, p.Masked())
	}
	return p, nil
}

// parseCIDR is Calico's "cidr" validator (network sets, reservations): a
// CIDR or a bare IP, host bits tolerated. It returns the masked prefix.
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR", s)
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a valid CIDR", s)
	}
	return p.Masked(), nil
}

// parseIPWithPrefix is Calico's "cidrv4" and "cidrv6" validators (a Node's
// BGP addresses): an address of the family, with an optional prefix length;
// host bits are expected. It returns the address and its prefix.
func parseIPWithPrefix(s string, v6 bool) (netip.Addr, netip.Prefix, error) {
	p, err := v3.ParseNodeAddress(s, v6)
	return p.Addr(), p, err
}

// parseIP is Calico's "ip", "ipv4" and "ipv6" validators: a bare address,
// of the given family when family is 4 or 6.
func parseIP(s string, family int) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || a.Is4In6() {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	switch {
	case family == 4 && !a.Is4():
		return netip.Addr{}, fmt.Errorf("%q is not an IPv4 address", s)
	case family == 6 && !a.Is6():
		return netip.Addr{}, fmt.Errorf("%q is not an IPv6 address", s)
	}
	return a, nil
}

// PeerAddress is a BGPPeer's peerIP: an address and an optional port.
type PeerAddress struct {
	Addr netip.Addr
	// Port is 0 when none is given.
	Port uint16
}

// ParsePeerIP parses a BGPPeer peerIP: a bare IPv4 or IPv6 address,
// "IPv4:port" or "[IPv6]:port", the port 1–65535.
func ParsePeerIP(s string) (PeerAddress, error) {
	if s == "" {
		return PeerAddress{}, fmt.Errorf("peer IP is empty")
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" || a.Is4In6() {
			return PeerAddress{}, fmt.Errorf("%q: want a plain IPv4 or IPv6 address", s)
		}
		return PeerAddress{Addr: a}, nil
	}
	host, port, ok := cutPort(s)
	if !ok {
		if strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
			return PeerAddress{}, fmt.Errorf("%q is not an IP address; an IPv6 address with a port needs brackets: [IPv6]:port", s)
		}
		return PeerAddress{}, fmt.Errorf("%q is not an IP address, IPv4:port or [IPv6]:port", s)
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" || a.Is4In6() {
		return PeerAddress{}, fmt.Errorf("%q: %q is not an IP address", s, host)
	}
	if strings.HasPrefix(s, "[") != a.Is6() {
		if a.Is6() {
			return PeerAddress{}, fmt.Errorf("%q: an IPv6 address with a port needs brackets: [%s]:%s", s, host, port)
		}
		return PeerAddress{}, fmt.Errorf("%q: an IPv4 address takes no brackets: %s:%s", s, host, port)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 || port[0] == '+' || port[0] == '-' {
		return PeerAddress{}, fmt.Errorf("%q: port %q is not in 1-65535", s, port)
	}
	return PeerAddress{Addr: a, Port: uint16(n)}, nil
}

// cutPort splits "host:port" and "[host]:port".
func cutPort(s string) (host, port string, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]:")
		if end < 0 || end+2 == len(s) {
			return "", "", false
		}
		return s[1:end], s[end+2:], s[1:end] != ""
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || i == len(s)-1 || strings.Count(s, ":") != 1 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// String formats the peer address as Calico writes it.
func (p PeerAddress) String() string {
	if p.Port == 0 {
		return p.Addr.String()
	}
	return netip.AddrPortFrom(p.Addr, p.Port).String()
}
