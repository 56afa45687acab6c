package validate

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStricterThanCalicoIsLabelled checks that every finding of a rule
// Calico does not enforce says so in every output: the text label at the
// end of its message (text, Markdown, SARIF) and the stricterThanCalico
// field of its JSON; and that no other finding does.
func TestStricterThanCalicoIsLabelled(t *testing.T) {
	stricter := 0
	forEveryFinding(t, func(t *testing.T, fs []sourcedFinding) {
		for _, f := range fs {
			want := strings.HasSuffix(f.Message, stricterNote)
			code := f.Code
			if f.Truncated != nil {
				code = f.Truncated.Code // it stands for findings of that code
			}
			if c, ok := registry[code]; ok {
				want = c.Stricter
			}
			if want {
				stricter++
			}
			data, err := json.Marshal(f.Finding)
			if err != nil {
				t.Fatal(err)
			}
			inJSON := strings.Contains(string(data), `"stricterThanCalico":true`)
			inText := strings.HasSuffix(f.String(), stricterNote)
			if f.StricterThanCalico != want || inJSON != want || inText != want {
				t.Errorf("%s: %s finding: stricter than Calico %v, but field %v, in JSON %v, in text %v: %s", f.input, f.Code, want, f.StricterThanCalico, inJSON, inText, data)
			}
		}
	})
	if stricter == 0 {
		t.Error("no finding stricter than Calico was checked")
	}
}

// TestCrossObjectChecksAreStricter checks that the rules judging Calico
// objects against a Fabric inventory, which Calico does not know, or
// against each other where Calico accepts each, are marked stricter than
// Calico.
func TestCrossObjectChecksAreStricter(t *testing.T) {
	for _, id := range []string{
		"peer-asn-fabric-mismatch", "peer-node-outside-router", "fabric-router-unpeered",
		"peer-asn-node-mismatch", "peer-duplicate", "peer-filter-missing", "node-no-peering",
	} {
		if !registry[id].Stricter {
			t.Errorf("%s is not marked stricter than Calico", id)
		}
	}
}

// TestRenderFindingStricterThanCalico checks that a render error stricter
// than Calico, a field name in another case, which calicoctl accepts, is
// marked so as a finding.
func TestRenderFindingStricterThanCalico(t *testing.T) {
	_, err := renderYAML(t.TempDir(), "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: t\nspec:\n  Order: 10\n")
	fs := RenderFindings(err)
	if len(fs) != 1 || !fs[0].StricterThanCalico || !strings.HasSuffix(fs[0].String(), stricterNote) {
		t.Errorf("want one finding stricter than Calico, got %#v", fs)
	}
}
