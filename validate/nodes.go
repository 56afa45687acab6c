package validate

import (
	"net/netip"
	"sort"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies/selector"
)

// bgpNode is a node of the inventory with what BGP checks need of it.
type bgpNode struct {
	obj    *manifest.Object // a Node, or the Inventory listing the node
	field  string           // the node's field in obj: metadata.name, or spec.nodes[i]
	name   string
	labels selector.Map
	addrs  []netip.Addr // its BGP addresses, v4 and v6
	as     numorstring.ASNumber
	rrID   string
}

// bgpContext is the cluster-wide BGP settings and node inventory.
type bgpContext struct {
	config   *manifest.Object // the default BGPConfiguration, if any
	globalAS numorstring.ASNumber
	meshOn   bool
	nodes    []*bgpNode
	byAddr   map[netip.Addr]*bgpNode

	// matched caches the nodes each selector matches: peers share a few
	// selectors (one per rack), and nodes are many.
	matched map[string][]*bgpNode
}

// bgp returns the cluster's BGP settings and its nodes, sorted by name.
func (v *validation) bgp() *bgpContext {
	if v.bgpCtx != nil {
		return v.bgpCtx
	}
	c := &bgpContext{globalAS: v3.DefaultASNumber, meshOn: true, byAddr: map[netip.Addr]*bgpNode{}, matched: map[string][]*bgpNode{}}
	for _, o := range v.world.of("BGPConfiguration") {
		if o.Object.GetName() != v3.BGPConfigurationNameDefault {
			continue
		}
		c.config = o
		s := o.Object.(*v3.BGPConfiguration).Spec
		if s.ASNumber != nil {
			c.globalAS = *s.ASNumber
		}
		if s.NodeToNodeMeshEnabled != nil {
			c.meshOn = *s.NodeToNodeMeshEnabled
		}
	}
	defined := map[string]bool{}
	for _, o := range v.world.of("Node") {
		n := o.Object.(*v3.Node)
		defined[n.Name] = true
		c.addNode(&bgpNode{obj: o, field: "metadata.name", name: n.Name, labels: selector.Map(n.Labels)}, n.Spec.BGP)
	}
	for _, o := range v.world.byKind["Inventory."+v1alpha1.GroupName] {
		for i, n := range o.Object.(*v1alpha1.Inventory).Spec.Nodes {
			if defined[n.Name] {
				continue // the Node object says what tabby will make it
			}
			defined[n.Name] = true
			spec := &v3.NodeBGPSpec{ASNumber: n.ASNumber, IPv4Address: n.IPv4Address, IPv6Address: n.IPv6Address, RouteReflectorClusterID: n.RouteReflectorClusterID}
			c.addNode(&bgpNode{obj: o, field: fieldPath("spec.nodes", i), name: n.Name, labels: selector.Map(n.Labels)}, spec)
		}
	}
	sort.Slice(c.nodes, func(i, j int) bool { return c.nodes[i].name < c.nodes[j].name })
	v.bgpCtx = c
	return c
}

// addNode adds a node with its BGP spec (which may be nil).
func (c *bgpContext) addNode(bn *bgpNode, b *v3.NodeBGPSpec) {
	bn.as = c.globalAS
	if b != nil {
		if b.ASNumber != nil {
			bn.as = *b.ASNumber
		}
		bn.rrID = b.RouteReflectorClusterID
		for _, a := range []struct {
			s  string
			v6 bool
		}{{b.IPv4Address, false}, {b.IPv6Address, true}} {
			if a.s == "" {
				continue
			}
			if addr, _, err := parseIPWithPrefix(a.s, a.v6); err == nil {
				bn.addrs = append(bn.addrs, addr)
				c.byAddr[addr] = bn
			}
		}
	}
	c.nodes = append(c.nodes, bn)
}

// selectNodes returns the nodes a peer's node or nodeSelector picks (every
// node for a global peer), or nil when the selector does not parse.
func (c *bgpContext) selectNodes(s *v3.BGPPeerSpec) []*bgpNode {
	if s.Node != "" {
		for _, n := range c.nodes {
			if n.name == s.Node {
				return []*bgpNode{n}
			}
		}
		return nil
	}
	return c.matching(s.NodeSelector)
}

// matching returns the nodes a selector matches; the empty selector matches
// every node.
func (c *bgpContext) matching(sel string) []*bgpNode {
	if out, ok := c.matched[sel]; ok {
		return out
	}
	var out []*bgpNode
	if parsed, err := selector.Parse(sel); err == nil {
		for _, n := range c.nodes {
			if parsed.Matches(n.labels) {
				out = append(out, n)
			}
		}
	}
	c.matched[sel] = out
	return out
}

func nodeNames(nodes []*bgpNode) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.name
	}
	return out
}
