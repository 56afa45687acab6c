package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// bundle renders manifests the way a repository is rendered.
func bundle(t *testing.T, yaml string) *render.Bundle {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifests.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	return b
}

const twoNodes = `
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: a, labels: {rack: r1}}
spec: {bgp: {ipv4Address: 10.0.0.1/24}}
---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: b, labels: {rack: r1}}
spec: {bgp: {ipv4Address: 10.0.0.2/24}}
`

func pool(cidr, extra string) string {
	return "---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: pods}\nspec:\n  cidr: " + cidr + "\n" + extra
}

// risks returns "level rule" for each risk of a plan from base to head.
func risks(t *testing.T, base, head string) []string {
	t.Helper()
	r := Compute(Input{Path: ".", Base: bundle(t, base), Head: bundle(t, head)})
	var out []string
	for _, k := range r.Risks {
		out = append(out, string(k.Level)+" "+k.Rule)
	}
	return out
}

func TestRisks(t *testing.T) {
	mesh := func(on string) string {
		return "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: " + on + "}\n"
	}
	for _, tc := range []struct {
		name, base, head string
		want             []string
	}{
		{"pool CIDR change is refused by Calico", pool("10.244.0.0/16", ""), pool("10.245.0.0/16", ""), []string{"blocking pool-cidr-changed"}},
		{"block size change is refused by Calico", pool("10.244.0.0/16", "  blockSize: 26\n"), pool("10.244.0.0/16", "  blockSize: 24\n"), []string{"blocking pool-blocksize-changed"}},
		{"encapsulation", pool("10.244.0.0/16", "  vxlanMode: Always\n"), pool("10.244.0.0/16", "  ipipMode: Always\n"),
			[]string{"high pool-ipipmode-changed", "high pool-vxlanmode-changed"}},
		{"NAT", pool("10.244.0.0/16", "  natOutgoing: true\n"), pool("10.244.0.0/16", ""), []string{"medium pool-natoutgoing-changed"}},
		{"pool removed", twoNodes + pool("10.244.0.0/16", ""), twoNodes, []string{"high pool-removed"}},
		{"pool added", twoNodes, twoNodes + pool("10.244.0.0/16", ""), []string{"low pool-added"}},
		{"mesh off leaves nodes isolated", twoNodes + mesh("true"), twoNodes + mesh("false"),
			// validate's node-no-peering blocks it too, once per node.
			[]string{"blocking bgp-node-isolated", "blocking bgp-node-isolated", "blocking node-no-peering", "blocking node-no-peering", "medium bgp-mesh-off"}},
		{"mesh on", twoNodes + mesh("false") + `---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: tor}
spec: {peerIP: 10.0.0.254, asNumber: 65001}
`, twoNodes + mesh("true") + `---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: tor}
spec: {peerIP: 10.0.0.254, asNumber: 65001}
`, []string{"medium bgp-mesh-on"}},
		{"tier reordered", "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\nspec: {order: 100}\n",
			"apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\nspec: {order: 300}\n", []string{"medium tier-reordered"}},
		{"nothing", twoNodes, twoNodes, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := risks(t, tc.base, tc.head)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("risks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestRulesKnown checks every risk rule plan can produce is documented in
// Rules, with the level it is produced at.
func TestRulesKnown(t *testing.T) {
	known := map[string]Level{}
	for _, r := range Rules {
		known[r.ID] = r.Level
	}
	for field, w := range poolFields {
		id := "pool-" + strings.ToLower(strings.TrimPrefix(field, "spec.")) + "-changed"
		if known[id] != w.level {
			t.Errorf("%s: Rules has level %q, the pool section produces %q", id, known[id], w.level)
		}
	}
	src, err := os.ReadFile("bgp.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"bgp-node-isolated", "bgp-peer-as-changed", "bgp-mesh-off", "bgp-mesh-on", "bgp-sessions-removed", "bgp-node-role"} {
		if !bytes.Contains(src, []byte(`"`+r+`"`)) {
			t.Errorf("rule %s is not produced by bgp.go", r)
		}
		if _, ok := known[r]; !ok {
			t.Errorf("rule %s is not in Rules", r)
		}
	}
}

// TestDeterministic checks the same input gives the same report, byte for
// byte, in every format.
func TestDeterministic(t *testing.T) {
	base := bundle(t, twoNodes+pool("10.244.0.0/16", ""))
	head := bundle(t, twoNodes+pool("10.245.0.0/16", "  natOutgoing: true\n"))
	var first [3]string
	for i := 0; i < 3; i++ {
		r := Compute(Input{Path: ".", BaseName: "a", HeadName: "b", Base: base, Head: head})
		var md, js, sarif bytes.Buffer
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteSARIF(&sarif, "test"); err != nil {
			t.Fatal(err)
		}
		got := [3]string{md.String(), js.String(), sarif.String()}
		if i == 0 {
			first = got
			if !json.Valid(js.Bytes()) || !json.Valid(sarif.Bytes()) {
				t.Fatal("invalid JSON")
			}
			continue
		}
		if got != first {
			t.Fatal("two runs give different reports")
		}
	}
}

// TestMarkdownTruncated checks a report too large for a comment is cut with
// every section closed.
func TestMarkdownTruncated(t *testing.T) {
	var yaml strings.Builder
	for i := 0; i < 3000; i++ {
		yaml.WriteString("---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: set-" + strings.Repeat("x", 40) + itoa(i) + "}\nspec: {nets: [10.1.0.0/16]}\n")
	}
	r := Compute(Input{Path: ".", Head: bundle(t, yaml.String())})
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	s := md.String()
	if len(s) > 65536 {
		t.Errorf("%d characters: over GitHub's comment limit", len(s))
	}
	if !strings.Contains(s, "the report is cut here") {
		t.Error("no truncation notice")
	}
	if open, closed := strings.Count(s, "<details>"), strings.Count(s, "</details>"); open != closed {
		t.Errorf("%d <details> but %d </details>", open, closed)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestRulesDocumented checks docs/plan.md lists every rule with its level.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/plan.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		row := "| `" + r.ID + "` | " + string(r.Level) + " | " + r.Title + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/plan.md lacks the row %s", row)
		}
	}
}
