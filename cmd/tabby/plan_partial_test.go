package main

import (
	"encoding/json"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/plan"
)

// TestPlanBaseWithErrors plans a head that fixes a base with a render
// error. render returns the objects of base that decoded along with the
// error; plan must not take them for base: head is planned against
// nothing, every object added, as the plan report documents.
func TestPlanBaseWithErrors(t *testing.T) {
	gitserver.RequireGit(t)
	files := readTree(t, "../../repos-example")
	repo := gitserver.NewRepo(t, t.TempDir(), "network.git")
	repo.Commit("main", edit(t, files,
		replace("base/bgp/peer-tor-rack7.yaml", "  peerIP: 10.0.7.1\n", "  peerIp: 10.0.7.1\n"),
	), gitserver.Message("rack 7: a typo"))
	repo.Commit("fix", files, gitserver.Message("rack 7: fix the typo"))

	code, js, stderr := tabby(t, "plan", "--repo", repo.Bare, "--base", "main", "--head", "fix",
		"--path", "clusters/prod", "-o", "json")
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r plan.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("JSON: %v\n%s", err, js)
	}
	if len(r.HeadErrors) != 0 {
		t.Fatalf("head does not render: %q", r.HeadErrors)
	}
	if len(r.BaseErrors) != 1 {
		t.Errorf("base errors %q, want the typo's", r.BaseErrors)
	}
	if r.Summary.Added == 0 || r.Summary.Removed+r.Summary.Changed != 0 {
		t.Errorf("summary %+v, want every object added", r.Summary)
	}
	for _, o := range r.Objects {
		if o.Op != "added" {
			t.Errorf("object %s %s, want added: base with errors is compared as nothing", o.ID, o.Op)
		}
	}
}
