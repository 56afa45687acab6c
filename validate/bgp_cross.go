package validate

import (
	"fmt"
	"sort"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies/selector"
	"github.com/tabbynet/tabby/topology"
)

var (
	codePeerFilterMissing = define(Code{
		ID: "peer-filter-missing", Severity: SeverityError, Stricter: true,
		Title: "a BGPPeer names a BGPFilter that does not exist",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  peerIP: 10.0.7.1
  asNumber: 64513
  filters: [tor-export]
`,
	})
	codePeerDuplicate = define(Code{
		ID: "peer-duplicate", Severity: SeverityError, Stricter: true,
		Title: "two BGPPeers give the same node a session to the same peer",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.1
  asNumber: 64513
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor-copy
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.1
  asNumber: 64513
`,
	})
	codePeerShadowed = define(Code{
		ID: "peer-shadowed", Severity: SeverityWarning,
		Title: "a node-specific BGPPeer is skipped because a global BGPPeer already peers with the same address",
		Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
  labels: {rack: rack7}
spec:
  bgp: {ipv4Address: 10.0.7.11/24}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: upstream-all
spec:
  peerIP: 192.0.2.1
  asNumber: 64600
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: upstream-rack7
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 192.0.2.1
  asNumber: 64601
`,
	})
	codePeerSelf = define(Code{
		ID: "peer-self", Severity: SeverityWarning,
		Title: "a BGPPeer gives a node a session to its own address, which Calico skips",
		Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
  labels: {rack: rack7}
spec:
  bgp: {ipv4Address: 10.0.7.11/24}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: to-node1
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.11
  asNumber: 64512
`,
	})
	codePeerASNNode = define(Code{
		ID: "peer-asn-node-mismatch", Severity: SeverityError, Stricter: true,
		Title: "a BGPPeer's peerIP is a Calico node's address but its AS number is not that node's",
		Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
spec:
  bgp: {ipv4Address: 10.0.7.11/24}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: to-node1
spec:
  node: rack6-node1
  peerIP: 10.0.7.11
  asNumber: 64513
`,
	})
	codeNodeNoPeering = define(Code{
		ID: "node-no-peering", Severity: SeverityError, Stricter: true,
		Title: "the node-to-node mesh is off and a node has no BGP session at all",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
  labels: {rack: rack7}
spec:
  bgp: {ipv4Address: 10.0.7.11/24}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack6-tor
spec:
  nodeSelector: rack == 'rack6'
  peerIP: 10.0.6.1
  asNumber: 64512
`,
	})
	codeRRSingle = define(Code{
		ID: "route-reflector-single", Severity: SeverityWarning,
		Title: "a route-reflector cluster has a single reflector",
		Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack6-node1
spec:
  bgp:
    ipv4Address: 10.0.6.11/24
    routeReflectorClusterID: 244.0.0.1
`,
	})
)

func init() {
	crossChecks = append(crossChecks, checkPeerFilters, checkPeerings, checkNodePeerings, checkRouteReflectors)
}

// mine returns the objects of a kind that are being validated.
func (v *validation) mine(kind string) []*manifest.Object {
	var out []*manifest.Object
	for _, o := range v.world.of(kind) {
		if v.world.isMine(o) {
			out = append(out, o)
		}
	}
	return out
}

func checkPeerFilters(v *validation) {
	filters := map[string]bool{}
	for _, o := range v.world.of("BGPFilter") {
		filters[o.Object.GetName()] = true
	}
	for _, o := range v.mine("BGPPeer") {
		for i, f := range o.Object.(*v3.BGPPeer).Spec.Filters {
			if !filters[f] {
				v.add(codePeerFilterMissing, o, fieldPath("spec.filters", i),
					fmt.Sprintf("BGPFilter %q does not exist; create it or remove it from filters (Calico would apply no filter)", f), nil)
			}
		}
	}
}

// checkPeerings checks each peerIP's AS number against the Calico node or
// the Fabric router at its address, then reports the peerings topology
// says Calico leaves out: duplicates, peerings a global peer shadows, a
// node's own address. Without a node inventory there is no session to look
// at, and peers are compared as written (checkPeeringsAsWritten).
func checkPeerings(v *validation) {
	b := v.bgp()
	routers := v.fabricRouters()
	peers := v.world.of("BGPPeer")
	sort.Slice(peers, func(i, j int) bool { return peers[i].Object.GetName() < peers[j].Object.GetName() })
	for _, o := range peers {
		p := o.Object.(*v3.BGPPeer)
		addr, err := ParsePeerIP(p.Spec.PeerIP)
		if p.Spec.PeerIP == "" || err != nil {
			continue
		}
		v.checkPeerAS(o, p, addr, b, routers)
		if _, isNode := b.byAddr[addr.Addr]; p.Spec.ASNumber == 0 && p.Spec.PeerSelector == "" && p.Spec.LocalWorkloadSelector == "" && !isNode && v.world.isMine(o) {
			v.add(codePeerNoTarget, o, "spec.asNumber", fmt.Sprintf("peerIP %s has no asNumber and is not a Calico node's address: the session would be configured with AS 0; set the peer's AS number", addr), nil)
		}
	}
	if len(b.topo.Nodes) == 0 {
		checkPeeringsAsWritten(v, peers)
		return
	}
	self := map[string][]string{} // BGPPeer → the nodes whose own address it names
	for _, n := range b.topo.Nodes {
		for _, s := range n.Skipped {
			o := b.peers[s.Peer]
			switch s.Reason {
			case topology.SkipOwnAddress:
				self[s.Peer] = append(self[s.Peer], n.Node)
			case topology.SkipHeldByGlobal, topology.SkipHeldByPeer:
				if prev := b.peers[s.HeldBy]; o != nil && prev != nil {
					v.reportDuplicatePeer(o, prev, "node "+n.Node, peerAddressOf(o, s))
				}
			}
		}
	}
	for _, name := range sortedKeys(self) {
		o := b.peers[name]
		if o == nil || !v.world.isMine(o) {
			continue
		}
		addr, _ := ParsePeerIP(o.Object.(*v3.BGPPeer).Spec.PeerIP)
		v.add(codePeerSelf, o, "spec.peerIP", fmt.Sprintf("peerIP %s is the address of node %s, which this peer also selects; Calico skips a session to a node's own address", addr, strings.Join(self[name], ", ")), nil)
	}
}

// peerAddressOf returns the peer of a skipped peering as the BGPPeer writes
// it: its peerIP, or for a peerSelector peering the selected node's address.
func peerAddressOf(o *manifest.Object, s topology.Skip) PeerAddress {
	if addr, err := ParsePeerIP(o.Object.(*v3.BGPPeer).Spec.PeerIP); err == nil {
		return addr
	}
	return PeerAddress{Addr: s.PeerIP, Port: s.Port}
}

// peerField is the field of a BGPPeer that names its peer.
func peerField(o *manifest.Object) string {
	if o.Object.(*v3.BGPPeer).Spec.PeerIP == "" {
		return "spec.peerSelector"
	}
	return "spec.peerIP"
}

// checkPeeringsAsWritten reports, when no node is known, peerIP peers that
// give the same peering whatever the nodes: two for the same node, for the
// same node selector, or both global, to the same address and port. It
// decides nothing about the sessions of real nodes; topology does that once
// there are nodes.
func checkPeeringsAsWritten(v *validation, peers []*manifest.Object) {
	claims := map[string]map[PeerAddress]*manifest.Object{} // scope → peer address → first peer
	for _, o := range peers {
		p := o.Object.(*v3.BGPPeer)
		addr, err := ParsePeerIP(p.Spec.PeerIP)
		if p.Spec.PeerIP == "" || err != nil {
			continue
		}
		scope := writtenScope(&p.Spec)
		if scope == "" {
			continue
		}
		if claims[scope] == nil {
			claims[scope] = map[PeerAddress]*manifest.Object{}
		}
		if prev, dup := claims[scope][addr]; dup {
			v.reportDuplicatePeer(o, prev, scope, addr)
			continue
		}
		claims[scope][addr] = o
	}
}

// writtenScope names the nodes a peer is for as it writes them: a node, a
// selector in canonical form, or every node; "" when the selector does not
// parse.
func writtenScope(s *v3.BGPPeerSpec) string {
	switch {
	case s.Node != "":
		return "node " + s.Node
	case s.NodeSelector == "":
		return "every node"
	}
	sel, err := selector.Parse(s.NodeSelector)
	if err != nil {
		return ""
	}
	return "the nodes matching " + sel.String()
}

// reportDuplicatePeer reports that peer o gives scope a second session to
// addr, after prev. Calico emits global peers first and skips a later
// node-specific peer to the same address, so that case is a warning.
func (v *validation) reportDuplicatePeer(o, prev *manifest.Object, scope string, addr PeerAddress) {
	if !v.world.isMine(o) && !v.world.isMine(prev) {
		return
	}
	target, other := o, prev
	if !v.world.isMine(o) {
		target, other = prev, o
	}
	if isGlobalPeer(prev) != isGlobalPeer(o) {
		global, specific := prev, o
		if isGlobalPeer(o) {
			global, specific = o, prev
		}
		if v.world.isMine(specific) {
			v.add(codePeerShadowed, specific, peerField(specific),
				fmt.Sprintf("on %s this peer is skipped: the global BGPPeer %s already peers with %s, and Calico emits global peers first; remove one of them", scope, global.Object.GetName(), addr),
				[]Related{v.related(global, peerField(global), "global BGPPeer %s", global.Object.GetName())})
		}
		return
	}
	v.add(codePeerDuplicate, target, peerField(target),
		fmt.Sprintf("BGPPeers %s and %s both give %s a session to %s; keep one", target.Object.GetName(), other.Object.GetName(), scope, addr),
		[]Related{v.related(other, peerField(other), "BGPPeer %s", other.Object.GetName())})
}

func isGlobalPeer(o *manifest.Object) bool {
	s := o.Object.(*v3.BGPPeer).Spec
	return s.Node == "" && s.NodeSelector == ""
}

// checkNodePeerings reports, when the mesh is off, the nodes topology gives
// no BGP session. A node without a BGP address is left out: its sessions
// depend on the address Calico detects when it starts, and topology names
// it among its problems.
func checkNodePeerings(v *validation) {
	b := v.bgp()
	if b.meshOn {
		return
	}
	for _, nt := range b.topo.Nodes {
		n := b.nodes[nt.Node]
		if len(nt.Sessions) > 0 || n == nil || (!n.IPv4.IsValid() && !n.IPv6.IsValid()) {
			continue
		}
		why := "no BGPPeer gives it one"
		if len(nt.Skipped) > 0 {
			skips := make([]string, len(nt.Skipped))
			for i, s := range nt.Skipped {
				skips[i] = s.String()
			}
			why = "Calico skips every peering its BGPPeers give it (" + strings.Join(skips, "; ") + ")"
		}
		msg := fmt.Sprintf("node %s has no BGP session: the node-to-node mesh is off and %s, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR)", n.Name, why)
		switch {
		case n.Object != nil && v.world.isMine(n.Object):
			v.add(codeNodeNoPeering, n.Object, n.Field, msg, nil)
		case b.config != nil && v.world.isMine(b.config):
			v.add(codeNodeNoPeering, b.config, "spec.nodeToNodeMeshEnabled", msg, nil)
		}
	}
}

// checkRouteReflectors warns of route-reflector clusters with one member.
func checkRouteReflectors(v *validation) {
	b := v.bgp()
	clusters := map[string][]string{} // cluster ID → reflectors
	for _, n := range b.topo.Nodes {
		if n.RouteReflector {
			clusters[n.ClusterID] = append(clusters[n.ClusterID], n.Node)
		}
	}
	for _, id := range sortedKeys(clusters) {
		members := clusters[id]
		if len(members) != 1 {
			continue
		}
		n := b.nodes[members[0]]
		if n == nil || n.Object == nil || !v.world.isMine(n.Object) {
			continue
		}
		field := "spec.bgp.routeReflectorClusterID"
		if n.Field != "metadata.name" {
			field = n.Field + ".routeReflectorClusterID"
		}
		v.add(codeRRSingle, n.Object, field,
			fmt.Sprintf("route-reflector cluster %s has one reflector, %s: when it restarts its clients lose their routes; give a second node the same cluster ID", id, n.Name), nil)
	}
}
