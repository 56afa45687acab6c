package topology

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"testing"
)

func poolYAML(name, spec string) string {
	return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: %s
spec:
%s`, name, indent(spec))
}

func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestAdvertised(t *testing.T) {
	manifests := []string{
		bgpConfigYAML("default", `serviceClusterIPs:
- cidr: 10.96.0.0/16
- cidr: fd00:96::/112
- cidr: 10.244.200.1
- cidr: 10.246.0.10
serviceExternalIPs:
- cidr: 192.0.2.0/24`),
		nodeYAML("a", "rack: r1", "ipv4Address: 10.0.0.1/24, ipv6Address: fd00::1/64"),
		nodeYAML("b", "rack: r2", "ipv4Address: 10.0.0.2/24"),
		poolYAML("default-v4", "cidr: 10.244.0.0/16"),
		poolYAML("default-v6", "cidr: fd00:244::/48"),
		poolYAML("rack1", "cidr: 10.245.0.0/24\nnodeSelector: rack == 'r1'"),
		poolYAML("private", "cidr: 10.246.0.0/24\ndisableBGPExport: true"),
		poolYAML("off", "cidr: 10.247.0.0/24\ndisabled: true"),
		poolYAML("lb", "cidr: 192.0.2.0/24\nallowedUses: [LoadBalancer]"),
	}
	for _, tc := range []struct {
		name   string
		blocks map[string][]netip.Prefix
		want   map[string][]netip.Prefix
	}{
		{
			// Without block state, the pools a node may allocate from
			// stand for its blocks: not the disabled one, the one that
			// is not exported, or the LoadBalancer one; rack1 only on
			// rack r1. Service cluster IPs from every node, a cluster IP
			// inside the unexported pool excepted. IPv6 only from a.
			name: "pools",
			want: map[string][]netip.Prefix{
				"a": prefixes("10.96.0.0/16", "10.244.0.0/16", "10.244.200.1/32", "10.245.0.0/24", "fd00:96::/112", "fd00:244::/48"),
				"b": prefixes("10.96.0.0/16", "10.244.0.0/16", "10.244.200.1/32"),
			},
		},
		{
			name: "blocks",
			blocks: map[string][]netip.Prefix{
				"a": prefixes("10.244.3.0/26", "10.244.3.64/26", "10.246.0.0/26", "fd00:244::/122"),
			},
			want: map[string][]netip.Prefix{
				"a": prefixes("10.96.0.0/16", "10.244.3.0/26", "10.244.3.64/26", "10.244.200.1/32", "fd00:96::/112", "fd00:244::/122"),
				"b": prefixes("10.96.0.0/16", "10.244.200.1/32"),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := inputFrom(t, manifests...)
			in.Blocks = tc.blocks
			topo := Compute(in)
			noProblems(t, topo)
			for name, want := range tc.want {
				if got := mustNode(t, topo, name).Advertised; !slices.Equal(got, want) {
					t.Errorf("node %s advertises\n %v\nwant\n %v", name, got, want)
				}
			}
		})
	}
}

func TestCommunities(t *testing.T) {
	topo := computeYAML(t,
		bgpConfigYAML("default", `communities:
- {name: no-export-dc, value: "65000:100"}
- {name: large, value: "65000:1:2"}
prefixAdvertisements:
- cidr: 10.244.0.0/16
  communities: [no-export-dc, "65000:200"]
- cidr: 10.244.0.0/16
  communities: [large]
- cidr: fd00:244::/48
  communities: ["65000:600"]
- cidr: 10.96.0.0/16
  communities: [unknown]`),
		bgpConfigYAML("node.b", `prefixAdvertisements:
- cidr: 10.245.0.0/24
  communities: [no-export-dc]`),
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24, ipv6Address: fd00::1/64"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24, ipv6Address: fd00::2/64"),
		nodeYAML("c", "", "ipv4Address: 10.0.0.3/24"))
	hasProblem(t, topo, `community "unknown" is neither a value`)
	want := map[string]map[netip.Prefix][]string{
		"a": {
			netip.MustParsePrefix("10.244.0.0/16"): {"65000:100", "65000:200", "65000:1:2"},
			netip.MustParsePrefix("fd00:244::/48"): {"65000:600"},
		},
		// node.b's IPv4 advertisements replace the default's; it has no
		// IPv6 ones, so the default's IPv6 ones stay. Names resolve
		// through the default configuration.
		"b": {
			netip.MustParsePrefix("10.245.0.0/24"): {"65000:100"},
			netip.MustParsePrefix("fd00:244::/48"): {"65000:600"},
		},
		"c": {
			netip.MustParsePrefix("10.244.0.0/16"): {"65000:100", "65000:200", "65000:1:2"},
		},
	}
	for name, w := range want {
		if got := mustNode(t, topo, name).Communities; !reflect.DeepEqual(got, w) {
			t.Errorf("node %s communities %v, want %v", name, got, w)
		}
	}
}
