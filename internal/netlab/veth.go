package netlab

import "net/netip"

// Veth is one end of a veth pair.
type Veth struct {
	Netns *Netns
	Name  string
}

// Link joins a and b with a veth pair, gives each end its addresses (IPv6
// without duplicate address detection, so they are usable at once) and sets
// both ends up. The pair goes with its namespaces.
func (l *Lab) Link(a *Netns, aAddrs []netip.Prefix, b *Netns, bAddrs []netip.Prefix) (Veth, Veth) {
	l.t.Helper()
	ea, eb := Veth{a, l.name("a")}, Veth{b, l.name("b")}
	l.run("ip", "link", "add", ea.Name, "netns", a.Name, "type", "veth", "peer", "name", eb.Name, "netns", b.Name)
	for _, end := range []struct {
		v     Veth
		addrs []netip.Prefix
	}{{ea, aAddrs}, {eb, bAddrs}} {
		for _, p := range end.addrs {
			args := []string{"addr", "add", p.String(), "dev", end.v.Name}
			if p.Addr().Is6() {
				args = append(args, "nodad")
			}
			end.v.Netns.IP(args...)
		}
		end.v.Netns.IP("link", "set", end.v.Name, "up")
	}
	return ea, eb
}
