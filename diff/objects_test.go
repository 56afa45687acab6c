package diff

import (
	"slices"
	"strings"
	"testing"
)

const peer = `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor-a
spec:
  peerIP: 192.0.2.1
  asNumber: 64513
  nodeSelector: rack == 'a'
`

const policy = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  selector: app == 'web'
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    source:
      nets: [10.0.0.0/8, 192.168.0.0/16]
    destination:
      ports: [80, 443]
  - action: Allow
    source:
      selector: role == 'lb'
  egress:
  - action: Allow
`

const k8sPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: db}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}
    ports:
    - {port: 5432}
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
`

const fabric = `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - name: tor-a
    asNumber: 65001
    addresses: [192.0.2.1, 2001:db8::1]
  - name: tor-b
    asNumber: 65002
    addresses: [192.0.2.2]
`

const pool = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
  natOutgoing: true
`

const netset = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: partners
  labels: {role: partner}
spec:
  nets: [198.51.100.0/24, 203.0.113.0/24, 10.0.0.0/8]
`

// edit applies replacements (old, new, old, new, ...) to s, failing the
// test run if one does not apply, so that a case cannot silently test
// nothing.
func edit(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("edit: " + pairs[i] + " not in manifest")
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

var objectCases = []struct {
	name       string
	base, head map[string]string
	want       []string
}{
	// Cosmetic changes.
	{
		name: "key order",
		base: map[string]string{"a.yaml": peer},
		head: map[string]string{"a.yaml": `spec:
  nodeSelector: rack == 'a'
  asNumber: 64513
  peerIP: 192.0.2.1
metadata:
  name: tor-a
kind: BGPPeer
apiVersion: projectcalico.org/v3
`},
	},
	{
		name: "quoting",
		base: map[string]string{"a.yaml": peer},
		head: map[string]string{"a.yaml": edit(peer, "asNumber: 64513", `asNumber: "64513"`, "peerIP: 192.0.2.1", `peerIP: '192.0.2.1'`)},
	},
	{
		name: "defaults spelled out",
		base: map[string]string{"a.yaml": pool},
		head: map[string]string{"a.yaml": pool + "  blockSize: 26\n  ipipMode: Never\n  vxlanMode: Never\n  nodeSelector: all()\n  allowedUses: [Tunnel, Workload]\n"},
	},
	{
		name: "policy types and nets reordered",
		base: map[string]string{"a.yaml": policy},
		head: map[string]string{"a.yaml": edit(policy,
			"types: [Ingress, Egress]", "types: [Egress, Ingress]",
			"nets: [10.0.0.0/8, 192.168.0.0/16]", "nets: [192.168.0.0/16, 10.0.0.0/8]",
			"ports: [80, 443]", "ports: [443, 80]")},
	},
	{
		name: "network set nets reordered",
		base: map[string]string{"a.yaml": netset},
		head: map[string]string{"a.yaml": edit(netset, "[198.51.100.0/24, 203.0.113.0/24, 10.0.0.0/8]", "[10.0.0.0/8, 198.51.100.0/24, 203.0.113.0/24]")},
	},
	{
		name: "document order within a file",
		base: map[string]string{"a.yaml": peer + "---\n" + pool},
		head: map[string]string{"a.yaml": pool + "---\n" + peer},
	},
	{
		name: "objects moved to another file",
		base: map[string]string{"a.yaml": peer + "---\n" + pool + "---\n" + fabric},
		head: map[string]string{"bgp/peers.yaml": peer, "pools.yml": pool, "a.yaml": fabric},
	},
	{
		name: "kubernetes rules, peers and excepts reordered",
		base: map[string]string{"a.yaml": k8sPolicy},
		head: map[string]string{"a.yaml": `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
  - ports:
    - {port: 5432, protocol: TCP}
    from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16, 10.1.0.0/16]}
    - podSelector: {matchLabels: {app: web}}
`},
	},
	{
		name: "fabric routers and addresses reordered",
		base: map[string]string{"a.yaml": fabric},
		head: map[string]string{"a.yaml": `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - {name: tor-b, asNumber: 65002, addresses: [192.0.2.2]}
  - {name: tor-a, asNumber: 65001, addresses: ["2001:db8::1", 192.0.2.1]}
`},
	},

	// Changes.
	{
		name: "peer AS number",
		base: map[string]string{"a.yaml": peer},
		head: map[string]string{"a.yaml": edit(peer, "64513", "64512")},
		want: []string{"~ projectcalico.org/BGPPeer tor-a: spec.asNumber: 64513 → 64512"},
	},
	{
		name: "rule inserted at the top",
		base: map[string]string{"a.yaml": policy},
		head: map[string]string{"a.yaml": edit(policy, "  ingress:\n", "  ingress:\n  - action: Deny\n    source: {nets: [10.9.0.0/16]}\n")},
		want: []string{`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[0]: added {"action":"Deny","source":{"nets":["10.9.0.0/16"]}}`},
	},
	{
		name: "rule inserted at the top and the next one changed",
		base: map[string]string{"a.yaml": policy},
		head: map[string]string{"a.yaml": edit(policy,
			"  ingress:\n", "  ingress:\n  - action: Deny\n    source: {nets: [10.9.0.0/16]}\n",
			"ports: [80, 443]", "ports: [80]")},
		want: []string{
			`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[0]: added {"action":"Deny","source":{"nets":["10.9.0.0/16"]}}`,
			`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[1].destination.ports: removed 443`,
		},
	},
	{
		name: "rule action changed",
		base: map[string]string{"a.yaml": policy},
		head: map[string]string{"a.yaml": edit(policy, "  - action: Allow\n    source:\n      selector", "  - action: Deny\n    source:\n      selector")},
		want: []string{`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[1].action: "Allow" → "Deny"`},
	},
	{
		name: "calico rules swapped",
		base: map[string]string{"a.yaml": policy},
		head: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  selector: app == 'web'
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    source: {selector: role == 'lb'}
  - action: Allow
    source: {nets: [10.0.0.0/8, 192.168.0.0/16]}
    destination: {ports: [80, 443]}
  egress:
  - action: Allow
`},
		want: []string{
			`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[0]: removed {"action":"Allow","destination":{"ports":[80,443]},"source":{"nets":["10.0.0.…`,
			`~ projectcalico.org/NetworkPolicy shop/web: spec.ingress[1]: added {"action":"Allow","destination":{"ports":[80,443]},"source":{"nets":["10.0.0.…`,
		},
	},
	{
		name: "kubernetes ingress rules swapped",
		base: map[string]string{"a.yaml": k8sPolicy},
		head: map[string]string{"a.yaml": edit(k8sPolicy,
			"  - from:\n    - podSelector: {matchLabels: {app: web}}\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}\n    ports:\n    - {port: 5432}\n  - from:\n    - namespaceSelector: {matchLabels: {team: ops}}\n",
			"  - from:\n    - namespaceSelector: {matchLabels: {team: ops}}\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}\n    ports:\n    - {port: 5432}\n")},
	},
	{
		name: "kubernetes peer added",
		base: map[string]string{"a.yaml": k8sPolicy},
		head: map[string]string{"a.yaml": edit(k8sPolicy, "    - namespaceSelector: {matchLabels: {team: ops}}\n", "    - namespaceSelector: {matchLabels: {team: ops}}\n    - podSelector: {matchLabels: {app: ops}}\n")},
		want: []string{`~ networking.k8s.io/NetworkPolicy shop/db: spec.ingress: removed {"from":[{"namespaceSelector":{"matchLabels":{"team":"ops"}}}]}`,
			`~ networking.k8s.io/NetworkPolicy shop/db: spec.ingress: added {"from":[{"namespaceSelector":{"matchLabels":{"team":"ops"}}},{"podSelector":…`},
	},
	{
		name: "labels added and removed",
		base: map[string]string{"a.yaml": edit(peer, "  name: tor-a\n", "  name: tor-a\n  labels:\n    app.kubernetes.io/name: tor\n")},
		head: map[string]string{"a.yaml": edit(peer, "  name: tor-a\n", "  name: tor-a\n  labels:\n    rack: a\n")},
		want: []string{
			`~ projectcalico.org/BGPPeer tor-a: metadata.labels["app.kubernetes.io/name"]: removed "tor"`,
			`~ projectcalico.org/BGPPeer tor-a: metadata.labels.rack: added "a"`,
		},
	},
	{
		name: "network set net added",
		base: map[string]string{"a.yaml": netset},
		head: map[string]string{"a.yaml": edit(netset, "10.0.0.0/8]", "10.0.0.0/8, 172.16.0.0/12]")},
		want: []string{`~ projectcalico.org/GlobalNetworkSet partners: spec.nets: added "172.16.0.0/12"`},
	},
	{
		name: "objects added and removed",
		base: map[string]string{"a.yaml": peer + "---\n" + fabric},
		head: map[string]string{"a.yaml": pool + "---\n" + fabric},
		want: []string{"+ projectcalico.org/IPPool pods", "- projectcalico.org/BGPPeer tor-a"},
	},
	{
		name: "fabric router AS number, routers reordered",
		base: map[string]string{"a.yaml": fabric},
		head: map[string]string{"a.yaml": `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - name: tor-b
    asNumber: 65002
    addresses: [192.0.2.2]
  - name: tor-a
    asNumber: 65010
    addresses: [192.0.2.1, 2001:db8::1]
`},
		want: []string{"~ tabby.dev/Fabric dc1: spec.routers[1].asNumber: 65001 → 65010"},
	},
	{
		name: "fabric router renamed and address added",
		base: map[string]string{"a.yaml": fabric},
		head: map[string]string{"a.yaml": edit(fabric, "name: tor-b", "name: tor-c", "[192.0.2.1, 2001:db8::1]", "[192.0.2.1, 2001:db8::1, 192.0.2.11]")},
		want: []string{
			`~ tabby.dev/Fabric dc1: spec.routers[0].addresses: added "192.0.2.11"`,
			`~ tabby.dev/Fabric dc1: spec.routers[1]: added {"addresses":["192.0.2.2"],"asNumber":65002,"name":"tor-c"}`,
			`~ tabby.dev/Fabric dc1: spec.routers[1]: removed {"addresses":["192.0.2.2"],"asNumber":65002,"name":"tor-b"}`,
		},
	},
}

func TestObjects(t *testing.T) {
	for _, tc := range objectCases {
		t.Run(tc.name, func(t *testing.T) {
			base, head := renderFiles(t, tc.base), renderFiles(t, tc.head)
			changes := Objects(base.Objects, head.Objects)
			if got := lines(changes); !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			for _, c := range changes {
				checkPaths(t, c.Fields)
			}
			// The other way round, the same objects differ.
			if back := Objects(head.Objects, base.Objects); len(back) != len(changes) {
				t.Errorf("%d changes from base to head, %d back", len(changes), len(back))
			}
		})
	}
}

func TestObjectNil(t *testing.T) {
	o := renderFiles(t, map[string]string{"a.yaml": peer}).Objects[0]
	// A field absent on one side is reported whole, however deep it is.
	want := []string{`spec: added {"asNumber":64513,"nodeSelector":"rack == 'a'","peerIP":"192.0.2.1"}`}
	if got := fieldLines(Object(nil, o)); !slices.Equal(got, want) {
		t.Errorf("from nothing: got %q, want %q", got, want)
	}
	if got := Object(o, nil); len(got) != len(want) || got[0].After != nil {
		t.Errorf("to nothing: got %q", fieldLines(got))
	}
	if got := Object(o, o); got != nil {
		t.Errorf("an object differs from itself: %q", fieldLines(got))
	}
}
