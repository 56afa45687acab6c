package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tabbynet/tabby/internal/sarif"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// TestSARIFEveryResultLocated checks that every SARIF result has a file
// and a line, which code scanning requires of each: results about flows,
// sessions or the whole path are placed too.
func TestSARIFEveryResultLocated(t *testing.T) {
	r := sampleReport()
	inject(r, "base/policy/frontend.yaml")
	r.Path = "clusters/prod"
	r.Risks = append(r.Risks,
		Risk{Level: LevelHigh, Rule: "flows-denied", Subject: "flows", Reason: "denies 2 flows"},
		Risk{Level: LevelMedium, Rule: "bgp-sessions-removed", Subject: "BGP sessions", Reason: "removes 4 sessions"},
		Risk{Level: LevelMedium, Rule: "object-removed", Subject: "x", Reason: "is deleted", Position: manifest.Position{File: "base/x.yaml"}},
	)
	head := Compute(Input{Path: "clusters/prod", HeadErrors: render.ErrorList{
		{File: "clusters/prod/kustomization.yaml", Line: 3, Msg: "resources: 'x.yaml' doesn't exist"},
		{Msg: "render clusters/prod: the budget of 10000 files is exhausted"},
	}})
	r.Risks = append(r.Risks, head.Risks...)
	r.Findings.New[0].Position = manifest.Position{}

	var out bytes.Buffer
	if err := r.WriteSARIF(&out, "test"); err != nil {
		t.Fatal(err)
	}
	var log sarif.Document
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for i, res := range log.Runs[0].Results {
		rules[res.RuleID] = true
		if len(res.Locations) == 0 {
			t.Errorf("result %d (%s %q): no location", i, res.RuleID, res.Message.Text)
			continue
		}
		for _, loc := range res.Locations {
			p := loc.PhysicalLocation
			if p.ArtifactLocation.URI == "" || p.Region == nil || p.Region.StartLine < 1 {
				t.Errorf("result %d (%s %q): location %+v, want a file and a line ≥ 1", i, res.RuleID, res.Message.Text, p)
			}
		}
	}
	for _, rule := range []string{"flows-denied", "render-error", "bgp-sessions-removed", "object-removed"} {
		if !rules[rule] {
			t.Errorf("no %s result", rule)
		}
	}
}
