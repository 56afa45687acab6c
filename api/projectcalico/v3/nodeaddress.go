package v3

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseNodeAddress parses a Node's spec.bgp.ipv4Address (v6 false) or
// ipv6Address (v6 true) as Calico's "cidrv4" and "cidrv6" validators accept
// it: an address of the family with an optional prefix length, host bits
// kept (10.0.7.11/24 is the node 10.0.7.11 on a /24). A bare address gets a
// host prefix. The address is the prefix's Addr.
func ParseNodeAddress(s string, v6 bool) (netip.Prefix, error) {
	family := "IPv4"
	if v6 {
		family = "IPv6"
	}
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an %s address with an optional prefix length", s, family)
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an %s address", s, family)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is6() != v6 || p.Addr().Is4In6() || p.Addr().Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an %s address", s, family)
	}
	return p, nil
}
