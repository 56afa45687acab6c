package diff

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/tabbynet/tabby/manifest"
)

// live decodes a live object written as YAML the way a client would hand it
// over: numbers as float64, not json.Number.
func live(t *testing.T, y string) map[string]any {
	t.Helper()
	data, err := yaml.YAMLToJSON([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// serverMeta is metadata the API server and other managers add.
const serverMeta = `  uid: 0b5c2a8e-1f0e-4f57-9d0e-3f1f0c0f7a11
  resourceVersion: "81723"
  generation: 4
  creationTimestamp: "2026-01-02T03:04:05Z"
  managedFields:
  - {manager: tabby, operation: Apply, apiVersion: v1}
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: "{}"
    ops.example.com/owner: team-net
`

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string // manifest, rendered
		have string // live object
		out  []string
	}{
		{
			name: "server defaults, status and extra metadata",
			want: pool,
			have: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
` + serverMeta + `  labels: {projectcalico.org/managed-by: other}
spec:
  cidr: 10.244.0.0/16
  natOutgoing: true
  blockSize: 26
  ipipMode: Never
  vxlanMode: Never
  nodeSelector: all()
  allowedUses: [Tunnel, Workload]
  assignmentMode: Automatic
  disableBGPExport: false
status:
  conditions: [{type: Allocatable, status: "True", reason: OK}]
`,
		},
		{
			name: "a live value changed",
			want: peer,
			have: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor-a
` + serverMeta + `spec:
  peerIP: 192.0.2.1
  asNumber: 64999
  nodeSelector: rack == 'a'
`,
			out: []string{"spec.asNumber: 64999 → 64513"},
		},
		{
			name: "a live set element removed and another added",
			want: netset,
			have: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {role: partner, extra: "yes"}}
spec:
  nets: [203.0.113.0/24, 198.51.100.0/24, 192.0.2.0/24]
`,
			out: []string{`spec.nets: removed "192.0.2.0/24"`, `spec.nets: added "10.0.0.0/8"`},
		},
		{
			name: "a live rule removed",
			want: policy,
			have: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop, labels: {projectcalico.org/tier: default}}
spec:
  tier: default
  selector: app == 'web'
  types: [Egress, Ingress]
  ingress:
  - action: Allow
    source: {nets: [192.168.0.0/16, 10.0.0.0/8]}
    destination: {ports: [443, 80]}
  egress:
  - action: Allow
`,
			out: []string{`spec.ingress[1]: added {"action":"Allow","source":{"selector":"role == 'lb'"}}`},
		},
		{
			name: "a live rule added",
			want: policy,
			have: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop, labels: {projectcalico.org/tier: default}}
spec:
  tier: default
  selector: app == 'web'
  types: [Egress, Ingress]
  ingress:
  - action: Allow
    source: {nets: [192.168.0.0/16, 10.0.0.0/8]}
    destination: {ports: [443, 80]}
  - action: Allow
    source: {selector: role == 'lb'}
  egress:
  - action: Allow
    destination: {nets: [0.0.0.0/0]}
  - action: Allow
`,
			out: []string{`spec.egress[0]: removed {"action":"Allow","destination":{"nets":["0.0.0.0/0"]}}`},
		},
		{
			name: "live rules reordered, with fields the server adds",
			want: k8sPolicy,
			have: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
` + serverMeta + `spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16, 10.1.0.0/16]}
    - podSelector: {matchLabels: {app: web}}
      serverDefault: 1
    ports:
    - {port: 5432, protocol: TCP}
`,
		},
		{
			name: "a live keyed element changed",
			want: fabric,
			have: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - {name: tor-b, asNumber: 65002, addresses: [192.0.2.2]}
  - {name: tor-a, asNumber: 65001, addresses: [192.0.2.1]}
`,
			out: []string{`spec.routers[0].addresses: added "2001:db8::1"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := renderFiles(t, map[string]string{"a.yaml": tc.want})
			want, err := manifest.CanonicalMap(b.Objects[0].Object)
			if err != nil {
				t.Fatal(err)
			}
			have := live(t, tc.have)
			fs := Missing(want, have)
			if got := fieldLines(fs); !slices.Equal(got, tc.out) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.out, "\n\t"))
			}
			checkPaths(t, fs)
			if fs := Missing(want, want); len(fs) != 0 {
				t.Errorf("an object lacks nothing of itself, got %v", fieldLines(fs))
			}
		})
	}
}
