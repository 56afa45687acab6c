package topology

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// benchCluster returns n nodes in racks of 20, dual stack, each rack with
// its ToR as a BGPPeer; the first node of each of the first reflectors
// racks is a route reflector, and when reflectors > 0 the mesh is off and
// every node peers with the reflectors.
func benchCluster(n, reflectors int) Input {
	meshOn := reflectors == 0
	as := numorstring.ASNumber(64512)
	in := Input{Config: &v3.BGPConfiguration{Spec: v3.BGPConfigurationSpec{NodeToNodeMeshEnabled: &meshOn, ASNumber: &as}}}
	in.Config.Name = "default"
	racks := (n + 19) / 20
	for i := range n {
		rack := i / 20
		node := Node{
			Name:   fmt.Sprintf("rack%02d-node%02d", rack, i%20),
			Labels: map[string]string{"rack": fmt.Sprintf("rack%02d", rack)},
			IPv4:   netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(rack), 0, byte(10 + i%20)}), 24),
			IPv6:   netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, 0, 0, byte(rack), 15: byte(10 + i%20)}), 64),
		}
		if i%20 == 0 && rack < reflectors {
			node.Labels["route-reflector"] = "true"
			node.RouteReflectorClusterID = "244.0.0.1"
		}
		in.Nodes = append(in.Nodes, node)
	}
	if reflectors > 0 {
		in.Peers = append(in.Peers, &v3.BGPPeer{Spec: v3.BGPPeerSpec{NodeSelector: "all()", PeerSelector: "route-reflector == 'true'"}})
		in.Peers[0].Name = "peer-with-route-reflectors"
	}
	for r := range racks {
		p := &v3.BGPPeer{Spec: v3.BGPPeerSpec{
			NodeSelector: fmt.Sprintf("rack == 'rack%02d'", r),
			PeerIP:       netip.AddrFrom4([4]byte{10, byte(r), 0, 1}).String(),
			ASNumber:     numorstring.ASNumber(65000 + r),
		}}
		p.Name = fmt.Sprintf("tor-rack%02d", r)
		in.Peers = append(in.Peers, p)
	}
	in.Pools = []*v3.IPPool{{Spec: v3.IPPoolSpec{CIDR: "10.244.0.0/16"}}, {Spec: v3.IPPoolSpec{CIDR: "fd00:244::/48"}}}
	return in
}

func BenchmarkCompute(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   Input
	}{
		// 500 nodes, 25 racks with a ToR each, 4 reflectors: clients have
		// 2 × 4 reflector sessions and their ToR, reflectors 2 × 499.
		{"500 nodes route reflectors", benchCluster(500, 4)},
		// 500 nodes in a full mesh, dual stack: 2 × 499 mesh sessions per
		// node, plus its rack's ToR.
		{"500 nodes full mesh", benchCluster(500, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var sessions int
			for b.Loop() {
				sessions = Compute(bc.in).SessionCount()
			}
			b.ReportMetric(float64(sessions), "sessions")
		})
	}
	// The node agent computes its own node only.
	for _, bc := range []struct {
		name string
		in   Input
	}{
		{"one node of 500 route reflectors", benchCluster(500, 4)},
		{"one node of 500 full mesh", benchCluster(500, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var sessions int
			for b.Loop() {
				sessions = ComputeNode(bc.in, "rack07-node05").SessionCount()
			}
			b.ReportMetric(float64(sessions), "sessions")
		})
	}
}
