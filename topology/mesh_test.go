package topology

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

func TestMeshPairs(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7} {
		t.Run(fmt.Sprintf("%d nodes", n), func(t *testing.T) {
			var manifests []string
			for i := range n {
				manifests = append(manifests, nodeYAML(fmt.Sprintf("n%d", i), "", fmt.Sprintf("ipv4Address: 10.0.0.%d/24", i+1)))
			}
			if n == 0 {
				manifests = append(manifests, bgpConfigYAML("default", "asNumber: 64512"))
			}
			topo := computeYAML(t, manifests...)
			noProblems(t, topo)
			if got, want := len(topo.Pairs()), n*(n-1)/2; got != want {
				t.Errorf("Pairs: %d, want N(N-1)/2 = %d", got, want)
			}
			if got, want := topo.SessionCount(), n*(n-1); got != want {
				t.Errorf("SessionCount: %d, want %d (each pair counted on both nodes)", got, want)
			}
			for _, nt := range topo.Nodes {
				if len(nt.Sessions) != n-1 {
					t.Errorf("node %s: %d sessions, want N-1 = %d", nt.Node, len(nt.Sessions), n-1)
				}
				for _, s := range nt.Sessions {
					want := Session{
						PeerIP: s.PeerIP, Port: 179, Family: 4, PeerAS: 64512, LocalAS: 64512,
						Type: v3.BGPPeerTypeNodeMesh, Source: "mesh", PeerNode: s.PeerNode, Passive: s.Passive,
						IBGP: true, NextHop: v3.NextHopModeAuto, Multihop: true, GracefulRestart: 120 * time.Second,
						SourceAddress: true,
					}
					if !equalSession(s, want) {
						t.Errorf("node %s: session %+v, want %+v", nt.Node, s, want)
					}
				}
			}
		})
	}
}

// TestMeshPassive checks the lexical rule: a node is passive toward peers
// whose address, as text, is greater than its own.
func TestMeshPassive(t *testing.T) {
	for _, tc := range []struct {
		name       string
		a, b       string // addresses of nodes a and b
		aPassive   bool   // a is passive toward b
		bPassive   bool
		family     int
		bgpA, bgpB string
	}{
		// Numerically .9 < .10, but "10.0.0.9" > "10.0.0.10" as text.
		{name: "text order, not numeric", a: "10.0.0.9", b: "10.0.0.10", aPassive: false, bPassive: true},
		{name: "same length", a: "10.0.0.1", b: "10.0.0.2", aPassive: true, bPassive: false},
		{name: "IPv6", a: "fd00::a", b: "fd00::9", aPassive: false, bPassive: true, family: 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			field := "ipv4Address"
			if tc.family == 6 {
				field = "ipv6Address"
			}
			topo := computeYAML(t,
				nodeYAML("a", "", field+": "+tc.a),
				nodeYAML("b", "", field+": "+tc.b))
			noProblems(t, topo)
			if got := sessionTo(t, mustNode(t, topo, "a"), tc.b).Passive; got != tc.aPassive {
				t.Errorf("a (%s) toward b (%s): passive %v, want %v", tc.a, tc.b, got, tc.aPassive)
			}
			if got := sessionTo(t, mustNode(t, topo, "b"), tc.a).Passive; got != tc.bPassive {
				t.Errorf("b (%s) toward a (%s): passive %v, want %v", tc.b, tc.a, got, tc.bPassive)
			}
		})
	}
}

func TestMeshSettings(t *testing.T) {
	twoNodes := []string{
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24"),
	}
	for _, tc := range []struct {
		name     string
		extra    []string
		sessions int // of node a
		check    func(t *testing.T, topo Topology)
	}{
		{
			name:     "mesh off",
			extra:    []string{bgpConfigYAML("default", meshOff)},
			sessions: 0,
		},
		{
			name: "mesh explicitly on, AS and port from the default configuration",
			extra: []string{bgpConfigYAML("default", `nodeToNodeMeshEnabled: true
asNumber: 65000
listenPort: 1790`)},
			sessions: 1,
			check: func(t *testing.T, topo Topology) {
				a := mustNode(t, topo, "a")
				s := sessionTo(t, a, "10.0.0.2")
				if s.PeerAS != 65000 || s.LocalAS != 65000 || s.Port != 1790 || a.ListenPort != 1790 || a.LocalAS != 65000 {
					t.Errorf("got peer AS %d, local AS %d, port %d, node listen port %d, node AS %d; want 65000, 65000, 1790, 1790, 65000", s.PeerAS, s.LocalAS, s.Port, a.ListenPort, a.LocalAS)
				}
			},
		},
		{
			name: "mesh password and restart time",
			extra: []string{bgpConfigYAML("default", `nodeMeshPassword:
  secretKeyRef: {name: bgp, key: mesh}
nodeMeshMaxRestartTime: 90.4s`)},
			sessions: 1,
			check: func(t *testing.T, topo Topology) {
				s := sessionTo(t, mustNode(t, topo, "a"), "10.0.0.2")
				if !s.Password || s.GracefulRestart != 90*time.Second {
					t.Errorf("password %v, graceful restart %v; want true, 90s (rounded to whole seconds)", s.Password, s.GracefulRestart)
				}
			},
		},
		{
			name: "per-node listen port",
			extra: []string{
				bgpConfigYAML("default", "listenPort: 1791"),
				bgpConfigYAML("node.b", "listenPort: 1790"),
			},
			sessions: 1,
			check: func(t *testing.T, topo Topology) {
				a, b := mustNode(t, topo, "a"), mustNode(t, topo, "b")
				if got := sessionTo(t, a, "10.0.0.2").Port; got != 1790 {
					t.Errorf("a's session with b: port %d, want b's own 1790", got)
				}
				if got := sessionTo(t, b, "10.0.0.1").Port; got != 1791 {
					t.Errorf("b's session with a: port %d, want the global 1791", got)
				}
				if a.ListenPort != 1791 || b.ListenPort != 1790 {
					t.Errorf("listen ports a %d, b %d; want 1791, 1790", a.ListenPort, b.ListenPort)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, append(slices.Clone(twoNodes), tc.extra...)...)
			noProblems(t, topo)
			if got := len(mustNode(t, topo, "a").Sessions); got != tc.sessions {
				t.Fatalf("node a: %d sessions, want %d", got, tc.sessions)
			}
			if tc.check != nil {
				tc.check(t, topo)
			}
		})
	}
}

func TestMeshNodes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		nodes    []string
		want     map[string][]string // node → its sessions (peersOf)
		problems []string
	}{
		{
			name: "IPv6 sessions only when both ends have IPv6",
			nodes: []string{
				nodeYAML("a", "", "ipv4Address: 10.0.0.1/24, ipv6Address: fd00::1/64"),
				nodeYAML("b", "", "ipv4Address: 10.0.0.2/24, ipv6Address: fd00::2/64"),
				nodeYAML("c", "", "ipv4Address: 10.0.0.3/24"),
			},
			want: map[string][]string{
				"a": {"10.0.0.2:179/NodeMesh/mesh", "10.0.0.3:179/NodeMesh/mesh", "[fd00::2]:179/NodeMesh/mesh"},
				"b": {"10.0.0.1:179/NodeMesh/mesh", "10.0.0.3:179/NodeMesh/mesh", "[fd00::1]:179/NodeMesh/mesh"},
				"c": {"10.0.0.1:179/NodeMesh/mesh", "10.0.0.2:179/NodeMesh/mesh"},
			},
		},
		{
			name: "route reflectors neither build mesh sessions nor are mesh targets",
			nodes: []string{
				nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
				nodeYAML("b", "", "ipv4Address: 10.0.0.2/24"),
				nodeYAML("rr", "", "ipv4Address: 10.0.0.3/24, routeReflectorClusterID: 1.0.0.1"),
			},
			want: map[string][]string{
				"a":  {"10.0.0.2:179/NodeMesh/mesh"},
				"b":  {"10.0.0.1:179/NodeMesh/mesh"},
				"rr": nil,
			},
		},
		{
			name: "a node without address has no session and is a problem",
			nodes: []string{
				nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
				nodeYAML("b", "", "ipv4Address: 10.0.0.2/24"),
				nodeYAML("none", "", "asNumber: 65001"),
			},
			want: map[string][]string{
				"a":    {"10.0.0.2:179/NodeMesh/mesh"},
				"b":    {"10.0.0.1:179/NodeMesh/mesh"},
				"none": nil,
			},
			problems: []string{"node none has no BGP address"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo := computeYAML(t, tc.nodes...)
			for name, want := range tc.want {
				if got := peersOf(mustNode(t, topo, name)); !slices.Equal(got, want) {
					t.Errorf("node %s sessions:\n got  %q\n want %q", name, got, want)
				}
			}
			if tc.problems == nil {
				noProblems(t, topo)
			}
			for _, p := range tc.problems {
				hasProblem(t, topo, p)
			}
		})
	}
}

func TestMeshNodeAS(t *testing.T) {
	topo := computeYAML(t,
		nodeYAML("a", "", "ipv4Address: 10.0.0.1/24"),
		nodeYAML("b", "", "ipv4Address: 10.0.0.2/24, asNumber: 65001"))
	noProblems(t, topo)
	a, b := mustNode(t, topo, "a"), mustNode(t, topo, "b")
	if s := sessionTo(t, a, "10.0.0.2"); s.PeerAS != 65001 || s.LocalAS != 64512 || s.IBGP {
		t.Errorf("a toward b: peer AS %d, local AS %d, iBGP %v; want 65001, 64512, false", s.PeerAS, s.LocalAS, s.IBGP)
	}
	if s := sessionTo(t, b, "10.0.0.1"); s.PeerAS != 64512 || s.LocalAS != 65001 || s.IBGP {
		t.Errorf("b toward a: peer AS %d, local AS %d, iBGP %v; want 64512, 65001, false", s.PeerAS, s.LocalAS, s.IBGP)
	}
	if b.LocalAS != 65001 || b.RouterID.String() != "10.0.0.2" {
		t.Errorf("b: local AS %d, router ID %s; want 65001, 10.0.0.2", b.LocalAS, b.RouterID)
	}
}

// equalSession compares sessions field by field, keepalive by value.
func equalSession(a, b Session) bool {
	return reflect.DeepEqual(a, b)
}
