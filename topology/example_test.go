package topology

import (
	"reflect"
	"slices"
	"testing"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

const exampleRepo = "../repos-example"

// TestReposExampleProd computes the prod cluster of the example repository:
// mesh off; rack6-node1 and rack7-node1 are route reflectors sharing cluster
// ID 244.0.0.1; BGPPeer peer-with-route-reflectors {nodeSelector: all(),
// peerSelector: route-reflector == 'true'}; each rack peers with its ToR
// (tor-rack6 10.0.6.1 AS 64512, tor-rack7 10.0.7.1 AS 64513). Every node has
// an IPv4 and an IPv6 address.
//
// Working it out from the rules:
//
//   - a client (four of them) gets, from peer-with-route-reflectors, a
//     session with each reflector in each family (2 × 2), plus its rack's
//     ToR over IPv4: 5 sessions;
//   - a reflector gets, from peer-with-route-reflectors itself, a session
//     with the other reflector per family (its session with itself is
//     skipped), and from its reverse peerings one with each of the 4
//     clients per family (the reverse peering to the other reflector is
//     already held by the forward one): 2 × (1 + 4) = 10, plus its rack's
//     ToR: 11 sessions.
//
// So 2 × 11 + 4 × 5 = 42 sessions, and 9 node pairs (the reflector pair and
// each reflector with each client). Toward clients a reflector is an rr
// client session with cluster ID 244.0.0.1; toward the other reflector it is
// ordinary iBGP. tor-rack6 is iBGP with no cluster ID, so rack6-node1 also
// treats its ToR as an rr client, as confd does.
func TestReposExampleProd(t *testing.T) {
	b, err := render.Dir(t.Context(), exampleRepo, "clusters/prod", render.Options{})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	topo := Compute(InputFromObjects(b.Objects))
	noProblems(t, topo)

	reflectors := []string{"rack6-node1", "rack7-node1"}
	clients := []string{"rack6-node2", "rack6-node3", "rack7-node2", "rack7-node3"}
	if got := len(topo.Nodes); got != 6 {
		t.Fatalf("%d nodes, want 6", got)
	}
	if got := topo.SessionCount(); got != 42 {
		t.Errorf("SessionCount %d, want 42", got)
	}
	if got := len(topo.Pairs()); got != 9 {
		t.Errorf("%d node pairs, want 9: %v", got, topo.Pairs())
	}

	for _, name := range reflectors {
		n := mustNode(t, topo, name)
		if !n.RouteReflector || n.ClusterID != "244.0.0.1" {
			t.Errorf("%s: route reflector %v, cluster ID %q; want true, 244.0.0.1", name, n.RouteReflector, n.ClusterID)
		}
		if got := len(n.Sessions); got != 11 {
			t.Errorf("%s: %d sessions, want 11: %q", name, got, peersOf(n))
		}
		for _, s := range n.Sessions {
			switch {
			case slices.Contains(reflectors, s.PeerNode):
				if s.RRClient || !s.IBGP || s.Source != "peer-with-route-reflectors" {
					t.Errorf("%s toward reflector %s: rr client %v, iBGP %v, source %q; want false, true, peer-with-route-reflectors", name, s.PeerNode, s.RRClient, s.IBGP, s.Source)
				}
			case slices.Contains(clients, s.PeerNode):
				if !s.RRClient || s.ClusterID != "244.0.0.1" || s.Source != "reverse of peer-with-route-reflectors" {
					t.Errorf("%s toward client %s: rr client %v, cluster %q, source %q; want true, 244.0.0.1, reverse of peer-with-route-reflectors", name, s.PeerNode, s.RRClient, s.ClusterID, s.Source)
				}
			case s.PeerNode == "":
				// The ToR.
			default:
				t.Errorf("%s: session with %s", name, s.PeerNode)
			}
			if s.Type != v3.BGPPeerTypeNodePeer || s.Passive {
				t.Errorf("%s toward %s: type %s, passive %v; want NodePeer, not passive", name, s.PeerIP, s.Type, s.Passive)
			}
		}
	}
	for _, name := range clients {
		n := mustNode(t, topo, name)
		if got := len(n.Sessions); got != 5 {
			t.Errorf("%s: %d sessions, want 5: %q", name, got, peersOf(n))
		}
		for _, s := range n.Sessions {
			if s.RRClient {
				t.Errorf("%s toward %s: rr client; clients reflect nothing", name, s.PeerIP)
			}
		}
	}

	// The incident tabby exists to prevent: rack 7 peers 10.0.7.1 in AS
	// 64513, over eBGP.
	for _, name := range []string{"rack7-node1", "rack7-node2", "rack7-node3"} {
		s := sessionTo(t, mustNode(t, topo, name), "10.0.7.1")
		if s.PeerAS != 64513 || s.LocalAS != 64512 || s.IBGP || s.RRClient || s.Source != "tor-rack7" || s.Port != 179 || s.Family != 4 {
			t.Errorf("%s toward tor-rack7: %+v; want AS 64513 from 64512, eBGP, not rr client, port 179", name, s)
		}
	}
	for _, name := range []string{"rack6-node1", "rack6-node2", "rack6-node3"} {
		s := sessionTo(t, mustNode(t, topo, name), "10.0.6.1")
		wantClient := name == "rack6-node1"
		if s.PeerAS != 64512 || !s.IBGP || s.RRClient != wantClient {
			t.Errorf("%s toward tor-rack6: AS %d, iBGP %v, rr client %v; want 64512, true, %v", name, s.PeerAS, s.IBGP, s.RRClient, wantClient)
		}
	}

	// Advertised: the pools (no block state given) and the service
	// cluster IPs, per family.
	want := prefixes("10.96.0.0/16", "10.244.0.0/16", "10.245.0.0/24", "fd00:10:244::/48")
	for _, n := range topo.Nodes {
		if !slices.Equal(n.Advertised, want) {
			t.Errorf("%s advertises %v, want %v", n.Node, n.Advertised, want)
		}
	}
}

// TestReposExampleInventory checks that the nodes of the example inventory,
// which describe the same six nodes as the prod Node objects, give the same
// topology, and that Node objects take precedence over inventory entries.
func TestReposExampleInventory(t *testing.T) {
	b, err := render.Dir(t.Context(), exampleRepo, "clusters/prod", render.Options{})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	invBundle, err := render.Dir(t.Context(), exampleRepo, "inventory.yaml", render.Options{})
	if err != nil {
		t.Fatalf("render inventory: %v", err)
	}
	inv := invBundle.Objects[0].Object.(*v1alpha1.Inventory)

	var withoutNodes []*manifest.Object
	for _, o := range b.Objects {
		if _, isNode := o.Object.(*v3.Node); !isNode {
			withoutNodes = append(withoutNodes, o)
		}
	}
	fromNodes := Compute(InputFromObjects(b.Objects))
	fromInventory := Compute(InputFromObjects(withoutNodes, inv))
	if !reflect.DeepEqual(fromNodes, fromInventory) {
		t.Errorf("the inventory's nodes give another topology than the Node objects")
	}

	// A Node object defines its node entirely: an inventory entry of the
	// same name is ignored.
	changed := inv.DeepCopy()
	changed.Spec.Nodes[0].IPv4Address = "192.0.2.99/24"
	nodes := NodesFromObjects(b.Objects, changed)
	if len(nodes) != 6 {
		t.Fatalf("%d nodes, want 6", len(nodes))
	}
	for _, n := range nodes {
		if n.IPv4.Addr().String() == "192.0.2.99" {
			t.Errorf("inventory entry for %s overrode its Node object", n.Name)
		}
	}
}
