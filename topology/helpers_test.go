package topology

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// inputFrom renders manifests as production does (render.Dir on a
// repository directory) and picks the BGP inputs out of them.
func inputFrom(t testing.TB, manifests ...string) Input {
	t.Helper()
	dir := t.TempDir()
	for i, m := range manifests {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%03d.yaml", i)), []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return InputFromObjects(b.Objects)
}

// computeYAML renders the manifests and computes their topology.
func computeYAML(t testing.TB, manifests ...string) Topology {
	t.Helper()
	return Compute(inputFrom(t, manifests...))
}

// nodeYAML is a Node manifest. labels is "k: v, k2: v2"; bgp is the body of
// spec.bgp in flow style, e.g. "ipv4Address: 10.0.0.1/24".
func nodeYAML(name, labels, bgp string) string {
	return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: %s
  labels: {%s}
spec:
  bgp: {%s}
`, name, labels, bgp)
}

func bgpConfigYAML(name, spec string) string {
	return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: %s
spec:
%s`, name, indent(spec))
}

func peerYAML(name, spec string) string {
	return fmt.Sprintf(`apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: %s
spec:
%s`, name, indent(spec))
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

const meshOff = "nodeToNodeMeshEnabled: false"

// mustNode returns the topology of the named node or fails.
func mustNode(t testing.TB, topo Topology, name string) NodeTopology {
	t.Helper()
	n, ok := topo.Node(name)
	if !ok {
		t.Fatalf("node %s not in topology", name)
	}
	return n
}

// sessionTo returns n's only session with addr, failing when there is not
// exactly one.
func sessionTo(t testing.TB, n NodeTopology, addr string) Session {
	t.Helper()
	a := netip.MustParseAddr(addr)
	var found []Session
	for _, s := range n.Sessions {
		if s.PeerIP == a {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("node %s: %d sessions with %s, want 1; sessions: %s", n.Node, len(found), addr, describe(n.Sessions))
	}
	return found[0]
}

// peersOf lists n's sessions as "addr:port/type/source", in order.
func peersOf(n NodeTopology) []string {
	out := make([]string, len(n.Sessions))
	for i, s := range n.Sessions {
		out[i] = fmt.Sprintf("%s/%s/%s", netip.AddrPortFrom(s.PeerIP, s.Port), s.Type, s.Source)
	}
	return out
}

func describe(ss []Session) string {
	return strings.Join(peersOf(NodeTopology{Sessions: ss}), ", ")
}

func noProblems(t testing.TB, topo Topology) {
	t.Helper()
	if len(topo.Problems) > 0 {
		t.Errorf("unexpected problems:\n  %s", strings.Join(topo.Problems, "\n  "))
	}
}

func hasProblem(t testing.TB, topo Topology, substr string) {
	t.Helper()
	for _, p := range topo.Problems {
		if strings.Contains(p, substr) {
			return
		}
	}
	t.Errorf("no problem mentions %q; problems:\n  %s", substr, strings.Join(topo.Problems, "\n  "))
}
