package validate

import (
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var codeNodeBGP = define(Code{
	ID: "node-bgp-invalid", Severity: SeverityError,
	Title: "a Node's BGP addresses, AS number or route-reflector cluster ID are invalid",
	Example: `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack7-node1
spec:
  bgp:
    ipv4Address: 10.0.7.300/24
    routeReflectorClusterID: 244.0.0
`,
})

func init() {
	registerObjectCheck("Node", v3.GroupName, func(r *reporter, obj any) {
		n := obj.(*v3.Node)
		checkNode(r, n)
		checkNodeKeys(r, n)
	})
}

func checkNode(r *reporter, n *v3.Node) {
	b := n.Spec.BGP
	if b == nil {
		return
	}
	if *b == (v3.NodeBGPSpec{}) {
		r.report(codeNodeBGP, "spec.bgp", "spec.bgp is empty; remove it or set the node's addresses")
		return
	}
	if b.ASNumber != nil {
		r.checkASN("spec.bgp.asNumber", "the node's AS number", *b.ASNumber)
	}
	if b.IPv4Address != "" {
		if _, _, err := parseIPWithPrefix(b.IPv4Address, false); err != nil {
			r.report(codeNodeBGP, "spec.bgp.ipv4Address", "ipv4Address %v; write the node's address with its subnet, e.g. 10.0.7.11/24", err)
		}
	}
	if b.IPv6Address != "" {
		if _, _, err := parseIPWithPrefix(b.IPv6Address, true); err != nil {
			r.report(codeNodeBGP, "spec.bgp.ipv6Address", "ipv6Address %v", err)
		}
	}
	if b.IPv4IPIPTunnelAddr != "" {
		if _, err := parseIP(b.IPv4IPIPTunnelAddr, 4); err != nil {
			r.report(codeNodeBGP, "spec.bgp.ipv4IPIPTunnelAddr", "ipv4IPIPTunnelAddr %v", err)
		}
	}
	if b.RouteReflectorClusterID != "" {
		if _, err := parseIP(b.RouteReflectorClusterID, 4); err != nil {
			r.report(codeNodeBGP, "spec.bgp.routeReflectorClusterID", "routeReflectorClusterID %q is not a dotted IPv4 value such as 244.0.0.1", b.RouteReflectorClusterID)
		}
	}
}
