// Package synthrepo generates large, valid configuration repositories for
// benchmarks: IP pools that do not overlap, BGP peers, tiers, policies,
// network sets, host endpoints and nodes, written a fixed number of objects
// per file. The same Spec always gives the same bytes.
package synthrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Spec says how many objects of each kind to generate.
type Spec struct {
	Tiers          int
	Pools          int
	Peers          int
	NetworkSets    int
	HostEndpoints  int
	GlobalPolicies int
	Policies       int
	Nodes          int
	// PerFile is the number of objects per file; default 100.
	PerFile int
}

// Total is the number of objects the Spec generates.
func (s Spec) Total() int {
	return s.Tiers + s.Pools + s.Peers + s.NetworkSets + s.HostEndpoints + s.GlobalPolicies + s.Policies + s.Nodes
}

// Mix returns a Spec of about n objects in the proportions of a large
// cluster's configuration: mostly policies, then pools, peers and sets.
func Mix(n int) Spec {
	return Spec{
		Tiers:          10,
		Pools:          n / 10,
		Peers:          n / 20,
		NetworkSets:    n / 20,
		HostEndpoints:  n / 20,
		GlobalPolicies: n / 10,
		Policies:       n - 10 - n/10 - n/20 - n/20 - n/20 - n/10 - n/20,
		Nodes:          n / 20,
	}
}

// Files returns the repository's files, slash paths to contents.
func Files(s Spec) map[string][]byte {
	if s.PerFile <= 0 {
		s.PerFile = 100
	}
	files := map[string][]byte{}
	emit := func(dir string, n int, doc func(i int) string) {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i%s.PerFile == 0 && b.Len() > 0 {
				files[fmt.Sprintf("%s/%05d.yaml", dir, i/s.PerFile-1)] = []byte(b.String())
				b.Reset()
			}
			b.WriteString("---\n")
			b.WriteString(doc(i))
		}
		if b.Len() > 0 {
			files[fmt.Sprintf("%s/%05d.yaml", dir, (n-1)/s.PerFile)] = []byte(b.String())
		}
	}
	emit("tiers", s.Tiers, func(i int) string {
		return fmt.Sprintf("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: tier-%d\nspec:\n  order: %d\n", i, 100+i)
	})
	emit("pools", s.Pools, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-%d
spec:
  cidr: %s
  blockSize: 26
  ipipMode: Never
  vxlanMode: CrossSubnet
  natOutgoing: true
  nodeSelector: rack == "rack%d"
`, i, poolCIDR(i), i%50)
	})
	emit("peers", s.Peers, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-%d
spec:
  nodeSelector: rack == "rack%d"
  peerIP: 172.%d.%d.%d
  asNumber: %d
`, i, i%50, 16+i/65536%16, i/256%256, i%256, 64513+i%1000)
	})
	emit("netsets", s.NetworkSets, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: set-%d
  labels:
    role: set-%d
spec:
  nets:
  - 198.%d.%d.0/24
`, i, i%100, 18+i/65536%2, i/256%256)
	})
	emit("heps", s.HostEndpoints, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: node-%d-eth0
  labels:
    host: node-%d
spec:
  node: node-%d
  interfaceName: eth0
  expectedIPs:
  - 192.0.%d.%d
`, i, i, i, i/256%256, i%256)
	})
	emit("gnps", s.GlobalPolicies, func(i int) string {
		tier := "default"
		name := fmt.Sprintf("gnp-%d", i)
		if s.Tiers > 0 && i%2 == 1 {
			tier = fmt.Sprintf("tier-%d", i%s.Tiers)
			name = tier + "." + name
		}
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: %s
spec:
  tier: %s
  order: %d
  selector: app == "app-%d"
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: role == "set-%d"
    destination:
      ports: [443, "8000:8080"]
  egress:
  - action: Deny
    destination:
      nets: [169.254.169.254/32]
  - action: Pass
`, name, tier, i%1000, i%500, i%100)
	})
	emit("policies", s.Policies, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: np-%d
  namespace: ns-%d
spec:
  order: %d
  selector: app == "app-%d"
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: app == "app-%d"
    destination:
      ports: [80]
  egress:
  - action: Allow
    protocol: UDP
    destination:
      selector: k8s-app == "kube-dns"
      namespaceSelector: projectcalico.org/name == "kube-system"
      ports: [53]
`, i, i%100, i%1000, i%500, (i+1)%500)
	})
	emit("nodes", s.Nodes, func(i int) string {
		return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node-%d
  labels:
    rack: rack%d
spec:
  bgp:
    ipv4Address: 10.%d.%d.%d/16
`, i, i%50, 200+i/(254*256)%50, i/254%256, i%254+1)
	})
	return files
}

// poolCIDR returns the i-th /24 of 10.0.0.0/8, then of 100.64.0.0/10.
func poolCIDR(i int) string {
	if i < 1<<16 {
		return fmt.Sprintf("10.%d.%d.0/24", i>>8, i&0xff)
	}
	i -= 1 << 16
	return fmt.Sprintf("100.%d.%d.0/24", 64+i>>8%64, i&0xff)
}

// WriteDir writes the repository's files under dir.
func WriteDir(dir string, s Spec) error {
	for name, data := range Files(s) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
