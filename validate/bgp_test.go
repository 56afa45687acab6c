package validate

import (
	"slices"
	"strings"
	"testing"
)

// ruleCase is a table case: manifests, and the "code field" of every finding
// they must produce, in any order (nil: valid, no finding at all).
type ruleCase struct {
	name  string
	yaml  string
	setup []func(*Input)
	want  []string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := keysOf(validateYAML(t, tc.yaml, tc.setup...))
			want := slices.Clone(tc.want)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n  got  %q\n  want %q", got, tc.want)
			}
		})
	}
}

const peerHead = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n"

func TestBGPPeerRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "valid ToR peer", yaml: peerHead + "  nodeSelector: rack == 'rack7'\n  peerIP: 10.0.7.1\n  asNumber: 64513\n"},
		{name: "valid peer with port", yaml: peerHead + "  peerIP: 10.0.7.1:1790\n  asNumber: 64513\n"},
		{name: "valid v6 peer with port", yaml: peerHead + "  peerIP: '[fd00::1]:1790'\n  asNumber: 64513\n"},
		{name: "valid selector peer", yaml: peerHead + "  nodeSelector: all()\n  peerSelector: route-reflector == 'true'\n"},
		{name: "node and nodeSelector", yaml: peerHead + "  node: n1\n  nodeSelector: all()\n  peerIP: 10.0.7.1\n  asNumber: 64513\n",
			want: []string{"peer-invalid spec.nodeSelector"}},
		{name: "peerIP and peerSelector", yaml: peerHead + "  peerIP: 10.0.7.1\n  peerSelector: all()\n",
			want: []string{"peer-invalid spec.peerSelector"}},
		{name: "asNumber with peerSelector", yaml: peerHead + "  peerSelector: all()\n  asNumber: 64513\n",
			want: []string{"peer-invalid spec.asNumber"}},
		{name: "localWorkloadSelector with peerIP and no AS", yaml: peerHead + "  localWorkloadSelector: app == 'x'\n  peerIP: 10.0.7.1\n",
			want: []string{"peer-invalid spec.asNumber", "peer-invalid spec.localWorkloadSelector"}},
		{name: "bad peer IPs", yaml: peerHead + "  peerIP: 192.168.0.256\n  asNumber: 64513\n", want: []string{"peer-ip-invalid spec.peerIP"}},
		{name: "v6 with port without brackets", yaml: peerHead + "  peerIP: fd00::1:179x\n  asNumber: 64513\n", want: []string{"peer-ip-invalid spec.peerIP"}},
		{name: "port out of range", yaml: peerHead + "  peerIP: 10.0.7.1:65536\n  asNumber: 64513\n", want: []string{"peer-ip-invalid spec.peerIP"}},
		{name: "bare port", yaml: peerHead + "  peerIP: ':179'\n  asNumber: 64513\n", want: []string{"peer-ip-invalid spec.peerIP"}},
		{name: "reachableBy other family", yaml: peerHead + "  peerIP: 10.0.7.1\n  reachableBy: fd00::1\n  asNumber: 64513\n",
			want: []string{"peer-ip-invalid spec.reachableBy"}},
		{name: "reachableBy without peerIP", yaml: peerHead + "  peerSelector: all()\n  reachableBy: 10.0.0.1\n",
			want: []string{"peer-invalid spec.reachableBy"}},
		{name: "keepOriginalNextHop with nextHopMode", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 64513\n  keepOriginalNextHop: true\n  nextHopMode: Keep\n",
			want: []string{"peer-invalid spec.keepOriginalNextHop"}},
		{name: "enums", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 64513\n  sourceAddress: useNodeIP\n  nextHopMode: self\n  reversePeering: Sometimes\n",
			want: []string{"peer-invalid spec.nextHopMode", "peer-invalid spec.reversePeering", "peer-invalid spec.sourceAddress"}},
		{name: "no target", yaml: peerHead + "  nodeSelector: all()\n", want: []string{"peer-no-target spec"}},
		{name: "reserved ASN", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 65535\n", want: []string{"asn-reserved spec.asNumber"}},
		{name: "4-byte ASN above int32", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 4200000000\n", want: []string{"asn-above-int32 spec.asNumber"}},
		{name: "asdot ASN", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: '64086.59904'\n", want: []string{"asn-above-int32 spec.asNumber"}},
		{name: "bad selector", yaml: peerHead + "  nodeSelector: rack = 'rack7'\n  peerIP: 10.0.7.1\n  asNumber: 64513\n", want: []string{"selector-invalid spec.nodeSelector"}},
		{name: "missing filter", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 64513\n  filters: [f]\n", want: []string{"peer-filter-missing spec.filters[0]"}},
		{name: "filter present", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 64513\n  filters: [f]\n---\napiVersion: projectcalico.org/v3\nkind: BGPFilter\nmetadata: {name: f}\nspec: {}\n"},
		{name: "password without key", yaml: peerHead + "  peerIP: 10.0.7.1\n  asNumber: 64513\n  password: {secretKeyRef: {name: s}}\n",
			want: []string{"bgp-config-invalid spec.password.secretKeyRef"}},
	})
}

func TestASNRules(t *testing.T) {
	cfg := func(as string) string {
		return "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec:\n  asNumber: " + as + "\n"
	}
	for _, as := range []string{"0", "23456", "64496", "64511", "65535", "65536", "65551", "4294967295"} {
		got := codesOf(validateYAML(t, cfg(as)))
		if !slices.Contains(got, "asn-reserved") {
			t.Errorf("AS %s: findings %v, want asn-reserved", as, got)
		}
	}
	for _, as := range []string{"64512", "65534", "4200000000", "4294967294"} {
		if got := codesOf(validateYAML(t, cfg(as))); slices.Contains(got, "asn-reserved") || slices.Contains(got, "asn-public") {
			t.Errorf("private AS %s: findings %v", as, got)
		}
	}
	if got := codesOf(validateYAML(t, cfg("64495"))); !slices.Equal(got, []string{"asn-public"}) {
		t.Errorf("public AS: %v", got)
	}
	f := validateYAML(t, cfg("23456"))
	if !strings.Contains(f[0].Message, "AS_TRANS") || !strings.HasSuffix(f[0].Message, stricterNote) {
		t.Errorf("message %q does not explain or mark itself stricter than Calico", f[0].Message)
	}
}

const configHead = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n"

func TestBGPConfigurationRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "valid", yaml: configHead + "  asNumber: 64512\n  nodeToNodeMeshEnabled: false\n  logSeverityScreen: debug\n  serviceClusterIPs: [{cidr: 10.96.0.0/12}, {cidr: ''}]\n  listenPort: 1790\n"},
		{name: "unknown name", yaml: "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: global}\nspec: {}\n",
			want: []string{"bgp-config-name metadata.name"}},
		{name: "per-node ignored fields", yaml: "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: node.rack7-node1}\nspec:\n  listenPort: 1790\n  asNumber: 64512\n",
			want: []string{"bgp-config-name spec.asNumber"}},
		{name: "log level", yaml: configHead + "  logSeverityScreen: Verbose\n", want: []string{"bgp-config-invalid spec.logSeverityScreen"}},
		{name: "service CIDR not strict", yaml: configHead + "  serviceClusterIPs: [{cidr: 10.96.0.1/12}]\n", want: []string{"bgp-config-invalid spec.serviceClusterIPs[0].cidr"}},
		{name: "mesh password with mesh off", yaml: configHead + "  nodeToNodeMeshEnabled: false\n  nodeMeshPassword: {secretKeyRef: {name: s, key: k}}\n",
			want: []string{"bgp-config-invalid spec.nodeMeshPassword"}},
		{name: "ignored interfaces", yaml: configHead + "  ignoredInterfaces: ['*', 'eth*', 'an-interface-name-too-long']\n",
			want: []string{"bgp-config-invalid spec.ignoredInterfaces[0]", "bgp-config-invalid spec.ignoredInterfaces[2]"}},
		{name: "workload peering IP family", yaml: configHead + "  localWorkloadPeeringIPV4: fe80::1\n", want: []string{"bgp-config-invalid spec.localWorkloadPeeringIPV4"}},
		{name: "communities", yaml: configHead + "  communities:\n  - {name: ok, value: '64512:100'}\n  - {name: big, value: '64512:70000'}\n  - {name: large, value: '4200000000:1:2'}\n  prefixAdvertisements:\n  - cidr: 10.244.0.0/16\n    communities: [ok, missing, '1:2:3:4']\n",
			want: []string{"bgp-community-invalid spec.communities[1].value", "bgp-community-invalid spec.prefixAdvertisements[0].communities[1]", "bgp-community-invalid spec.prefixAdvertisements[0].communities[2]"}},
		{name: "communities without advertisements", yaml: configHead + "  communities: [{name: ok, value: '64512:100'}]\n",
			want: []string{"bgp-community-invalid spec.communities"}},
		{name: "explicit AS 0", yaml: configHead + "  asNumber: 0\n", want: []string{"asn-reserved spec.asNumber"}},
	})
}

func TestBGPFilterRules(t *testing.T) {
	head := "apiVersion: projectcalico.org/v3\nkind: BGPFilter\nmetadata: {name: f}\nspec:\n"
	runRuleCases(t, []ruleCase{
		{name: "valid", yaml: head + "  exportV4:\n  - {action: Accept, cidr: 10.0.0.0/8, matchOperator: In, prefixLength: {min: 16, max: 24}}\n  importV6:\n  - {action: Reject, interface: 'eth*'}\n"},
		{name: "family mismatch", yaml: head + "  exportV4:\n  - {action: Accept, cidr: 'fd00::/8', matchOperator: In}\n", want: []string{"bgp-filter-invalid spec.exportV4[0].cidr"}},
		{name: "cidr without operator", yaml: head + "  importV4:\n  - {action: Accept, cidr: 10.0.0.0/8}\n", want: []string{"bgp-filter-invalid spec.importV4[0].matchOperator"}},
		{name: "prefix lengths", yaml: head + "  exportV4:\n  - {action: Accept, cidr: 10.0.0.0/16, matchOperator: In, prefixLength: {min: 8, max: 40}}\n",
			want: []string{"bgp-filter-invalid spec.exportV4[0].prefixLength.max", "bgp-filter-invalid spec.exportV4[0].prefixLength.min"}},
		{name: "operations on reject", yaml: head + "  exportV4:\n  - action: Reject\n    operations: [{setPriority: {value: 10}}]\n", want: []string{"bgp-filter-invalid spec.exportV4[0].operations"}},
		{name: "two operations in one entry", yaml: head + "  exportV4:\n  - action: Accept\n    operations: [{setPriority: {value: 10}, addCommunity: {value: '1:2'}}]\n", want: []string{"bgp-filter-invalid spec.exportV4[0].operations[0]"}},
		{name: "action", yaml: head + "  exportV4:\n  - {action: accept}\n", want: []string{"bgp-filter-invalid spec.exportV4[0].action"}},
	})
}

func TestNodeRules(t *testing.T) {
	head := "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: n1}\nspec:\n"
	runRuleCases(t, []ruleCase{
		{name: "valid", yaml: head + "  bgp: {ipv4Address: 10.0.7.11/24, ipv6Address: 'fd00::11/64', asNumber: 64513}\n"},
		{name: "bare v4 address", yaml: head + "  bgp: {ipv4Address: 10.0.7.11}\n"},
		{name: "wrong family", yaml: head + "  bgp: {ipv4Address: 'fd00::11/64', ipv6Address: 10.0.0.1}\n", want: []string{"node-bgp-invalid spec.bgp.ipv4Address", "node-bgp-invalid spec.bgp.ipv6Address"}},
		{name: "empty bgp", yaml: head + "  bgp: {}\n", want: []string{"node-bgp-invalid spec.bgp"}},
		{name: "cluster ID", yaml: head + "  bgp: {ipv4Address: 10.0.7.11/24, routeReflectorClusterID: 'rr-1'}\n", want: []string{"node-bgp-invalid spec.bgp.routeReflectorClusterID", "route-reflector-single spec.bgp.routeReflectorClusterID"}},
	})
}
