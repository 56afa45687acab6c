package validate

import (
	"fmt"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var codeNodeKeyReserved = define(Code{
	ID: "node-label-reserved", Severity: SeverityError, Stricter: true,
	Title: "a Node sets a label or annotation in a domain Kubernetes, its cluster tooling or a cloud provider reserves",
	Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
  labels:
    rack: rack7
    node-role.kubernetes.io/control-plane: ""
spec:
  bgp:
    ipv4Address: 10.0.7.11/24
`,
})

// reservedNodeDomains are the domains of the label and annotation keys a
// network configuration must not set on a Kubernetes Node, each with who
// owns it. A key is in a domain when its prefix is the domain or one of
// its subdomains: kubernetes.io covers node-role.kubernetes.io,
// node.kubernetes.io, topology.kubernetes.io, kubelet.kubernetes.io,
// node-restriction.kubernetes.io and beta.kubernetes.io. These keys carry
// the Node's identity (kubernetes.io/hostname), its role
// (node-role.kubernetes.io/control-plane, which control-plane workloads
// select and tolerate), its place (topology.kubernetes.io/zone) and what
// its provisioner knows of it (eks.amazonaws.com/nodegroup,
// cluster.x-k8s.io/machine): set from Git, they would move workloads and
// mislead the kubelet, the scheduler, the cloud controller and the node
// lifecycle tools that own them. config/admission/controller_nodes.yaml
// holds the same list for the API server; keep the two equal.
var reservedNodeDomains = []struct{ domain, owner string }{
	// Kubernetes reserves kubernetes.io and k8s.io for its core
	// components (Well-Known Labels, Annotations and Taints).
	{"kubernetes.io", "Kubernetes"},
	{"k8s.io", "Kubernetes"},
	// Kubernetes SIG projects: Cluster API links Nodes to its Machines
	// with cluster.x-k8s.io annotations and labels.
	{"x-k8s.io", "Kubernetes SIG projects (Cluster API)"},
	{"karpenter.sh", "Karpenter"},
	// Managed Kubernetes and cloud controllers label their Nodes with their
	// node pools, instance types and capacity types.
	{"cloud.google.com", "Google Cloud (GKE)"},
	{"gke.io", "Google Cloud (GKE)"},
	{"googleapis.com", "Google Cloud (GKE)"},
	{"amazonaws.com", "AWS (EKS)"},
	{"k8s.aws", "AWS (Karpenter, EKS)"},
	{"azure.com", "Microsoft Azure (AKS)"},
	{"digitalocean.com", "DigitalOcean (DOKS)"},
	{"oraclecloud.com", "Oracle Cloud (OKE)"},
	{"ibm.com", "IBM Cloud"},
	{"alibabacloud.com", "Alibaba Cloud (ACK)"},
	{"openstack.org", "OpenStack"},
}

// nodeKeysAllowed are keys in a reserved domain that a network
// configuration owns. Calico stops advertising service addresses from a
// node that carries node.kubernetes.io/exclude-from-external-load-balancers
// (as the service controller stops sending load-balancer traffic to it):
// it is network configuration, and Calico's docs set it on Nodes.
var nodeKeysAllowed = map[string]bool{
	"node.kubernetes.io/exclude-from-external-load-balancers": true,
}

// checkNodeKeys reports the labels and annotations of a Node that are in a
// reserved domain. tabby applies a Node's labels to the Kubernetes Node of
// its name, forcing ownership, so a reserved label there would take the
// Kubernetes Node's own over. Its annotations are not applied (tabby sets
// only the BGP annotations, from spec.bgp); reserved ones are refused all
// the same, as they can only be a mistake.
func checkNodeKeys(r *reporter, n *v3.Node) {
	for _, k := range sortedKeys(n.Labels) {
		if owner, domain := reservedNodeKey(k); owner != "" {
			r.report(codeNodeKeyReserved, fieldPath("metadata.labels")+fmt.Sprintf("[%q]", k),
				"label %q is in %s, which %s reserves for the Kubernetes Node's own labels: tabby would take it over on the Kubernetes Node; remove it, or use a key of your own domain or no prefix (rack: rack7)", k, domain, owner)
		}
	}
	for _, k := range sortedKeys(n.Annotations) {
		if owner, domain := reservedNodeKey(k); owner != "" {
			r.report(codeNodeKeyReserved, fieldPath("metadata.annotations")+fmt.Sprintf("[%q]", k),
				"annotation %q is in %s, which %s reserves for the Kubernetes Node's own annotations; remove it", k, domain, owner)
		}
	}
}

// reservedNodeKey returns who reserves the domain of a label or annotation
// key's prefix, and the domain, or "" when the key is one a network
// configuration may set. A key without a prefix is never reserved.
// Annotation keys may be written in upper case; domains are compared
// without case.
func reservedNodeKey(key string) (owner, domain string) {
	prefix, _, ok := strings.Cut(key, "/")
	if !ok || nodeKeysAllowed[key] {
		return "", ""
	}
	prefix = strings.ToLower(prefix)
	for _, d := range reservedNodeDomains {
		if prefix == d.domain || strings.HasSuffix(prefix, "."+d.domain) {
			return d.owner, d.domain
		}
	}
	return "", ""
}
