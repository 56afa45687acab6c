package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/plan"
)

// planRepo is a Git repository holding repos-example through a series of
// commits, each a change a reviewer must see through:
//
//	main~1     the cluster on a full node-to-node mesh
//	main       repos-example: route reflectors instead of the mesh
//	policy     frontend's egress to the api turned into a Deny
//	cosmetic   main rewritten: keys and documents reordered, values quoted,
//	           defaults spelled out, set-like lists reordered
//	rack7-asn  tor-rack7 with rack 6's AS number
//	dev        main with a new cluster, clusters/dev, that base lacks
type planRepo struct {
	dir string
}

func newPlanRepo(t *testing.T) planRepo {
	t.Helper()
	files := readTree(t, "../../repos-example")
	repo := gitserver.NewRepo(t, t.TempDir(), "network.git")
	mesh := edit(t, files,
		replace("base/bgp/bgpconfiguration-default.yaml", "nodeToNodeMeshEnabled: false", "nodeToNodeMeshEnabled: true"),
		replace("base/kustomization.yaml", "  - bgp/peer-route-reflectors.yaml\n", ""),
		replace("clusters/prod/nodes/rack6-node1.yaml", "    routeReflectorClusterID: 244.0.0.1\n", ""),
		replace("clusters/prod/nodes/rack7-node1.yaml", "    routeReflectorClusterID: 244.0.0.1\n", ""),
	)
	delete(mesh, "base/bgp/peer-route-reflectors.yaml")
	repo.Commit("main", mesh, gitserver.Message("BGP: full node-to-node mesh"))
	repo.Commit("main", files, gitserver.Message("BGP: route reflectors instead of the mesh"))
	repo.Commit("policy", edit(t, files,
		replace("base/policy/application/frontend.yaml", "  egress:\n    - action: Allow", "  egress:\n    - action: Deny"),
	), gitserver.Message("frontend: deny egress to the api"))
	repo.Commit("cosmetic", edit(t, files,
		replace("base/bgp/peer-tor-rack7.yaml", "  nodeSelector: rack == 'rack7'\n  peerIP: 10.0.7.1\n  asNumber: 64513",
			"  asNumber: \"64513\"\n  peerIP: \"10.0.7.1\"\n  nodeSelector: \"rack == 'rack7'\"\n  keepOriginalNextHop: false"),
		replace("base/policy/application/frontend.yaml", "    - Ingress\n    - Egress", "    - Egress\n    - Ingress"),
		replace("base/ipam/pool-default-ipv4.yaml", "  natOutgoing: true\n", "  natOutgoing: true\n  disabled: false\n  disableBGPExport: false\n"),
		replace("base/kustomization.yaml", "  - bgp/peer-tor-rack6.yaml\n  - bgp/peer-tor-rack7.yaml\n", "  - bgp/peer-tor-rack7.yaml\n  - bgp/peer-tor-rack6.yaml\n"),
	), gitserver.Message("tidy: reorder and quote"))
	repo.Commit("rack7-asn", edit(t, files,
		replace("base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64512"),
	), gitserver.Message("rack 7: peer with the ToR"))
	dev := edit(t, files)
	dev["clusters/dev/kustomization.yaml"] = "resources:\n  - ../../base\n  - node.yaml\n"
	dev["clusters/dev/node.yaml"] = files["clusters/prod/nodes/rack6-node1.yaml"]
	repo.Commit("dev", dev, gitserver.Message("dev: a new cluster"))
	return planRepo{dir: repo.Bare}
}

func (r planRepo) plan(t *testing.T, base, head string, extra ...string) (int, string, string) {
	t.Helper()
	args := append([]string{"plan", "--repo", r.dir, "--base", base, "--head", head,
		"--path", "clusters/prod", "--nodes", "../../repos-example/inventory.yaml"}, extra...)
	return tabby(t, args...)
}

// TestPlanGolden pins the Markdown report of each change, and checks what
// each must say whatever the wording.
func TestPlanGolden(t *testing.T) {
	gitserver.RequireGit(t)
	repo := newPlanRepo(t)
	cases := []struct {
		name, base, head string
		code             int
		want             []string
		check            func(t *testing.T, r *plan.Report)
	}{
		{
			name: "wrong-rack7-asn", base: "main", head: "rack7-asn", code: exitFindings,
			want: []string{"blocked", "peer-asn-fabric-mismatch", "tor-rack7, AS 64513 in Fabric dc1", "base/bgp/peer-tor-rack7.yaml:12",
				"rack7-node1", "rack7-node2", "rack7-node3", "peer AS 64513 → 64512"},
			check: func(t *testing.T, r *plan.Report) {
				if len(r.BGP.FabricConflicts) != 3 {
					t.Errorf("fabric conflicts: %+v, want the 3 rack-7 nodes' sessions to 10.0.7.1", r.BGP.FabricConflicts)
				}
				for _, c := range r.BGP.FabricConflicts {
					if c.Router != "tor-rack7" || c.RouterAS != "64513" || c.PeerAS != "64512" || !strings.HasPrefix(c.Node, "rack7-") {
						t.Errorf("fabric conflict %+v", c)
					}
				}
				if r.Summary.Sessions.Changed != 3 || r.Summary.Sessions.Added+r.Summary.Sessions.Removed != 0 {
					t.Errorf("sessions %+v, want 3 changed", r.Summary.Sessions)
				}
			},
		},
		{
			name: "mesh-to-route-reflectors", base: "main~1", head: "main", code: exitOK,
			want: []string{"nothing blocks", "bgp-mesh-off", "Every node has at least one session", "becomes a route reflector (cluster 244.0.0.1)"},
			check: func(t *testing.T, r *plan.Report) {
				b := r.BGP
				// Six dual-stack nodes: a full mesh is 15 pairs, each with
				// an IPv4 and an IPv6 session at both ends, plus one ToR
				// session per node.
				if b.FullMeshPairs != 15 || b.Before.NodePairs != 15 || b.Before.Sessions != 15*2*2+6 || !b.Before.Mesh {
					t.Errorf("before: %+v, full mesh %d", b.Before, b.FullMeshPairs)
				}
				// Route reflectors: 9 pairs (each client to both
				// reflectors, and the reflectors to each other).
				if b.After.NodePairs != 9 || b.After.Sessions != 42 || b.After.Mesh || b.After.RouteReflectors != 2 {
					t.Errorf("after: %+v", b.After)
				}
				if len(b.Isolated) != 0 {
					t.Errorf("isolated nodes: %v", b.Isolated)
				}
			},
		},
		{
			name: "policy-blocks-frontend-to-api", base: "main", head: "policy", code: exitFindings,
			want: []string{"connectivity-test-failed", "frontend-to-api", "❌ fail", "=> rule 0 Deny", "frontend/frontend-6f7c9", "api/api-5d8b4"},
			check: func(t *testing.T, r *plan.Report) {
				var found bool
				for _, f := range r.Policy.Flows {
					if f.From == "frontend/frontend-6f7c9" && f.To == "api/api-5d8b4" && f.Port == 80 {
						found = true
						if f.Before != "Allow" || f.After != "Deny" || !strings.Contains(f.Decision, "application.frontend") || f.Position.File != "base/policy/application/frontend.yaml" {
							t.Errorf("flow %+v", f)
						}
					}
				}
				if !found {
					t.Errorf("frontend → api TCP/80 is not among the changed flows: %+v", r.Policy.Flows)
				}
			},
		},
		{
			name: "cosmetic", base: "main", head: "cosmetic", code: exitOK,
			want: []string{"no object changes", "risk **none**"},
			check: func(t *testing.T, r *plan.Report) {
				if len(r.Objects) != 0 || len(r.Risks) != 0 || len(r.BGP.Changed) != 0 || r.Summary.FlowsChanged != 0 {
					t.Errorf("a cosmetic change reports objects %+v, risks %+v", r.Objects, r.Risks)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, md, stderr := repo.plan(t, tc.base, tc.head)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tc.code, stderr, md)
			}
			if _, again, _ := repo.plan(t, tc.base, tc.head); again != md {
				t.Error("two runs give different Markdown")
			}
			for _, w := range tc.want {
				if !strings.Contains(md, w) {
					t.Errorf("the report lacks %q", w)
				}
			}
			// Commit hashes follow repos-example's every edit; the golden
			// file pins the rest.
			golden(t, filepath.Join("testdata", "plan", tc.name+".md"), commitHash.ReplaceAllString(md, "(HASH)"))
			_, js, _ := repo.plan(t, tc.base, tc.head, "-o", "json")
			var r plan.Report
			if err := json.Unmarshal([]byte(js), &r); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if r.Blocking != (tc.code == exitFindings) {
				t.Errorf("blocking = %t with exit %d", r.Blocking, code)
			}
			tc.check(t, &r)
		})
	}
}

// TestPlanSARIF checks the SARIF report locates the wrong ASN in its file.
func TestPlanSARIF(t *testing.T) {
	gitserver.RequireGit(t)
	repo := newPlanRepo(t)
	code, out, stderr := repo.plan(t, "main", "rack7-asn", "-o", "sarif")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, filepath.Join("testdata", "plan", "wrong-rack7-asn.sarif"), out)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID        string `json:"ruleId"`
				Level         string `json:"level"`
				BaselineState string `json:"baselineState"`
				Locations     []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not SARIF 2.1.0: %v", err)
	}
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "peer-asn-fabric-mismatch" {
			loc := r.Locations[0].PhysicalLocation
			if r.Level != "error" || r.BaselineState != "new" || loc.ArtifactLocation.URI != "base/bgp/peer-tor-rack7.yaml" || loc.Region.StartLine != 12 {
				t.Errorf("result %+v", r)
			}
			return
		}
	}
	t.Error("no peer-asn-fabric-mismatch result")
}

// TestPlanSARIFLocated checks that code scanning can take every result of
// a SARIF report: each has a file and a line, flows-denied among them.
func TestPlanSARIFLocated(t *testing.T) {
	gitserver.RequireGit(t)
	repo := newPlanRepo(t)
	_, out, stderr := repo.plan(t, "main", "policy", "-o", "sarif")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("not SARIF: %v: %s", err, stderr)
	}
	rules := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		rules[r.RuleID] = true
		if len(r.Locations) == 0 {
			t.Errorf("%s: no location", r.RuleID)
		}
		for _, l := range r.Locations {
			if l.PhysicalLocation.ArtifactLocation.URI == "" || l.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("%s: location %+v", r.RuleID, l)
			}
		}
	}
	if !rules["flows-denied"] {
		t.Errorf("no flows-denied result among %v", rules)
	}
}

// TestPlanNewPath checks that a path only head has is planned against
// nothing: every object of head is added.
func TestPlanNewPath(t *testing.T) {
	gitserver.RequireGit(t)
	repo := newPlanRepo(t)
	code, js, stderr := tabby(t, "plan", "--repo", repo.dir, "--base", "main", "--head", "dev",
		"--path", "clusters/dev", "-o", "json")
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
	if len(r.BaseErrors) != 1 || !strings.Contains(r.BaseErrors[0], "clusters/dev") {
		t.Errorf("base errors %q, want one saying clusters/dev is not in base", r.BaseErrors)
	}
	if r.Summary.Added == 0 || r.Summary.Removed+r.Summary.Changed != 0 {
		t.Errorf("summary %+v, want every object added", r.Summary)
	}
	for _, o := range r.Objects {
		if o.Op != "added" {
			t.Errorf("object %s %s, want added", o.ID, o.Op)
		}
	}
}

// TestPlanErrors checks the exit status 2 cases name what to fix.
func TestPlanErrors(t *testing.T) {
	gitserver.RequireGit(t)
	repo := newPlanRepo(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--repo", repo.dir, "--head", "main"}, `"base" not set`},
		{[]string{"plan", "--repo", repo.dir, "--base", "no-such-branch", "--head", "main"}, "resolve no-such-branch"},
		{[]string{"plan", "--repo", repo.dir, "--base", "no-such-branch", "--head", "main"}, "fetch-depth: 0"},
		{[]string{"plan", "--repo", repo.dir, "--base", "main", "--head", "main", "-o", "xml"}, "want markdown, json or sarif"},
		{[]string{"plan", "--repo", t.TempDir(), "--base", "main"}, "--repo"},
		{[]string{"plan", "--repo", repo.dir, "--base", "main", "--head", "main", "--nodes", "../../repos-example/base/bgp/peer-tor-rack7.yaml"}, "no Inventory or Node object"},
	} {
		code, _, stderr := tabby(t, tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, stderr, tc.want)
		}
	}
}

// commitHash matches a revision's name in a report: "main (3f2a1c9)".
var commitHash = regexp.MustCompile(`\([0-9a-f]{7}\)`)

// golden compares got with a golden file, rewriting it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tabby -update)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s; run go test ./cmd/tabby -update and review the diff", path)
	}
}

// readTree reads every file under dir into a map of slash paths.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type fileEdit struct{ file, old, new string }

func replace(file, old, new string) fileEdit { return fileEdit{file, old, new} }

// edit returns a copy of files with the edits made; an edit whose old text
// is missing fails the test, so that the fixture cannot drift silently.
func edit(t *testing.T, files map[string]string, edits ...fileEdit) map[string]string {
	t.Helper()
	out := make(map[string]string, len(files))
	for k, v := range files {
		out[k] = v
	}
	for _, e := range edits {
		if !strings.Contains(out[e.file], e.old) {
			t.Fatalf("%s does not contain %q", e.file, e.old)
		}
		out[e.file] = strings.Replace(out[e.file], e.old, e.new, 1)
	}
	return out
}
