package policies

import (
	"net/netip"
	"slices"
)

// PeerForIP returns the peer that owns addr: the first inventory pod (by
// namespace and name) with that address, else the first host endpoint (by
// name) expecting it, else the address itself, outside the cluster. An IP
// peer is always taken to be outside the cluster, so a caller that starts
// from an address should resolve it here.
//
// An address outside the cluster that a NetworkSet or GlobalNetworkSet
// holds stays outside: it is not an endpoint and has no policy of its own,
// but rule selectors match it by the set's labels, as Calico does, and
// Evaluate lists those sets in the Result.
func (e *Engine) PeerForIP(addr netip.Addr) Peer {
	addr = addr.Unmap()
	for i := range e.pods {
		for _, a := range e.pods[i].IPs {
			if a.Unmap() == addr {
				return Peer{Pod: &e.pods[i], IP: addr}
			}
		}
	}
	for _, name := range e.hostNames {
		if slices.Contains(e.hosts[name].addrs, addr) {
			return Peer{HostEndpoint: name, IP: addr}
		}
	}
	return Peer{IP: addr}
}

// NamedPorts returns the named ports of the endpoint a peer is: a pod's
// container ports, a host endpoint's spec.ports. It reports false for an
// address outside the cluster, which has none. These are the ports a rule's
// named port resolves against.
func (e *Engine) NamedPorts(p Peer) ([]NamedPort, bool) {
	ep := e.endpointOf(p, "", func(string, ...any) {})
	if ep == nil {
		return nil, false
	}
	return slices.Clone(ep.ports), true
}
