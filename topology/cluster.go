package topology

import (
	"encoding/json"
	"net/netip"
	"sort"
	"strings"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/policies/selector"
)

// Address families, as indexes into node.addr.
const (
	v4 = 0
	v6 = 1
)

// familyOf returns the index of a's family.
func familyOf(a netip.Addr) int {
	if a.Is4() {
		return v4
	}
	return v6
}

// cluster is the state of one Compute.
type cluster struct {
	globalAS   numorstring.ASNumber
	meshOn     bool
	globalPort uint16 // 0: unset, BIRD's 179
	mesh       *settings
	config     *v3.BGPConfiguration

	nodes  []*node // sorted by name
	byName map[string]*node
	// byAddr holds the nodes by the text of their addresses: confd
	// matches peerIPs against node addresses as text.
	byAddr map[string][]*node

	nodeConfigs map[string]*v3.BGPConfiguration // by node name
	filters     map[string]bool
	pools       []pool
	selectors   map[string]*selection

	// globalKeys holds the global peerings by key, with the BGPPeer that
	// claimed each; globals lists them in the order claimed.
	globalKeys map[peerKey]string
	globals    []*target
	// globalDups are the global peerings left out because an earlier
	// global BGPPeer claimed their key.
	globalDups []heldTarget

	problems problems
}

// node is a node with what Compute derives for it.
type node struct {
	Node
	labels  selector.Map
	as      numorstring.ASNumber
	addr    [2]netip.Addr // by family; invalid when absent
	addrStr [2]string     // addr as text, for the lexical passive rule
	// ownPort is the node's listenPort from node.<name>, 0 when unset;
	// port is the port the node listens on as peers must address it, 0
	// meaning BIRD's default.
	ownPort, port uint16

	out    *NodeTopology
	claims map[peerKey]string // node-specific peerings, by key, with their source
}

// heldTarget is a peering left out because the BGPPeer heldBy holds its key.
type heldTarget struct {
	*target
	heldBy string
}

// peerKey is the key confd files a peering under, with the port as the
// BGPPeer gives it (0 when it gives none): Calico does not equate 0 with 179.
type peerKey struct {
	addr netip.Addr
	port uint16
}

// newCluster reads the Input into a cluster, in an order independent of the
// order of the Input's slices.
func newCluster(in *Input) *cluster {
	c := &cluster{
		globalAS:    v3.DefaultASNumber,
		meshOn:      true,
		config:      in.Config,
		byName:      map[string]*node{},
		byAddr:      map[string][]*node{},
		nodeConfigs: map[string]*v3.BGPConfiguration{},
		filters:     map[string]bool{},
		selectors:   map[string]*selection{},
		globalKeys:  map[peerKey]string{},
	}
	for _, p := range in.Problems {
		c.problems.add(p)
	}
	if cfg := in.Config; cfg != nil {
		if cfg.Spec.ASNumber != nil {
			c.globalAS = *cfg.Spec.ASNumber
		}
		if cfg.Spec.NodeToNodeMeshEnabled != nil {
			c.meshOn = *cfg.Spec.NodeToNodeMeshEnabled
		}
		c.globalPort = cfg.Spec.ListenPort
	}
	c.mesh = meshSettings(in.Config)

	configs := sortedByName(in.NodeConfigs, func(b *v3.BGPConfiguration) string { return b.Name })
	for _, cfg := range configs {
		name, ok := strings.CutPrefix(cfg.Name, v3.NodeBGPConfigurationPrefix)
		if !ok {
			c.problems.addf("BGPConfiguration %s is ignored: per-node configurations are named %q<node>", cfg.Name, v3.NodeBGPConfigurationPrefix)
			continue
		}
		if _, dup := c.nodeConfigs[name]; dup {
			c.problems.addf("BGPConfiguration %s is given twice; the first is used", cfg.Name)
			continue
		}
		c.nodeConfigs[name] = cfg
	}
	for _, f := range in.Filters {
		c.filters[f.Name] = true
	}
	c.readNodes(in.Nodes)
	c.readPools(in.Pools)
	return c
}

func (c *cluster) readNodes(in []Node) {
	nodes := make([]*node, 0, len(in))
	for i := range in {
		nodes = append(nodes, &node{Node: in[i]})
	}
	sort.Slice(nodes, func(i, j int) bool { return nodeLess(&nodes[i].Node, &nodes[j].Node) })
	for _, n := range nodes {
		if _, dup := c.byName[n.Name]; dup {
			c.problems.addf("node %s is listed twice; the first by address is used", n.Name)
			continue
		}
		c.byName[n.Name] = n
		c.nodes = append(c.nodes, n)

		n.labels = selector.Map(n.Labels)
		n.as = c.globalAS
		if n.ASNumber != nil {
			n.as = *n.ASNumber
		}
		for f, p := range [2]netip.Prefix{n.IPv4, n.IPv6} {
			if !p.IsValid() {
				continue
			}
			a := p.Addr().Unmap()
			if familyOf(a) != f {
				c.problems.addf("node %s: %s is not an IPv%d address; it is ignored", n.Name, a, 4+2*f)
				continue
			}
			n.addr[f], n.addrStr[f] = a, a.String()
			c.byAddr[n.addrStr[f]] = append(c.byAddr[n.addrStr[f]], n)
		}
		if !n.addr[v4].IsValid() && !n.addr[v6].IsValid() {
			c.problems.addf("node %s has no BGP address (bgp.ipv4Address or bgp.ipv6Address): it has no BGP session", n.Name)
		}
		if cfg := c.nodeConfigs[n.Name]; cfg != nil {
			n.ownPort = cfg.Spec.ListenPort
		}
		n.port = c.globalPort
		if n.ownPort != 0 {
			n.port = n.ownPort
		}
	}
	for addr, same := range c.byAddr {
		if len(same) > 1 {
			c.problems.addf("nodes %s share the address %s: each skips the others as if they were itself", joinNames(same), addr)
		}
	}
}

// nodeLess orders nodes by name, and nodes given twice by their content, so
// that which one is used does not depend on input order.
func nodeLess(a, b *Node) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return canonicalJSON(a) < canonicalJSON(b)
}

// sortedByName returns the objects sorted by name, objects with the same
// name by their content.
func sortedByName[T any](objs []*T, name func(*T) string) []*T {
	out := make([]*T, 0, len(objs))
	for _, o := range objs {
		if o != nil {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := name(out[i]), name(out[j]); a != b {
			return a < b
		}
		return canonicalJSON(out[i]) < canonicalJSON(out[j])
	})
	return out
}

// canonicalJSON is a deterministic text of v, for ordering duplicates. Map
// keys are sorted by encoding/json.
func canonicalJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func joinNames(nodes []*node) string {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = n.Name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
