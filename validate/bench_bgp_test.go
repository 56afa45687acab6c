package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// bgpBenchYAML returns n nodes in racks of 20, each rack with its ToR as a
// BGPPeer. With reflectors > 0 the mesh is off, the first node of each of
// the first reflectors racks is a route reflector, and every node peers
// with the reflectors.
func bgpBenchYAML(n, reflectors int) string {
	var b strings.Builder
	if reflectors > 0 {
		b.WriteString("---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n")
		b.WriteString("---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: to-reflectors}\nspec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}\n")
	}
	for i := range n {
		rack := i / 20
		rr := ""
		labels := fmt.Sprintf("rack: rack%03d", rack)
		if i%20 == 0 && rack < reflectors {
			rr, labels = ", routeReflectorClusterID: 244.0.0.1", labels+", route-reflector: 'true'"
		}
		fmt.Fprintf(&b, "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: rack%03d-node%02d, labels: {%s}}\nspec: {bgp: {ipv4Address: 10.%d.%d.%d/24%s}}\n",
			rack, i%20, labels, rack/256, rack%256, 10+i%20, rr)
	}
	for r := range (n + 19) / 20 {
		fmt.Fprintf(&b, "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: tor-rack%03d}\nspec: {nodeSelector: rack == 'rack%03d', peerIP: 10.%d.%d.1, asNumber: %d}\n",
			r, r, r/256, r%256, 65000+r)
	}
	return b.String()
}

// BenchmarkValidateBGP validates the nodes and peers of a 2,000-node
// cluster, in a full mesh and with route reflectors: the BGP cross-object
// checks dominate.
//
//	go test ./validate -run XXX -bench ValidateBGP -benchmem
func BenchmarkValidateBGP(b *testing.B) {
	for _, bc := range []struct {
		name       string
		reflectors int
	}{
		{"2000-nodes-full-mesh", 0},
		{"2000-nodes-route-reflectors", 4},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "bgp.yaml"), []byte(bgpBenchYAML(2000, bc.reflectors)), 0o644); err != nil {
				b.Fatal(err)
			}
			bundle, err := render.Dir(b.Context(), dir, ".", render.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if fs := Validate(ForBundle(bundle)); len(fs) > 0 {
					b.Fatalf("findings: %v", fs[:min(len(fs), 5)])
				}
			}
		})
	}
}
