package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tabbynet/tabby/internal/sarif"
	"github.com/tabbynet/tabby/render"
)

// TestHeadErrorsAlone checks that a head that does not render is reported
// by its render errors alone, in every output: nothing was rendered, so
// nothing can be removed, and no BGP or pool change can follow.
func TestHeadErrorsAlone(t *testing.T) {
	base := bundle(t, twoNodes+pool("10.244.0.0/16", "")+
		"---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: true}\n")
	errs := render.ErrorList{
		{File: "clusters/prod/kustomization.yaml", Line: 4, Column: 3, Msg: "resources: 'missing.yaml' doesn't exist"},
		{File: "base/bgp/peer.yaml", Line: 7, Msg: "yaml: line 7: mapping values are not allowed in this context"},
	}
	r := Compute(Input{Path: "clusters/prod", Base: base, HeadErrors: errs})
	if !r.Blocking || r.Risk != LevelBlocking {
		t.Errorf("blocking %t, risk %s, want blocking", r.Blocking, r.Risk)
	}
	if len(r.Risks) != len(errs) {
		t.Errorf("risks %+v, want only the %d render errors", r.Risks, len(errs))
	}
	for _, k := range r.Risks {
		if k.Rule != "render-error" || k.Position.File == "" || k.Position.Line < 1 {
			t.Errorf("risk %+v, want a located render-error", k)
		}
	}
	if len(r.Objects)+len(r.Pools)+len(r.BGP.Changed)+len(r.Findings.New)+len(r.Findings.Fixed) != 0 || r.BGP.Before.Mesh {
		t.Errorf("objects %+v, pools %+v, BGP %+v, findings %+v: want none", r.Objects, r.Pools, r.BGP, r.Findings)
	}

	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{"object-removed", "pool-removed", "bgp-mesh", "<details>"} {
		if bytes.Contains(md.Bytes(), []byte(rule)) {
			t.Errorf("the Markdown report has %s:\n%s", rule, md.Bytes())
		}
	}
	var sarifOut bytes.Buffer
	if err := r.WriteSARIF(&sarifOut, "test"); err != nil {
		t.Fatal(err)
	}
	var log sarif.Document
	if err := json.Unmarshal(sarifOut.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	for _, res := range log.Runs[0].Results {
		if res.RuleID != "render-error" {
			t.Errorf("SARIF result %s, want only render-error", res.RuleID)
		}
	}
	if n := len(log.Runs[0].Results); n != len(errs) {
		t.Errorf("%d SARIF results, want %d", n, len(errs))
	}
}
