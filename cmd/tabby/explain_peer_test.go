package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// explainRepo writes a repository of the given files (kustomization.yaml
// lists the others) into a temporary directory and returns the arguments
// that explain it.
func explainRepo(t *testing.T, files map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	var resources []string
	for name, body := range files {
		resources = append(resources, name)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kustomization := "resources: [" + strings.Join(resources, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"explain", "--root", dir, dir}
}

// peersRepo has a pod shop/api (10.244.1.7, port http=TCP/8080) whose
// ingress allows only the global network set corp, a host endpoint
// node1-eth0 (10.0.6.12) and a namespaced network set shop/partners.
var peersRepo = map[string]string{
	"inventory.yaml": `apiVersion: tabby.dev/v1alpha1
kind: Inventory
metadata: {name: test}
spec:
  namespaces:
  - {name: shop}
  pods:
  - {namespace: shop, name: api, labels: {app: api}, ips: [10.244.1.7], ports: [{name: http, port: 8080}]}
  - {namespace: shop, name: web, labels: {app: web}, ips: [10.244.1.8]}
`,
	"corp.yaml": `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: corp
  labels: {zone: corp}
spec:
  nets: [203.0.113.0/24]
`,
	"partners.yaml": `apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata:
  name: partners
  namespace: shop
  labels: {zone: partner}
spec:
  nets: [198.51.100.0/24]
`,
	"host.yaml": `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: node1-eth0
  labels: {role: node}
spec:
  node: node1
  interfaceName: eth0
  expectedIPs: [10.0.6.12]
  profiles: [projectcalico-default-allow]
`,
	"api.yaml": `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: api-from-corp}
spec:
  selector: app == "api"
  types: [Ingress]
  ingress:
  - action: Allow
    source:
      selector: zone == "corp"
`,
}

// TestExplainPeerByIP proves that an address given as a peer is what owns
// it: a pod or a host endpoint of the inventory, or else an address outside
// the cluster, carrying the labels of the network sets holding it; and that
// the output says which.
func TestExplainPeerByIP(t *testing.T) {
	args := explainRepo(t, peersRepo)
	for _, tc := range []struct {
		name     string
		from, to string
		code     int
		flow     string // the flow line
	}{
		{
			name: "a pod's address is that pod", from: "10.244.1.8", to: "shop/api", code: exitFindings,
			flow: "flow:    shop/web (10.244.1.8) -> shop/api (10.244.1.7) TCP/8080",
		},
		{
			name: "both ends by address", from: "10.244.1.8", to: "10.244.1.7", code: exitFindings,
			flow: "flow:    shop/web (10.244.1.8) -> shop/api (10.244.1.7) TCP/8080",
		},
		{
			name: "an address in a global network set is outside, with the set's labels", from: "203.0.113.9", to: "shop/api", code: exitOK,
			flow: "flow:    203.0.113.9 (outside the cluster, in global network set corp (zone=corp)) -> shop/api (10.244.1.7) TCP/8080",
		},
		{
			name: "an address in a namespaced network set", from: "198.51.100.3", to: "shop/api", code: exitFindings,
			flow: "flow:    198.51.100.3 (outside the cluster, in network set shop/partners (zone=partner)) -> shop/api (10.244.1.7) TCP/8080",
		},
		{
			name: "an address nothing holds is outside", from: "192.0.2.1", to: "shop/api", code: exitFindings,
			flow: "flow:    192.0.2.1 (outside the cluster) -> shop/api (10.244.1.7) TCP/8080",
		},
		{
			name: "a host endpoint's expected address is that host endpoint", from: "shop/web", to: "10.0.6.12", code: exitOK,
			flow: "flow:    shop/web (10.244.1.8) -> hostendpoint/node1-eth0 (10.0.6.12) TCP/8080",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := tabby(t, append(args, "--from", tc.from, "--to", tc.to, "--port", "8080")...)
			if code != tc.code || !strings.Contains(out, tc.flow+"\n") {
				t.Errorf("exit %d, want %d; want the line %q in\n%s%s", code, tc.code, tc.flow, out, stderr)
			}
		})
	}
}

// TestExplainPeerJSON proves the JSON output says what each end is: its
// kind, name and address, and the network sets holding an outside address.
func TestExplainPeerJSON(t *testing.T) {
	args := explainRepo(t, peersRepo)
	code, out, stderr := tabby(t, append(args, "--from", "203.0.113.9", "--to", "10.244.1.7", "--port", "8080", "-o", "json")...)
	var doc struct {
		Source      jsonPeer `json:"source"`
		Destination jsonPeer `json:"destination"`
		Result      struct {
			Verdict           string `json:"verdict"`
			SourceNetworkSets []struct {
				Kind   string            `json:"kind"`
				Name   string            `json:"name"`
				Labels map[string]string `json:"labels"`
			} `json:"sourceNetworkSets"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v\n%s%s", code, err, out, stderr)
	}
	if doc.Source.Kind != "outside" || doc.Source.IP != "203.0.113.9" || doc.Source.Name != "" {
		t.Errorf("source %+v, want outside 203.0.113.9", doc.Source)
	}
	if doc.Destination.Kind != "pod" || doc.Destination.Name != "shop/api" || doc.Destination.IP != "10.244.1.7" {
		t.Errorf("destination %+v, want pod shop/api 10.244.1.7", doc.Destination)
	}
	sets := doc.Result.SourceNetworkSets
	if len(sets) != 1 || sets[0].Kind != "GlobalNetworkSet" || sets[0].Name != "corp" || sets[0].Labels["zone"] != "corp" {
		t.Errorf("source network sets %+v, want GlobalNetworkSet corp (zone=corp)", sets)
	}
}

// jsonPeer is what the JSON says of one end.
type jsonPeer struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	IP   string `json:"ip"`
}
