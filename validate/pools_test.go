package validate

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
)

func pool(name, cidr, extra string) string {
	return fmt.Sprintf("---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: %s\nspec:\n  cidr: %s\n%s", name, cidr, extra)
}

func TestIPPoolRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "valid v4", yaml: pool("a", "10.244.0.0/16", "  vxlanMode: CrossSubnet\n  natOutgoing: true\n")},
		{name: "valid v6 with VXLAN", yaml: pool("a", "fd00:10:244::/48", "  vxlanMode: Always\n")},
		{name: "host bits", yaml: pool("a", "10.244.0.1/16", ""), want: []string{"pool-cidr-invalid spec.cidr"}},
		{name: "not a CIDR", yaml: pool("a", "10.0.256.0/24", ""), want: []string{"pool-cidr-invalid spec.cidr"}},
		{name: "prefix out of range", yaml: pool("a", "10.0.1.0/33", ""), want: []string{"pool-cidr-invalid spec.cidr"}},
		{name: "block size v4", yaml: pool("a", "10.244.0.0/16", "  blockSize: 19\n"), want: []string{"pool-block-size spec.blockSize"}},
		{name: "block size v6", yaml: pool("a", "fd00::/48", "  blockSize: 115\n"), want: []string{"pool-block-size spec.blockSize"}},
		{name: "pool smaller than block", yaml: pool("a", "10.244.0.0/27", ""), want: []string{"pool-block-size spec.cidr"}},
		{name: "disabled pool may be small", yaml: pool("a", "10.244.0.0/27", "  disabled: true\n")},
		{name: "v6 pool smaller than default block", yaml: pool("a", "fd5f::/123", ""), want: []string{"pool-block-size spec.cidr"}},
		{name: "link-local", yaml: pool("a", "169.254.0.0/16", ""), want: []string{"pool-link-local spec.cidr"}},
		{name: "v6 link-local", yaml: pool("a", "fe80::/64", ""), want: []string{"pool-link-local spec.cidr"}},
		{name: "loopback", yaml: pool("a", "127.0.0.0/16", ""), want: []string{"pool-reserved-range spec.cidr"}},
		{name: "multicast", yaml: pool("a", "239.0.0.0/16", ""), want: []string{"pool-reserved-range spec.cidr"}},
		{name: "default route", yaml: pool("a", "0.0.0.0/0", "  disabled: true\n"), want: []string{"pool-link-local spec.cidr", "pool-reserved-range spec.cidr"}},
		{name: "IPIP on v6", yaml: pool("a", "fd00::/48", "  ipipMode: Always\n"), want: []string{"pool-encapsulation spec.ipipMode"}},
		{name: "IPIP and VXLAN", yaml: pool("a", "10.244.0.0/16", "  ipipMode: Always\n  vxlanMode: Always\n"), want: []string{"pool-encapsulation spec.ipipMode"}},
		{name: "mode spelling", yaml: pool("a", "10.244.0.0/16", "  ipipMode: never\n"), want: []string{"pool-encapsulation spec.ipipMode"}},
		{name: "unknown use", yaml: pool("a", "10.244.0.0/16", "  allowedUses: [Workload, Pods]\n"), want: []string{"pool-allowed-uses spec.allowedUses[1]"}},
		{name: "load balancer combinations", yaml: pool("a", "192.0.2.0/24", "  allowedUses: [LoadBalancer, Tunnel]\n  vxlanMode: Always\n  disableBGPExport: true\n  nodeSelector: rack == 'a'\n"),
			want: []string{"pool-allowed-uses spec.allowedUses", "pool-allowed-uses spec.allowedUses", "pool-allowed-uses spec.disableBGPExport", "pool-allowed-uses spec.nodeSelector"}},
		{name: "valid load balancer pool", yaml: pool("a", "192.0.2.0/24", "  allowedUses: [LoadBalancer]\n")},
		{name: "namespaceSelector with Tunnel", yaml: pool("a", "10.244.0.0/16", "  namespaceSelector: team == 'a'\n"), want: []string{"pool-allowed-uses spec.namespaceSelector"}},
		{name: "namespaceSelector on a workload pool", yaml: pool("a", "10.244.0.0/16", "  namespaceSelector: team == 'a'\n  allowedUses: [Workload]\n")},
		{name: "global() in nodeSelector", yaml: pool("a", "10.244.0.0/16", "  nodeSelector: global()\n"), want: []string{"selector-global-misplaced spec.nodeSelector"}},
		{name: "assignment mode", yaml: pool("a", "10.244.0.0/16", "  assignmentMode: manual\n"), want: []string{"pool-assignment-mode spec.assignmentMode"}},
		{name: "overlap reported on both pools", yaml: pool("a", "10.244.0.0/16", "") + pool("b", "10.244.128.0/24", ""),
			want: []string{"pool-overlap spec.cidr", "pool-overlap spec.cidr"}},
		{name: "identical CIDRs", yaml: pool("a", "10.244.0.0/16", "") + pool("b", "10.244.0.0/16", ""),
			want: []string{"pool-overlap spec.cidr", "pool-overlap spec.cidr"}},
		{name: "adjacent pools do not overlap", yaml: pool("a", "10.244.0.0/16", "") + pool("b", "10.245.0.0/16", "") + pool("c", "fd00::/48", "")},
		{name: "overlap with a live pool", yaml: pool("a", "10.244.0.0/16", ""),
			setup: []func(*Input){func(in *Input) { in.Live = renderObjects(t, pool("live", "10.244.3.0/24", "")) }},
			want:  []string{"pool-overlap spec.cidr"}},
		{name: "a live pool replaced by its new version", yaml: pool("a", "10.245.0.0/16", ""),
			setup: []func(*Input){func(in *Input) {
				in.Live = renderObjects(t, pool("a", "10.244.0.0/16", "")+pool("b", "10.244.0.0/17", ""))
			}}},
		{name: "service CIDR", yaml: pool("a", "10.96.0.0/16", ""),
			setup: []func(*Input){func(in *Input) { in.ServiceCIDRs = []netip.Prefix{netip.MustParsePrefix("10.96.0.0/12")} }},
			want:  []string{"pool-service-overlap spec.cidr"}},
		{name: "outside pod CIDR", yaml: pool("a", "10.250.0.0/16", "") + pool("b", "10.244.0.0/16", ""),
			setup: []func(*Input){func(in *Input) { in.PodCIDRs = []netip.Prefix{netip.MustParsePrefix("10.244.0.0/14")} }},
			want:  []string{"pool-outside-pod-cidr spec.cidr"}},
		{name: "reservations", yaml: pool("a", "10.244.0.0/16", "") + "---\napiVersion: projectcalico.org/v3\nkind: IPReservation\nmetadata: {name: r}\nspec:\n  reservedCIDRs: [10.244.1.0/24, 10.245.0.1, 10.0.0.0/8, bad]\n",
			want: []string{"nets-invalid spec.reservedCIDRs[3]", "reservation-bare-address spec.reservedCIDRs[1]", "reservation-outside-pools spec.reservedCIDRs[1]"}},
	})
}

func TestPoolOverlapMessage(t *testing.T) {
	fs := validateYAML(t, pool("pods", "10.244.0.0/16", "")+pool("payments", "10.244.128.0/24", ""))
	if len(fs) != 2 {
		t.Fatalf("findings: %v", fs)
	}
	for _, f := range fs {
		if len(f.Related) != 1 || f.Related[0].Position.Line == 0 {
			t.Errorf("finding %s lacks the other pool's position", f)
		}
	}
	if want := "IPPool payments (10.244.128.0/24) lies inside IPPool pods (10.244.0.0/16, at manifests.yaml:7)"; !strings.Contains(fs[1].Message, want) && !strings.Contains(fs[0].Message, want) {
		t.Errorf("messages %q / %q lack %q", fs[0].Message, fs[1].Message, want)
	}
}

// TestPoolOverlapMatchesPairwise checks the sweep against comparing every
// pair, on random pools.
func TestPoolOverlapMatchesPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		var yaml strings.Builder
		var prefixes []netip.Prefix
		for i := 0; i < 40; i++ {
			bits := 16 + rng.IntN(9)
			addr := netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), byte(rng.IntN(256)), 0})
			p, _ := addr.Prefix(bits)
			prefixes = append(prefixes, p)
			yaml.WriteString(pool(fmt.Sprintf("p%d", i), p.String(), "  disabled: true\n"))
		}
		want := 0
		for i := range prefixes {
			for j := range prefixes {
				if i != j && prefixes[i].Overlaps(prefixes[j]) {
					want++
				}
			}
		}
		got := 0
		for _, f := range validateYAML(t, yaml.String(), func(in *Input) { in.MaxFindingsPerCode = -1 }) {
			if f.Code == "pool-overlap" {
				got++
			}
		}
		if got != want {
			t.Fatalf("round %d: %d overlap findings, pairwise comparison finds %d", round, got, want)
		}
	}
}

func TestSetAndEndpointRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "network set host bits tolerated", yaml: "apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata: {name: s, namespace: a}\nspec:\n  nets: [10.0.0.1/24, 192.0.2.7, 'fd00::/64']\n"},
		{name: "network set bad entry", yaml: "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: s}\nspec:\n  nets: [10.0.0.0/33]\n", want: []string{"nets-invalid spec.nets[0]"}},
		{name: "reserved label", yaml: "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: s\n  labels: {projectcalico.org/namespace: x}\nspec: {}\n", want: []string{`label-invalid metadata.labels["projectcalico.org/namespace"]`}},
		{name: "host endpoint", yaml: "apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec:\n  node: n1\n  interfaceName: eth0\n  expectedIPs: [10.0.0.1]\n  ports: [{name: https, protocol: TCP, port: 443}]\n"},
		{name: "host endpoint problems", yaml: "apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec:\n  interfaceName: wibblywobblyeth0\n  expectedIPs: [10.0.0.300]\n  ports: [{name: Bad_Name, protocol: ICMP, port: 443}]\n",
			want: []string{"host-endpoint-invalid spec.expectedIPs[0]", "host-endpoint-invalid spec.interfaceName", "host-endpoint-invalid spec.node", "host-endpoint-invalid spec.ports[0].name", "host-endpoint-invalid spec.ports[0].protocol"}},
		{name: "host endpoint without interface or IPs", yaml: "apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec:\n  node: n1\n", want: []string{"host-endpoint-invalid spec"}},
		{name: "name with underscore", yaml: "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: my_set}\nspec: {}\n", want: []string{"name-invalid metadata.name"}},
		{name: "node status", yaml: "apiVersion: projectcalico.org/v3\nkind: CalicoNodeStatus\nmetadata: {name: s}\nspec:\n  node: n1\n  classes: [BGP, BGP, Peers]\n  updatePeriodSeconds: 90000\n",
			want: []string{"node-status-invalid spec.classes[1]", "node-status-invalid spec.classes[2]", "node-status-invalid spec.updatePeriodSeconds"}},
	})
}

func TestConnectivityTestRules(t *testing.T) {
	head := "apiVersion: tabby.dev/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: c}\nspec:\n  cases:\n"
	runRuleCases(t, []ruleCase{
		{name: "valid", yaml: head + "  - {name: a, from: {namespace: x, labels: {app: a}}, to: {ip: 169.254.169.254}, port: 80, expect: Allow}\n  - {name: b, from: {namespace: x}, to: {namespace: y}, protocol: ICMP, expect: Allow}\n"},
		{name: "problems", yaml: head + "  - {name: a, from: {labels: {app: a}}, to: {ip: 10.0.0.300}, expect: Maybe}\n  - {name: a, from: {namespace: x}, to: {namespace: y}, protocol: ICMP, port: 8, expect: Allow}\n",
			want: []string{"connectivity-test-invalid spec.cases[0].expect", "connectivity-test-invalid spec.cases[0].from", "connectivity-test-invalid spec.cases[0].port", "connectivity-test-invalid spec.cases[0].to.ip",
				"connectivity-test-invalid spec.cases[1].name", "connectivity-test-invalid spec.cases[1].port"}},
	})
}

// renderObjects renders manifests for use as live objects.
func renderObjects(t *testing.T, yaml string) []*manifest.Object {
	t.Helper()
	var in Input
	liveYAML(t, yaml)(&in)
	return in.Live
}

func TestCodesSortedOutput(t *testing.T) {
	fs := validateYAML(t, pool("b", "10.244.0.1/16", "")+pool("a", "169.254.0.0/16", ""))
	if !slices.IsSortedFunc(fs, func(a, b Finding) int { return a.Position.Line - b.Position.Line }) {
		t.Errorf("findings not sorted by line: %v", fs)
	}
}
