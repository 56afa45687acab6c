package validate

import (
	"strings"
	"testing"
)

const (
	fabricDC1 = `---
apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - {name: tor-rack6, asNumber: 64512, addresses: [10.0.6.1], nodeSelector: rack == "rack6"}
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.7.1], nodeSelector: rack == "rack7"}
`
	rackNodes = `---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: rack6-node1, labels: {rack: rack6}}
spec: {bgp: {ipv4Address: 10.0.6.11/24}}
---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: rack7-node1, labels: {rack: rack7}}
spec: {bgp: {ipv4Address: 10.0.7.11/24}}
`
	torPeers = `---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: rack6-tor}
spec: {nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: rack7-tor}
spec: {nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64513}
`
)

func peer(name, spec string) string {
	return "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: " + name + "}\nspec: " + spec + "\n"
}

func TestPeeringRules(t *testing.T) {
	meshOff := "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n"
	runRuleCases(t, []ruleCase{
		{name: "the example fabric is consistent", yaml: fabricDC1 + rackNodes + torPeers + meshOff},
		{name: "wrong rack-7 ASN", yaml: fabricDC1 + rackNodes + meshOff + peer("rack6-tor", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}") + peer("rack7-tor", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64512}"),
			want: []string{"peer-asn-fabric-mismatch spec.asNumber"}},
		{name: "peer selects nodes its router does not serve", yaml: fabricDC1 + rackNodes + meshOff + peer("rack6-tor", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}") + peer("rack7-tor", "{peerIP: 10.0.7.1, asNumber: 64513}"),
			want: []string{"peer-node-outside-router spec.nodeSelector"}},
		{name: "router nobody peers with", yaml: fabricDC1 + rackNodes + peer("rack6-tor", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}"),
			want: []string{"fabric-router-unpeered spec.routers[1]"}},
		{name: "mesh off leaves a node without sessions", yaml: fabricDC1 + rackNodes + meshOff + peer("rack6-tor", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}"),
			want: []string{"node-no-peering metadata.name", "fabric-router-unpeered spec.routers[1]"}},
		{name: "an inventory node without sessions", yaml: meshOff + "---\napiVersion: tabby.dev/v1alpha1\nkind: Inventory\nmetadata: {name: inv}\nspec:\n  nodes:\n  - {name: n1, labels: {rack: rack6}, ipv4Address: 10.0.6.11/24}\n  - {name: n2, labels: {rack: rack7}, ipv4Address: 10.0.7.11/24}\n" + peer("rack6-tor", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}"),
			want: []string{"node-no-peering spec.nodes[1]"}},
		{name: "reflector peering covers every node", yaml: rackNodes + meshOff + peer("to-rr", "{nodeSelector: all(), peerSelector: rack == 'rack6'}")},
		{name: "duplicate peering", yaml: rackNodes + peer("a", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64513}") + peer("b", "{node: rack7-node1, peerIP: 10.0.7.1, asNumber: 64513}"),
			want: []string{"peer-duplicate spec.peerIP"}},
		{name: "duplicate peering without an inventory", yaml: peer("a", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64513}") + peer("b", "{nodeSelector: \"rack == \\\"rack7\\\"\", peerIP: 10.0.7.1, asNumber: 64513}"),
			want: []string{"peer-duplicate spec.peerIP"}},
		{name: "peer IP without an AS number", yaml: rackNodes + peer("a", "{peerIP: 192.0.2.1}") + peer("to-node", "{node: rack6-node1, peerIP: 10.0.7.11}"),
			want: []string{"peer-no-target spec.asNumber"}},
		{name: "global peer shadows a node-specific one", yaml: rackNodes + peer("all", "{peerIP: 192.0.2.1, asNumber: 64600}") + peer("rack7", "{nodeSelector: rack == 'rack7', peerIP: 192.0.2.1, asNumber: 64601}"),
			want: []string{"peer-shadowed spec.peerIP"}},
		{name: "same address on another port is another peer", yaml: rackNodes + peer("a", "{peerIP: '192.0.2.1:179', asNumber: 64600}") + peer("b", "{peerIP: '192.0.2.1:1790', asNumber: 64600}")},
		{name: "peer with a node's own address", yaml: rackNodes + peer("to-node", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.11, asNumber: 64512}"),
			want: []string{"peer-self spec.peerIP"}},
		{name: "peer AS contradicts the Calico node", yaml: rackNodes + peer("to-node", "{node: rack6-node1, peerIP: 10.0.7.11, asNumber: 64513}"),
			want: []string{"peer-asn-node-mismatch spec.asNumber"}},
		{name: "single reflector", yaml: "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: rr}\nspec: {bgp: {ipv4Address: 10.0.6.11/24, routeReflectorClusterID: 244.0.0.1}}\n",
			want: []string{"route-reflector-single spec.bgp.routeReflectorClusterID"}},
		{name: "fabric address on two routers", yaml: "apiVersion: tabby.dev/v1alpha1\nkind: Fabric\nmetadata: {name: dc1}\nspec:\n  routers:\n  - {name: a, asNumber: 64512, addresses: [10.0.6.1]}\n  - {name: b, asNumber: 64513, addresses: [10.0.6.1]}\n" + peer("p", "{peerIP: 10.0.6.1, asNumber: 64512}"),
			want: []string{"fabric-address-duplicate spec.routers[1].addresses", "peer-asn-fabric-mismatch spec.asNumber"}},
	})
}

// TestWrongRack7ASNMessage checks the finding of the incident tabby exists
// for names the router, its AS number, the Fabric's file and line, and the
// fix.
func TestWrongRack7ASNMessage(t *testing.T) {
	fs := validateYAML(t, fabricDC1+peer("rack7-tor", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64512}"))
	var f *Finding
	for i := range fs {
		if fs[i].Code == "peer-asn-fabric-mismatch" {
			f = &fs[i]
		}
	}
	if f == nil {
		t.Fatalf("no peer-asn-fabric-mismatch in %v", fs)
	}
	for _, want := range []string{"peer 10.0.7.1 is tor-rack7, AS 64513 in Fabric dc1 (manifests.yaml:", "this manifest says 64512", "set asNumber: 64513"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if f.Position.Line != 13 || len(f.Related) != 1 || f.Related[0].Position.Line != 8 {
		t.Errorf("position %v, related %v: want the peer's asNumber line and the router's", f.Position, f.Related)
	}
}

// TestFabricChangeAgainstLivePeers: a Fabric change that contradicts peers
// already in the cluster is reported on the Fabric.
func TestFabricChangeAgainstLivePeers(t *testing.T) {
	fs := validateYAML(t, fabricDC1, liveYAML(t, peer("rack7-tor", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64514}")))
	if got := keysOf(fs); len(got) != 2 || got[1] != "peer-asn-fabric-mismatch spec.routers[1].asNumber" {
		t.Errorf("findings %q", got)
	}
}

// TestPeeringsFromTopology checks the BGP checks go by the sessions
// topology computes: reverse peerings count, skipped peerings do not, and
// a peering is skipped for the reason Calico skips it.
func TestPeeringsFromTopology(t *testing.T) {
	meshOff := "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n"
	v6Node := "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: v6-node, labels: {rack: rack7}}\nspec: {bgp: {ipv6Address: 'fd00:7::11/64'}}\n"
	runRuleCases(t, []ruleCase{
		{name: "a reverse peering is a session", yaml: rackNodes + meshOff + peer("to-rack7", "{node: rack6-node1, peerIP: 10.0.7.11, asNumber: 64512}")},
		{name: "a peering with the node's own address is no session", yaml: rackNodes + meshOff + peer("to-rack7", "{node: rack6-node1, peerIP: 10.0.7.11, asNumber: 64512}") + peer("to-rack6", "{node: rack7-node1, peerIP: 10.0.6.11, asNumber: 64512}") + peer("self", "{node: rack6-node1, peerIP: 10.0.6.11, asNumber: 64512}") + peer("v6-self", "{node: v6-node, peerIP: 'fd00:7::11', asNumber: 64512}") + v6Node,
			want: []string{"peer-self spec.peerIP", "peer-self spec.peerIP", "node-no-peering metadata.name"}},
		{name: "a peering of a family the node lacks is no session", yaml: rackNodes + v6Node + meshOff + peer("rack6", "{nodeSelector: rack == 'rack6', peerIP: 10.0.6.1, asNumber: 64512}") + peer("rack7", "{nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64512}"),
			want: []string{"node-no-peering metadata.name"}},
		{name: "a global peer shadows every later node-specific one", yaml: rackNodes + peer("a", "{nodeSelector: rack == 'rack7', peerIP: 192.0.2.1, asNumber: 64600}") + peer("b", "{peerIP: 192.0.2.1, asNumber: 64600}") + peer("c", "{node: rack7-node1, peerIP: 192.0.2.1, asNumber: 64600}"),
			want: []string{"peer-shadowed spec.peerIP", "peer-shadowed spec.peerIP"}},
		{name: "duplicate peerSelector peering", yaml: rackNodes + peer("a", "{node: rack6-node1, peerSelector: rack == 'rack7'}") + peer("b", "{nodeSelector: rack == 'rack6', peerSelector: rack == 'rack7'}"),
			want: []string{"peer-duplicate spec.peerSelector"}},
		{name: "a router is reached only by nodes with a session to it", yaml: fabricDC1 + rackNodes + strings.ReplaceAll(v6Node, "rack7", "rack6") + torPeers + meshOff + peer("v6-tor", "{node: v6-node, peerIP: 10.0.7.1, asNumber: 64513}"),
			want: []string{"node-no-peering metadata.name"}},
	})
}
