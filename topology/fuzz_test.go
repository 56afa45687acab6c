package topology

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// gen draws choices from fuzz bytes; past their end it draws zeros.
type gen struct {
	data []byte
	strs []string // fuzzer-chosen strings, used as selectors and peer IPs
}

func (g *gen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *gen) intn(n int) int { return int(g.byte()) % n }

func (g *gen) bool() bool { return g.byte()&1 == 1 }

func pick[T any](g *gen, options ...T) T { return options[g.intn(len(options))] }

// str returns one of a few interesting values or a fuzzer-chosen string.
func (g *gen) str(options ...string) string {
	return pick(g, append(options, g.strs...)...)
}

// addr returns an address from a small set, so that nodes and peers
// collide, or one made of raw bytes.
func (g *gen) addr(v6 bool) netip.Addr {
	if g.intn(4) == 0 {
		if v6 {
			var b [16]byte
			for i := range b {
				b[i] = g.byte()
			}
			return netip.AddrFrom16(b)
		}
		return netip.AddrFrom4([4]byte{g.byte(), g.byte(), g.byte(), g.byte()})
	}
	if v6 {
		return netip.MustParseAddr(pick(g, "fd00::1", "fd00::2", "fd00::9", "fd00::a", "fd00::10"))
	}
	return netip.MustParseAddr(pick(g, "10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.0.10", "10.0.0.100", "192.0.2.1"))
}

func (g *gen) asn() *numorstring.ASNumber {
	if g.bool() {
		return nil
	}
	a := pick[numorstring.ASNumber](g, 0, 64512, 64513, 65000, 4200000000)
	return &a
}

var labelValues = []string{"a", "b", "true", ""}

// input builds an arbitrary Input.
func (g *gen) input() Input {
	var in Input
	if g.bool() {
		mesh := g.bool()
		in.Config = &v3.BGPConfiguration{Spec: v3.BGPConfigurationSpec{
			NodeToNodeMeshEnabled: &mesh,
			ASNumber:              g.asn(),
			ListenPort:            pick[uint16](g, 0, 179, 1790),
			ServiceClusterIPs:     []v3.ServiceClusterIPBlock{{CIDR: g.str("10.96.0.0/16", "", "x")}},
			PrefixAdvertisements:  []v3.PrefixAdvertisement{{CIDR: g.str("10.244.0.0/16", "fd00::/8"), Communities: []string{g.str("1:2", "n", "1:2:3")}}},
			Communities:           []v3.Community{{Name: "n", Value: "5:6"}},
		}}
		in.Config.Name = "default"
		if g.bool() {
			in.Config.Spec.NodeMeshPassword = &v3.BGPPassword{}
		}
	}
	names := []string{"n0", "n1", "n2", "n3", "n4", "n5"}
	for range g.intn(9) {
		n := Node{
			Name:                    pick(g, names...),
			Labels:                  map[string]string{"rack": pick(g, labelValues...), "rr": pick(g, labelValues...)},
			ASNumber:                g.asn(),
			RouteReflectorClusterID: pick(g, "", "", "1.0.0.1", "1.0.0.2"),
		}
		if g.intn(4) != 0 {
			a := g.addr(false)
			n.IPv4 = netip.PrefixFrom(a, 24)
		}
		if g.bool() {
			a := g.addr(true)
			n.IPv6 = netip.PrefixFrom(a, 64)
		}
		in.Nodes = append(in.Nodes, n)
	}
	for range g.intn(3) {
		cfg := &v3.BGPConfiguration{Spec: v3.BGPConfigurationSpec{
			ListenPort:           pick[uint16](g, 0, 1790, 1791),
			PrefixAdvertisements: []v3.PrefixAdvertisement{{CIDR: g.str("10.245.0.0/24"), Communities: []string{g.str("n", "7:8")}}},
		}}
		cfg.Name = pick(g, "node.n0", "node.n1", "node.nx", "other")
		in.NodeConfigs = append(in.NodeConfigs, cfg)
	}
	for i := range g.intn(7) {
		p := &v3.BGPPeer{Spec: v3.BGPPeerSpec{
			ASNumber:       *pickPtr(g.asn()),
			LocalASNumber:  g.asn(),
			Filters:        []string{g.str("f", "missing")},
			ReachableBy:    g.str("", "10.0.0.254", "bad"),
			TTLSecurity:    pick[*uint8](g, nil, new(uint8(0)), new(uint8(2))),
			KeepaliveTime:  pick[*metav1.Duration](g, nil, &metav1.Duration{Duration: 1500 * time.Millisecond}),
			MaxRestartTime: pick[*metav1.Duration](g, nil, &metav1.Duration{Duration: time.Minute}),
		}}
		p.Name = fmt.Sprintf("p%d", pick(g, i, 0))
		switch g.intn(3) {
		case 1:
			p.Spec.Node = pick(g, names...)
		case 2:
			p.Spec.NodeSelector = g.str("all()", "rack == 'a'", "has(rr)")
		}
		if g.bool() {
			p.Spec.PeerSelector = g.str("rr == 'true'", "all()", "rack in {'a','b'}")
		} else {
			p.Spec.PeerIP = g.str(g.addr(false).String(), g.addr(true).String(), "10.0.0.2:1790", "[fd00::2]:179", "")
		}
		if g.intn(8) == 0 {
			p.Spec.LocalWorkloadSelector = "app == 'x'"
		}
		p.Spec.ReversePeering = pick[*v3.ReversePeering](g, nil, new(v3.ReversePeeringManual), new(v3.ReversePeeringAuto))
		p.Spec.NextHopMode = pick[*v3.NextHopMode](g, nil, new(v3.NextHopModeSelf), new(v3.NextHopModeKeep))
		p.Spec.KeepOriginalNextHop = g.bool()
		in.Peers = append(in.Peers, p)
	}
	in.Filters = []*v3.BGPFilter{{ObjectMeta: metav1.ObjectMeta{Name: "f"}}}
	for range g.intn(4) {
		pl := &v3.IPPool{Spec: v3.IPPoolSpec{
			CIDR:             g.str("10.244.0.0/16", "fd00:244::/48", "10.0.0.0/8", "bad"),
			NodeSelector:     g.str("all()", "rack == 'b'", ""),
			Disabled:         g.bool(),
			DisableBGPExport: g.bool(),
		}}
		pl.Name = fmt.Sprintf("pool%d", g.intn(3))
		in.Pools = append(in.Pools, pl)
	}
	if g.bool() {
		in.Blocks = map[string][]netip.Prefix{
			pick(g, names...): {netip.MustParsePrefix("10.244.1.0/26"), netip.MustParsePrefix("fd00:244::/122"), {}},
		}
	}
	return in
}

func pickPtr(a *numorstring.ASNumber) *numorstring.ASNumber {
	if a == nil {
		return new(numorstring.ASNumber(0))
	}
	return a
}

// shuffled returns in with every slice in another order, drawn from g.
func (g *gen) shuffled(in Input) Input {
	out := in
	out.NodeConfigs = shuffle(g, in.NodeConfigs)
	out.Peers = shuffle(g, in.Peers)
	out.Filters = shuffle(g, in.Filters)
	out.Pools = shuffle(g, in.Pools)
	out.Nodes = shuffle(g, in.Nodes)
	return out
}

func shuffle[T any](g *gen, s []T) []T {
	s = slices.Clone(s)
	for i := len(s) - 1; i > 0; i-- {
		j := g.intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
	return s
}

// checkCompute computes the topology of the input g describes and checks
// the package's promises: no panic, the same output twice and whatever the
// order of the input, and invariants of the output.
func checkCompute(t *testing.T, g *gen) {
	in := g.input()
	topo := Compute(in)
	if again := Compute(in); !reflect.DeepEqual(topo, again) {
		t.Fatalf("two computations of one input differ")
	}
	for range 3 {
		if other := Compute(g.shuffled(in)); !reflect.DeepEqual(topo, other) {
			a, _ := json.MarshalIndent(topo, "", " ")
			b, _ := json.MarshalIndent(other, "", " ")
			t.Fatalf("input order changes the topology:\n%s\n---\n%s", a, b)
		}
	}
	for _, want := range topo.Nodes {
		one := ComputeNode(in, want.Node)
		if len(one.Nodes) != 1 || !reflect.DeepEqual(one.Nodes[0], want) {
			t.Fatalf("ComputeNode(%s) differs from Compute's", want.Node)
		}
	}
	if one := ComputeNode(in, "not-a-node"); len(one.Nodes) != 0 {
		t.Fatalf("ComputeNode of an unknown node gives %d nodes", len(one.Nodes))
	}
	peers := ComputePeers(in)
	for i, want := range topo.Nodes {
		want.Sessions = slices.DeleteFunc(slices.Clone(want.Sessions), func(s Session) bool { return s.Type == v3.BGPPeerTypeNodeMesh })
		if len(want.Sessions) == 0 {
			want.Sessions = nil
		}
		want.Advertised, want.Communities = nil, nil
		if got := peers.Nodes[i]; !reflect.DeepEqual(got, want) {
			t.Fatalf("ComputePeers(%s) differs from Compute's less the mesh:\n%+v\n%+v", want.Node, got, want)
		}
	}
	if _, err := json.Marshal(topo); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if !slices.IsSortedFunc(topo.Nodes, func(a, b NodeTopology) int { return strings.Compare(a.Node, b.Node) }) {
		t.Errorf("nodes not sorted")
	}
	if !slices.IsSorted(topo.Problems) {
		t.Errorf("problems not sorted")
	}
	for _, n := range topo.Nodes {
		if !slices.IsSortedFunc(n.Sessions, compareSessions) {
			t.Errorf("node %s: sessions not sorted", n.Node)
		}
		for _, s := range n.Sessions {
			if s.PeerIP == n.RouterID {
				t.Errorf("node %s: session with its own address %s", n.Node, s.PeerIP)
			}
			if s.Port == 0 || (s.Family == 4) != s.PeerIP.Is4() || s.IBGP != (s.PeerAS == s.LocalAS) {
				t.Errorf("node %s: inconsistent session %+v", n.Node, s)
			}
			if s.RRClient && (!n.RouteReflector || s.ClusterID != n.ClusterID || !s.IBGP) {
				t.Errorf("node %s: rr client session %+v from a node that is not its reflector", n.Node, s)
			}
		}
		for _, p := range n.Advertised {
			if p != p.Masked() {
				t.Errorf("node %s advertises unmasked %s", n.Node, p)
			}
		}
	}
	// The output shares nothing with the input: editing it leaves a new
	// computation unchanged.
	for i := range topo.Nodes {
		for j := range topo.Nodes[i].Sessions {
			if f := topo.Nodes[i].Sessions[j].Filters; len(f) > 0 {
				f[0] = "edited"
			}
		}
	}
	if again := Compute(in); slices.ContainsFunc(again.Nodes, func(n NodeTopology) bool {
		return slices.ContainsFunc(n.Sessions, func(s Session) bool { return slices.Contains(s.Filters, "edited") })
	}) {
		t.Errorf("editing a topology changed the input")
	}
}

func FuzzCompute(f *testing.F) {
	f.Add([]byte{}, "", "")
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "rack == 'a'", "10.0.0.9")
	f.Add([]byte("route reflectors and racks, with a few peers"), "has(rr) && rack != 'b'", "[fd00::9]:1790")
	f.Add([]byte{255, 255, 255, 255, 7, 7, 7, 7, 3, 3, 3, 3, 1, 0, 1, 0, 1, 0}, "((", "1.2.3.4:0x50")
	f.Fuzz(func(t *testing.T, data []byte, s1, s2 string) {
		checkCompute(t, &gen{data: data, strs: []string{s1, s2}})
	})
}

// TestComputeProperties runs the fuzz target's checks on many generated
// inputs, so that plain go test exercises them.
func TestComputeProperties(t *testing.T) {
	state := uint64(0x9e3779b97f4a7c15)
	next := func() byte { // xorshift64*: deterministic, no math/rand
		state ^= state >> 12
		state ^= state << 25
		state ^= state >> 27
		return byte((state * 0x2545f4914f6cdd1d) >> 56)
	}
	strs := []string{"rack == 'a' || rr == 'true'", "10.0.0.10", "!has(rack)", "[fd00::a]:1790", "all(", "10.0.0.2:1791"}
	for i := range 400 {
		data := make([]byte, 96)
		for j := range data {
			data[j] = next()
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkCompute(t, &gen{data: data, strs: []string{strs[i%len(strs)], strs[(i/len(strs))%len(strs)]}})
		})
	}
}
