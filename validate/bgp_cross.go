package validate

import (
	"fmt"
	"sort"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies/selector"
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

// checkPeerings checks explicit peerIP peerings node by node: duplicates,
// peerings a global peer shadows, a node's own address, a missing AS
// number, and AS numbers contradicting the Calico node or the Fabric router
// at the peer's address. Without a node inventory, peers are compared by
// the nodes they name: the same node, the same selector, or both global.
func checkPeerings(v *validation) {
	c := v.bgp()
	routers := v.fabricRouters()
	peers := v.world.of("BGPPeer")
	sort.Slice(peers, func(i, j int) bool { return peers[i].Object.GetName() < peers[j].Object.GetName() })

	claims := map[string]map[PeerAddress]*manifest.Object{} // node (or scope) → peer address → first peer
	for _, o := range peers {
		p := o.Object.(*v3.BGPPeer)
		addr, err := ParsePeerIP(p.Spec.PeerIP)
		if p.Spec.PeerIP == "" || err != nil {
			continue
		}
		v.checkPeerAS(o, p, addr, c, routers)
		if _, isNode := c.byAddr[addr.Addr]; p.Spec.ASNumber == 0 && p.Spec.PeerSelector == "" && p.Spec.LocalWorkloadSelector == "" && !isNode && v.world.isMine(o) {
			v.add(codePeerNoTarget, o, "spec.asNumber", fmt.Sprintf("peerIP %s has no asNumber and is not a Calico node's address: the session would be configured with AS 0; set the peer's AS number", addr), nil)
		}
		var self []*bgpNode
		for _, scope := range v.peerScopes(c, p, addr, &self) {
			if claims[scope] == nil {
				claims[scope] = map[PeerAddress]*manifest.Object{}
			}
			if prev, dup := claims[scope][addr]; dup {
				v.reportDuplicatePeer(o, prev, scope, addr)
				continue
			}
			claims[scope][addr] = o
		}
		if len(self) > 0 && v.world.isMine(o) {
			v.add(codePeerSelf, o, "spec.peerIP", fmt.Sprintf("peerIP %s is the address of node %s, which this peer also selects; Calico skips a session to a node's own address", addr, strings.Join(nodeNames(self), ", ")), nil)
		}
	}
}

// peerScopes returns what a peer's sessions are claimed under: "node X" for
// each node it gives a session (nodes whose own address is the peer's are
// added to self instead), or, without an inventory, its scope as written.
func (v *validation) peerScopes(c *bgpContext, p *v3.BGPPeer, addr PeerAddress, self *[]*bgpNode) []string {
	if len(c.nodes) == 0 {
		switch {
		case p.Spec.Node != "":
			return []string{"node " + p.Spec.Node}
		case p.Spec.NodeSelector == "":
			return []string{"every node"}
		}
		sel, err := selector.Parse(p.Spec.NodeSelector)
		if err != nil {
			return nil
		}
		return []string{"the nodes matching " + sel.String()}
	}
	var scopes []string
	for _, n := range c.selectNodes(&p.Spec) {
		if n.hasAddr(addr) {
			*self = append(*self, n)
			continue
		}
		scopes = append(scopes, "node "+n.name)
	}
	return scopes
}

func (n *bgpNode) hasAddr(a PeerAddress) bool {
	for _, x := range n.addrs {
		if x == a.Addr {
			return true
		}
	}
	return false
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
			v.add(codePeerShadowed, specific, "spec.peerIP",
				fmt.Sprintf("on %s this peer is skipped: the global BGPPeer %s already peers with %s, and Calico emits global peers first; remove one of them", scope, global.Object.GetName(), addr),
				[]Related{v.related(global, "spec.peerIP", "global BGPPeer %s", global.Object.GetName())})
		}
		return
	}
	v.add(codePeerDuplicate, target, "spec.peerIP",
		fmt.Sprintf("BGPPeers %s and %s both give %s a session to %s; keep one", target.Object.GetName(), other.Object.GetName(), scope, addr),
		[]Related{v.related(other, "spec.peerIP", "BGPPeer %s", other.Object.GetName())})
}

func isGlobalPeer(o *manifest.Object) bool {
	s := o.Object.(*v3.BGPPeer).Spec
	return s.Node == "" && s.NodeSelector == ""
}

// checkNodePeerings reports nodes left without any BGP session when the
// mesh is off.
func checkNodePeerings(v *validation) {
	c := v.bgp()
	if c.meshOn || len(c.nodes) == 0 {
		return
	}
	peered := map[string]bool{}
	for _, o := range v.world.of("BGPPeer") {
		s := o.Object.(*v3.BGPPeer).Spec
		if s.PeerIP == "" && s.PeerSelector == "" {
			continue
		}
		local := c.selectNodes(&s)
		for _, n := range local {
			peered[n.name] = true
		}
		if s.PeerSelector != "" && len(local) > 0 && (s.ReversePeering == nil || *s.ReversePeering == v3.ReversePeeringAuto) {
			for _, n := range c.matching(s.PeerSelector) {
				peered[n.name] = true
			}
		}
	}
	for _, n := range c.nodes {
		if peered[n.name] {
			continue
		}
		msg := fmt.Sprintf("node %s has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR)", n.name)
		switch {
		case v.world.isMine(n.obj):
			v.add(codeNodeNoPeering, n.obj, n.field, msg, nil)
		case c.config != nil && v.world.isMine(c.config):
			v.add(codeNodeNoPeering, c.config, "spec.nodeToNodeMeshEnabled", msg, nil)
		}
	}
}

// checkRouteReflectors warns of route-reflector clusters with one member.
func checkRouteReflectors(v *validation) {
	clusters := map[string][]*bgpNode{}
	for _, n := range v.bgp().nodes {
		if n.rrID != "" {
			clusters[n.rrID] = append(clusters[n.rrID], n)
		}
	}
	for _, id := range sortedKeys(clusters) {
		members := clusters[id]
		if len(members) != 1 || !v.world.isMine(members[0].obj) {
			continue
		}
		field := "spec.bgp.routeReflectorClusterID"
		if members[0].field != "metadata.name" {
			field = members[0].field + ".routeReflectorClusterID"
		}
		v.add(codeRRSingle, members[0].obj, field,
			fmt.Sprintf("route-reflector cluster %s has one reflector, %s: when it restarts its clients lose their routes; give a second node the same cluster ID", id, members[0].name), nil)
	}
}
