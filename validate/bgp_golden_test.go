package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// bgpGolden holds every BGP finding of every input the tests know, one per
// line, as the BGP checks gave them when they modelled Calico's peering
// rules themselves, before they read topology's sessions. Validation must
// give exactly these, less each gone and plus each added line of
// bgpChanges, whose why says how the change is a fix. -update rewrites the
// golden with today's findings; bgpChanges must then be emptied.
const bgpGolden = "testdata/bgp-findings.golden"

var bgpChanges = []struct{ gone, added, why string }{
	{
		gone:  `scenarios | testdata/bgp/shadow-three-way.yaml | peer-duplicate error shadow-three-way.yaml:25 spec.peerIP | BGPPeers c-rack6 and a-rack6 both give node n1 a session to 192.0.2.1; keep one [stricter than Calico] | related shadow-three-way.yaml:15: BGPPeer a-rack6`,
		added: `scenarios | testdata/bgp/shadow-three-way.yaml | peer-shadowed warning shadow-three-way.yaml:25 spec.peerIP | on node n1 this peer is skipped: the global BGPPeer b-global already peers with 192.0.2.1, and Calico emits global peers first; remove one of them | related shadow-three-way.yaml:20: global BGPPeer b-global`,
		why:   "Calico places global peers first: b-global holds 192.0.2.1 on n1 and c-rack6 is skipped because of it, not because of a-rack6 (itself skipped); the old check compared peers in name order",
	},
	{
		gone: `scenarios | testdata/bgp/mesh-off-reverse-and-self.yaml | node-no-peering error mesh-off-reverse-and-self.yaml:14 metadata.name | node n2 has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:  "n2 has a session: n1-to-n2's peerIP is n2's address and AS, so Calico gives n2 the automatic reverse peering",
	},
	{
		added: `scenarios | testdata/bgp/mesh-off-reverse-and-self.yaml | node-no-peering error mesh-off-reverse-and-self.yaml:19 metadata.name | node n3 has no BGP session: the node-to-node mesh is off and Calico skips every peering its BGPPeers give it (BGPPeer n3-self: peering with 10.0.8.11 skipped: it is the node's own address), so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:   "n3's only BGPPeer names its own address, which Calico skips: n3 has no session, though a BGPPeer selects it",
	},
	{
		added: `scenarios | testdata/bgp/mesh-off-inventory.yaml | node-no-peering error mesh-off-inventory.yaml:14 spec.nodes[2] | node n3 has no BGP session: the node-to-node mesh is off and Calico skips every peering its BGPPeers give it (BGPPeer rack7-tor: peering with 10.0.7.1 skipped: the node has no IPv4 address), so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:   "n3 has only an IPv6 address and its one BGPPeer an IPv4 peer: no session",
	},
	{
		added: `scenarios | testdata/bgp/mesh-off-inventory.yaml | node-no-peering error mesh-off-inventory.yaml:15 spec.nodes[3] | node n4 has no BGP session: the node-to-node mesh is off and no BGPPeer gives it one, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:   "rack9-mesh's peerSelector selects n4 alone, and a node does not peer with itself; manual's reversePeering: Manual gives n4 no reverse peering",
	},
	{
		added: `scenarios | testdata/bgp/selector-duplicates.yaml | peer-duplicate error selector-duplicates.yaml:30 spec.peerSelector | BGPPeers rr-b and rr-a both give node n1 a session to 10.0.6.10; keep one [stricter than Calico] | related selector-duplicates.yaml:25: BGPPeer rr-a`,
		why:   "duplicate peerSelector peerings were not looked for: rr-b's peering with rr1 on n1 is skipped as rr-a holds it",
	},
	{
		gone:  `scenarios | testdata/bgp/fabric-outside.yaml | peer-node-outside-router warning fabric-outside.yaml:27 spec.nodeSelector | this peer gives nodes n2, n3 a session to tor-rack6, which serves only nodes matching rack == "rack6"; narrow the peer's nodeSelector [stricter than Calico] | related fabric-outside.yaml:7: router tor-rack6`,
		added: `scenarios | testdata/bgp/fabric-outside.yaml | peer-node-outside-router warning fabric-outside.yaml:27 spec.nodeSelector | this peer gives nodes n2 a session to tor-rack6, which serves only nodes matching rack == "rack6"; narrow the peer's nodeSelector [stricter than Calico] | related fabric-outside.yaml:7: router tor-rack6`,
		why:   "n3 has no IPv4 address, so no session with the IPv4 router",
	},
	{
		gone: `scenarios | testdata/bgp/fabric-outside.yaml | peer-node-outside-router warning fabric-outside.yaml:32 spec.nodeSelector | this peer gives nodes n2 a session to tor-rack6, which serves only nodes matching rack == "rack6"; narrow the peer's nodeSelector [stricter than Calico] | related fabric-outside.yaml:7: router tor-rack6`,
		why:  "shadowed gives n2 no session (the global rack6-tor holds the address; peer-shadowed says so)",
	},
	{
		gone: `scenarios | testdata/bgp/mesh-off-addressless.yaml | node-no-peering error mesh-off-addressless.yaml:14 metadata.name | node b has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:  "b has no BGP address: which sessions it gets depends on the address calico-node detects when it starts, which Git does not say; the old check guessed from its labels alone (topology names the node among its problems)",
	},
	{
		gone:  `examples | example of node-no-peering | node-no-peering error example.yaml:11 metadata.name | node rack7-node1 has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		added: `examples | example of node-no-peering | node-no-peering error example.yaml:11 metadata.name | node rack7-node1 has no BGP session: the node-to-node mesh is off and no BGPPeer gives it one, so its pods' routes are not advertised; add a BGPPeer for it (e.g. to a route reflector or its rack's ToR) [stricter than Calico]`,
		why:   "the message says what is known: a BGPPeer may select a node and still give it no session",
	},
}

// isBGPCode reports whether a code is about BGP: peers, nodes' peerings,
// route reflectors, BGPConfigurations, BGPFilters, Fabrics.
func isBGPCode(code string) bool {
	for _, prefix := range []string{"peer-", "node-no-peering", "node-bgp-", "route-reflector-", "bgp-", "fabric-"} {
		if strings.HasPrefix(code, prefix) {
			return true
		}
	}
	return false
}

// bgpScenarioFindings validates each multi-object BGP scenario of
// testdata/bgp by itself.
func bgpScenarioFindings(t *testing.T) []sourcedFinding {
	files, err := filepath.Glob("testdata/bgp/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no BGP scenarios in testdata/bgp: %v", err)
	}
	var out []sourcedFinding
	for _, f := range files {
		b, err := render.Dir(t.Context(), "testdata/bgp", filepath.Base(f), render.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, sourced(f, Validate(ForBundle(b)))...)
	}
	return out
}

// bgpFindingLines formats the BGP findings of fs, one line each.
func bgpFindingLines(source string, fs []sourcedFinding) []string {
	var out []string
	for _, f := range fs {
		if !isBGPCode(f.Code) {
			continue
		}
		line := fmt.Sprintf("%s | %s | %s %s %s %s | %s", source, f.input, f.Code, f.Severity, f.Position, f.Field, f.Message)
		for _, r := range f.Related {
			line += fmt.Sprintf(" | related %s: %s", r.Position, r.Message)
		}
		out = append(out, line)
	}
	return out
}

func TestBGPFindingsGolden(t *testing.T) {
	var got []string
	for _, source := range []struct {
		name     string
		findings func(t *testing.T) []sourcedFinding
	}{
		{"scenarios", bgpScenarioFindings},
		{"examples", examplesFindings},
		{"repos-example", reposExampleFindings},
		{"corpus", corpusFindings},
	} {
		got = append(got, bgpFindingLines(source.name, source.findings(t))...)
	}
	text := strings.Join(got, "\n") + "\n"
	if *update {
		if err := os.WriteFile(bgpGolden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(bgpGolden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if !*update {
		for _, c := range bgpChanges {
			if c.gone != "" {
				i := slices.Index(want, c.gone)
				if i < 0 {
					t.Errorf("bgpChanges: %q is not in %s", c.gone, bgpGolden)
					continue
				}
				want = slices.Delete(want, i, i+1)
			}
			if c.added != "" {
				want = append(want, c.added)
			}
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	for _, l := range got {
		if !slices.Contains(want, l) {
			t.Errorf("new finding, neither in %s nor in bgpChanges:\n  %s", bgpGolden, l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("finding gone, not listed in bgpChanges:\n  %s", l)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d findings, want %d", len(got), len(want))
	}
}
