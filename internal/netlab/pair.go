package netlab

import (
	"fmt"
	"net/netip"
)

// BirdBGP returns a bird.conf with one BGP protocol, name, from local (AS
// localAS) to neighbor (AS peerAS) over the address family of neighbor,
// importing and exporting everything, with BirdTimers and the static
// routes given (blackholes, to have something to advertise).
func BirdBGP(name string, routerID netip.Addr, local netip.Addr, localAS uint32, neighbor netip.Addr, peerAS uint32, static ...netip.Prefix) string {
	family := "ipv4"
	if neighbor.Is6() {
		family = "ipv6"
	}
	conf := fmt.Sprintf("router id %s;\nprotocol device {}\n", routerID)
	if len(static) > 0 {
		conf += fmt.Sprintf("protocol static {\n  %s;\n", family)
		for _, p := range static {
			conf += fmt.Sprintf("  route %s blackhole;\n", p)
		}
		conf += "}\n"
	}
	conf += fmt.Sprintf(`protocol bgp %s {
  local %s as %d;
  neighbor %s as %d;
  %s
  %s { import all; export all; };
}
`, name, local, localAS, neighbor, peerAS, BirdTimers, family)
	return conf
}
