package topology

import (
	"net/netip"
	"testing"

	"github.com/tabbynet/tabby/api/numorstring"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

func TestInputFromObjects(t *testing.T) {
	in := inputFrom(t,
		bgpConfigYAML("default", "asNumber: 65000"),
		bgpConfigYAML("node.a", "listenPort: 1790"),
		bgpConfigYAML("rack7", "listenPort: 1791"),
		nodeYAML("a", "rack: r1", "ipv4Address: 10.0.0.1/24, ipv6Address: 'fd00::1'"),
		nodeYAML("bad", "", "ipv4Address: 'fd00::2/64'"),
		peerYAML("p", "peerIP: 192.0.2.1\nasNumber: 65001"),
		poolYAML("pool", "cidr: 10.244.0.0/16"))
	if in.Config == nil || in.Config.Name != "default" || len(in.NodeConfigs) != 1 || len(in.Peers) != 1 || len(in.Pools) != 1 {
		t.Fatalf("picked config %v, %d node configs, %d peers, %d pools; want default, 1, 1, 1", in.Config != nil, len(in.NodeConfigs), len(in.Peers), len(in.Pools))
	}
	want := Node{
		Name: "a", Labels: map[string]string{"rack": "r1"},
		IPv4: netip.MustParsePrefix("10.0.0.1/24"), IPv6: netip.MustParsePrefix("fd00::1/128"),
	}
	if len(in.Nodes) != 2 || in.Nodes[0].Name != want.Name || in.Nodes[0].IPv4 != want.IPv4 || in.Nodes[0].IPv6 != want.IPv6 || in.Nodes[0].Labels["rack"] != "r1" {
		t.Errorf("nodes %+v, want a first as %+v", in.Nodes, want)
	}
	if in.Nodes[0].IPv4.Addr().String() != "10.0.0.1" {
		t.Errorf("host bits lost: %s", in.Nodes[0].IPv4)
	}

	topo := Compute(in)
	hasProblem(t, topo, "BGPConfiguration rack7 is ignored")
	hasProblem(t, topo, `Node bad: ipv4Address: "fd00::2/64" is not an IPv4 address`)
	hasProblem(t, topo, "node bad has no BGP address")
	a := mustNode(t, topo, "a")
	if a.LocalAS != 65000 || a.ListenPort != 1790 {
		t.Errorf("a: AS %d, listen port %d; want 65000, 1790", a.LocalAS, a.ListenPort)
	}
}

func TestNodesFromInventory(t *testing.T) {
	as := numorstring.ASNumber(65001)
	inv := &v1alpha1.Inventory{Spec: v1alpha1.InventorySpec{Nodes: []v1alpha1.InventoryNode{
		{Name: "x", IPv4Address: "10.0.0.5/24", ASNumber: &as, RouteReflectorClusterID: "1.0.0.1"},
		{Name: "x", IPv4Address: "10.0.0.6/24"},
		{Name: "y", IPv6Address: "fd00::6"},
	}}}
	nodes := NodesFromObjects(nil, inv, nil)
	if len(nodes) != 2 {
		t.Fatalf("%d nodes, want 2 (the second x is a duplicate)", len(nodes))
	}
	if x := nodes[0]; x.IPv4 != netip.MustParsePrefix("10.0.0.5/24") || x.ASNumber == nil || *x.ASNumber != 65001 || x.RouteReflectorClusterID != "1.0.0.1" {
		t.Errorf("x = %+v", x)
	}
	if y := nodes[1]; y.IPv6 != netip.MustParsePrefix("fd00::6/128") || y.IPv4.IsValid() {
		t.Errorf("y = %+v", y)
	}
}

// TestNodeLocations checks each node says where it is defined, so that what
// is said about it can be located there.
func TestNodeLocations(t *testing.T) {
	in := inputFrom(t,
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
		`apiVersion: tabby.dev/v1alpha1
kind: Inventory
metadata: {name: inv}
spec:
  nodes:
  - {name: a, ipv4Address: 10.0.0.9/24}
  - {name: b, ipv4Address: 10.0.0.2/24}
`)
	got := map[string]string{}
	for _, n := range in.Nodes {
		if n.Object == nil {
			t.Fatalf("node %s has no object", n.Name)
		}
		got[n.Name] = n.Object.Kind.Kind + " " + n.Object.Object.GetName() + " " + n.Field
	}
	want := map[string]string{"a": "Node a metadata.name", "b": "Inventory inv spec.nodes[1]"}
	if len(got) != len(want) || got["a"] != want["a"] || got["b"] != want["b"] {
		t.Errorf("node locations %q, want %q", got, want)
	}
	if n := NodesFromObjects(nil, &v1alpha1.Inventory{Spec: v1alpha1.InventorySpec{Nodes: []v1alpha1.InventoryNode{{Name: "c"}}}}); n[0].Object != nil || n[0].Field != "" {
		t.Errorf("a node of an inventory given as a value is located at %v %q", n[0].Object, n[0].Field)
	}
}
