package validate

import (
	"net/netip"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/topology"
)

// bgpView is the cluster's BGP as package topology computes it from every
// object validation knows of, with where each node and BGPPeer is written.
// The BGP checks decide nothing about which sessions exist: topology does,
// for review, admission and the node agent alike.
type bgpView struct {
	config *manifest.Object // the default BGPConfiguration, if any
	meshOn bool
	// topo is topology.ComputePeers: the sessions BGPPeers make and the
	// peerings they lose, not the mesh's.
	topo  topology.Topology
	nodes map[string]*topology.Node // by name
	// byAddr holds the nodes by BGP address; of nodes sharing one, the
	// last defined.
	byAddr map[netip.Addr]*topology.Node
	peers  map[string]*manifest.Object // BGPPeers by name
	// forward lists, by BGPPeer, the nodes it gives a session of its own
	// (not a reverse peering), sorted.
	forward map[string][]string
}

// bgp returns the cluster's BGP view, computed on first use.
func (v *validation) bgp() *bgpView {
	if v.bgpCache != nil {
		return v.bgpCache
	}
	var objs []*manifest.Object
	for _, kind := range []string{"BGPConfiguration", "BGPPeer", "BGPFilter", "Node"} {
		objs = append(objs, v.world.of(kind)...)
	}
	objs = append(objs, v.world.byKind["Inventory."+v1alpha1.GroupName]...)
	in := topology.InputFromObjects(objs)
	b := &bgpView{
		meshOn:  true,
		topo:    topology.ComputePeers(in),
		nodes:   make(map[string]*topology.Node, len(in.Nodes)),
		byAddr:  make(map[netip.Addr]*topology.Node, len(in.Nodes)),
		peers:   make(map[string]*manifest.Object, len(in.Peers)),
		forward: map[string][]string{},
	}
	for _, o := range v.world.of("BGPConfiguration") {
		if o.Object.GetName() == v3.BGPConfigurationNameDefault {
			b.config = o
		}
	}
	if in.Config != nil && in.Config.Spec.NodeToNodeMeshEnabled != nil {
		b.meshOn = *in.Config.Spec.NodeToNodeMeshEnabled
	}
	for i := range in.Nodes {
		n := &in.Nodes[i]
		b.nodes[n.Name] = n
		for _, p := range []netip.Prefix{n.IPv4, n.IPv6} {
			if p.IsValid() {
				b.byAddr[p.Addr()] = n
			}
		}
	}
	for _, o := range v.world.of("BGPPeer") {
		b.peers[o.Object.GetName()] = o
	}
	for _, n := range b.topo.Nodes {
		for _, s := range n.Sessions {
			if s.Peer == "" || s.Reverse {
				continue
			}
			if nodes := b.forward[s.Peer]; len(nodes) == 0 || nodes[len(nodes)-1] != n.Node {
				b.forward[s.Peer] = append(nodes, n.Node)
			}
		}
	}
	v.bgpCache = b
	return b
}

// nodeAS returns the AS number of a node: its own, or the cluster's.
func (b *bgpView) nodeAS(name string) numorstring.ASNumber {
	n, _ := b.topo.Node(name)
	return n.LocalAS
}
