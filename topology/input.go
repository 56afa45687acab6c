package topology

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// Node is a node of the cluster, with what BGP computes on.
type Node struct {
	Name   string
	Labels map[string]string
	// ASNumber is the node's own AS; nil means the cluster's.
	ASNumber *numorstring.ASNumber
	// IPv4 and IPv6 are the node's BGP addresses with their subnet, the
	// zero Prefix when absent. The address is Addr(); host bits are kept.
	IPv4, IPv6 netip.Prefix
	// RouteReflectorClusterID, when set, makes the node a route reflector.
	RouteReflectorClusterID string
	// Object and Field say where the node is defined, for locating what is
	// said about it: its Node object (Field metadata.name), or the
	// Inventory listing it (Field spec.nodes[i]). Object is nil for a node
	// not read from objects.
	Object *manifest.Object `json:"-"`
	Field  string           `json:"-"`
}

// Input is everything the topology is computed from.
type Input struct {
	// Config is the "default" BGPConfiguration; nil means Calico's
	// defaults: AS 64512, mesh on, port 179.
	Config *v3.BGPConfiguration
	// NodeConfigs are the "node.<name>" BGPConfigurations; only their
	// listenPort, communities and prefixAdvertisements are used, as Calico
	// does.
	NodeConfigs []*v3.BGPConfiguration
	Peers       []*v3.BGPPeer
	Filters     []*v3.BGPFilter
	Pools       []*v3.IPPool
	Nodes       []Node
	// Blocks holds the IPAM blocks affine to each node, by node name, when
	// block state is known. nil means it is not: each node's pools stand
	// for its blocks. Non-nil, a node without an entry has no blocks.
	Blocks map[string][]netip.Prefix
	// Problems found while building the Input (an unreadable node address,
	// a BGPConfiguration with a name Calico ignores); Compute reports them
	// with its own.
	Problems []string
}

// InputFromObjects picks the BGP inputs out of rendered objects: the
// BGPConfigurations, BGPPeers, BGPFilters, IPPools, and the nodes
// NodesFromObjects finds.
func InputFromObjects(objs []*manifest.Object, inventory ...*v1alpha1.Inventory) Input {
	var in Input
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *v3.BGPConfiguration:
			switch {
			case obj.Name == v3.BGPConfigurationNameDefault:
				in.Config = obj
			case strings.HasPrefix(obj.Name, v3.NodeBGPConfigurationPrefix):
				in.NodeConfigs = append(in.NodeConfigs, obj)
			default:
				in.Problems = append(in.Problems, fmt.Sprintf("BGPConfiguration %s is ignored: Calico reads only %q and %q<node>", obj.Name, v3.BGPConfigurationNameDefault, v3.NodeBGPConfigurationPrefix))
			}
		case *v3.BGPPeer:
			in.Peers = append(in.Peers, obj)
		case *v3.BGPFilter:
			in.Filters = append(in.Filters, obj)
		case *v3.IPPool:
			in.Pools = append(in.Pools, obj)
		}
	}
	var problems []string
	in.Nodes, problems = nodesFromObjects(objs, inventory)
	in.Problems = append(in.Problems, problems...)
	return in
}

// NodesFromObjects returns the cluster's nodes: one per Calico Node object,
// then the nodes of the inventories (those among objs first, then the ones
// given) that no Node object or earlier inventory defines. A Node object
// defines its node entirely, as it is what tabby makes of it. An address
// that does not parse is left out; InputFromObjects reports it.
func NodesFromObjects(objs []*manifest.Object, inventory ...*v1alpha1.Inventory) []Node {
	nodes, _ := nodesFromObjects(objs, inventory)
	return nodes
}

func nodesFromObjects(objs []*manifest.Object, extra []*v1alpha1.Inventory) ([]Node, []string) {
	var (
		nodes    []Node
		problems []string
		defined  = map[string]bool{}
	)
	add := func(what string, n Node, v4, v6 string) {
		if defined[n.Name] {
			return
		}
		defined[n.Name] = true
		var err error
		if n.IPv4, err = parseNodeAddress(v4, false); err != nil {
			problems = append(problems, fmt.Sprintf("%s: ipv4Address: %v; the node gets no IPv4 sessions", what, err))
		}
		if n.IPv6, err = parseNodeAddress(v6, true); err != nil {
			problems = append(problems, fmt.Sprintf("%s: ipv6Address: %v; the node gets no IPv6 sessions", what, err))
		}
		nodes = append(nodes, n)
	}
	var (
		inventories []*v1alpha1.Inventory
		invObjects  []*manifest.Object // the objects of inventories, in order
	)
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *v3.Node:
			n := Node{Name: obj.Name, Labels: obj.Labels, Object: o, Field: "metadata.name"}
			var v4, v6 string
			if b := obj.Spec.BGP; b != nil {
				n.ASNumber, n.RouteReflectorClusterID = b.ASNumber, b.RouteReflectorClusterID
				v4, v6 = b.IPv4Address, b.IPv6Address
			}
			add("Node "+obj.Name, n, v4, v6)
		case *v1alpha1.Inventory:
			inventories = append(inventories, obj)
			invObjects = append(invObjects, o)
		}
	}
	for i, inv := range append(inventories, extra...) {
		if inv == nil {
			continue
		}
		var o *manifest.Object
		if i < len(invObjects) {
			o = invObjects[i]
		}
		for j, in := range inv.Spec.Nodes {
			n := Node{Name: in.Name, Labels: in.Labels, ASNumber: in.ASNumber, RouteReflectorClusterID: in.RouteReflectorClusterID, Object: o}
			if o != nil {
				n.Field = fmt.Sprintf("spec.nodes[%d]", j)
			}
			add(fmt.Sprintf("Inventory %s node %s", inv.Name, in.Name), n, in.IPv4Address, in.IPv6Address)
		}
	}
	return nodes, problems
}

// parseNodeAddress parses a Node's bgp.ipv4Address or ipv6Address; the
// empty string is no address.
func parseNodeAddress(s string, v6 bool) (netip.Prefix, error) {
	if s == "" {
		return netip.Prefix{}, nil
	}
	return v3.ParseNodeAddress(s, v6)
}
