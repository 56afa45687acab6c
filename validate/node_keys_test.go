package validate

import (
	"testing"
)

func TestNodeKeysReserved(t *testing.T) {
	node := func(metadata string) string {
		return "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: rack7-node1\n" + metadata +
			"spec:\n  bgp: {ipv4Address: 10.0.7.11/24}\n"
	}
	label := func(key string) string { return `metadata.labels["` + key + `"]` }
	annotation := func(key string) string { return `metadata.annotations["` + key + `"]` }
	runFindingCases(t, []findingCase{
		{name: "labels without a prefix or in a domain of one's own", yaml: node(`  labels:
    rack: rack7
    route-reflector: "true"
    example.com/rack: rack7
    projectcalico.org/rr-group: a
`)},
		{name: "the control-plane role", yaml: node(`  labels:
    node-role.kubernetes.io/control-plane: ""
`), want: []string{"node-label-reserved " + label("node-role.kubernetes.io/control-plane")},
			msg: `label "node-role.kubernetes.io/control-plane" is in kubernetes.io, which Kubernetes reserves`},
		{name: "the hostname the kubelet sets", yaml: node(`  labels:
    kubernetes.io/hostname: rack7-node1
`), want: []string{"node-label-reserved " + label("kubernetes.io/hostname")}},
		{name: "every subdomain of kubernetes.io and k8s.io", yaml: node(`  labels:
    topology.kubernetes.io/zone: a
    beta.kubernetes.io/arch: amd64
    node-restriction.kubernetes.io/pci: "true"
    kubelet.kubernetes.io/x: "y"
    k8s.io/x: "y"
    cluster.x-k8s.io/cluster-name: prod
`), want: []string{
			"node-label-reserved " + label("beta.kubernetes.io/arch"),
			"node-label-reserved " + label("cluster.x-k8s.io/cluster-name"),
			"node-label-reserved " + label("k8s.io/x"),
			"node-label-reserved " + label("kubelet.kubernetes.io/x"),
			"node-label-reserved " + label("node-restriction.kubernetes.io/pci"),
			"node-label-reserved " + label("topology.kubernetes.io/zone"),
		}},
		{name: "cloud providers' domains", yaml: node(`  labels:
    cloud.google.com/gke-nodepool: pool-1
    eks.amazonaws.com/nodegroup: ng-1
    kubernetes.azure.com/agentpool: pool1
    doks.digitalocean.com/node-pool: p
    karpenter.sh/nodepool: default
`), want: []string{
			"node-label-reserved " + label("cloud.google.com/gke-nodepool"),
			"node-label-reserved " + label("doks.digitalocean.com/node-pool"),
			"node-label-reserved " + label("eks.amazonaws.com/nodegroup"),
			"node-label-reserved " + label("karpenter.sh/nodepool"),
			"node-label-reserved " + label("kubernetes.azure.com/agentpool"),
		}, msg: "which AWS (EKS) reserves"},
		{name: "a domain that only ends like a reserved one", yaml: node(`  labels:
    notkubernetes.io/x: "y"
    kubernetes.io.example.com/x: "y"
    kubernetes.io: "y"
`)},
		{name: "the exclusion from service advertisement Calico documents", yaml: node(`  labels:
    node.kubernetes.io/exclude-from-external-load-balancers: "true"
`)},
		{name: "annotations, in any case", yaml: node(`  annotations:
    Node.Alpha.Kubernetes.IO/ttl: "0"
    example.com/owner: network-team
`), want: []string{"node-label-reserved " + annotation("Node.Alpha.Kubernetes.IO/ttl")}},
	})
}

// TestNodeKeysOtherKinds checks the rule is about Nodes: other objects'
// labels never reach a Kubernetes Node.
func TestNodeKeysOtherKinds(t *testing.T) {
	runFindingCases(t, []findingCase{{name: "a network set", yaml: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: partners
  labels:
    app.kubernetes.io/name: partners
spec:
  nets: [198.51.100.0/24]
`}})
}

// TestNodeKeysLocated checks the finding points at the label's own line.
func TestNodeKeysLocated(t *testing.T) {
	fs := validateYAML(t, `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
  labels:
    rack: rack7
    node-role.kubernetes.io/control-plane: ""
`)
	if len(fs) != 1 || fs[0].Code != "node-label-reserved" {
		t.Fatalf("findings: %v", fs)
	}
	if got := fs[0].Position.String(); got != "manifests.yaml:7" {
		t.Errorf("located at %s, want manifests.yaml:7 (the label's line)", got)
	}
}
