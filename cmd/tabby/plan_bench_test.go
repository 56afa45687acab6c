package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/internal/synthrepo"
)

// BenchmarkPlan runs `tabby plan -o json` between two commits of a
// repository of 5,000 objects with 500 nodes, reading both revisions from
// Git: render, validate, diff, BGP topology of every node, pools, policy.
// The head changes 1 % of the objects: a BGP peer's AS, a pool's NAT, 48
// policies' ports. Target: under 2 s.
func BenchmarkPlan(b *testing.B) {
	for _, design := range []string{"route-reflectors", "full-mesh"} {
		b.Run(design, func(b *testing.B) {
			gitserver.RequireGit(b)
			spec := synthrepo.Mix(5000)
			spec.Policies -= 500 - spec.Nodes
			spec.Nodes = 500
			files := stringFiles(synthrepo.Files(spec))
			if design == "route-reflectors" {
				addRouteReflectors(files, 4)
			}
			repo := gitserver.NewRepo(b, b.TempDir(), "big.git")
			repo.Commit("main", files)
			repo.Commit("change", changeOnePercent(b, files))
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				var out, errOut bytes.Buffer
				if code := run([]string{"plan", "--repo", repo.Bare, "--base", "main", "--head", "change", "-o", "json"}, &out, &errOut); code == exitError {
					b.Fatalf("exit %d: %s", code, errOut.String())
				}
				if i == 0 && !strings.Contains(out.String(), `"peer AS 64513 → 65000"`) {
					b.Fatalf("the report misses the peer AS change:\n%.2000s", out.String())
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(per, "s/plan")
			b.ReportMetric(2, "target-s")
			b.Logf("%s: %d objects, 500 nodes: %.2f s per plan (target < 2 s)", design, spec.Total(), per)
		})
	}
}

func stringFiles(in map[string][]byte) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = string(v)
	}
	return out
}

// addRouteReflectors turns the mesh off and makes the first n nodes route
// reflectors that every node peers with.
func addRouteReflectors(files map[string]string, n int) {
	var b strings.Builder
	b.WriteString("apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n")
	b.WriteString("---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: peer-with-route-reflectors}\nspec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}\n")
	files["bgp/route-reflectors.yaml"] = b.String()
	nodes := files["nodes/00000.yaml"]
	for i := 0; i < n; i++ { // labelled route-reflector, with a cluster ID under spec.bgp
		old := fmt.Sprintf("  name: node-%d\n  labels:\n", i)
		nodes = strings.Replace(nodes, old, old+"    route-reflector: \"true\"\n", 1)
		at := strings.Index(nodes, old)
		bgp := strings.Index(nodes[at:], "  bgp:\n") + at + len("  bgp:\n")
		nodes = nodes[:bgp] + "    routeReflectorClusterID: 244.0.0.1\n" + nodes[bgp:]
	}
	files["nodes/00000.yaml"] = nodes
}

// changeOnePercent returns files with 50 objects changed.
func changeOnePercent(b *testing.B, files map[string]string) map[string]string {
	out := make(map[string]string, len(files))
	for k, v := range files {
		out[k] = v
	}
	must := func(file, old, new string, n int) {
		if strings.Count(out[file], old) < n {
			b.Fatalf("%s: fewer than %d of %q", file, n, old)
		}
		out[file] = strings.Replace(out[file], old, new, n)
	}
	must("peers/00000.yaml", "asNumber: 64513\n", "asNumber: 65000\n", 1)
	must("pools/00000.yaml", "natOutgoing: true", "natOutgoing: false", 1)
	must("policies/00000.yaml", "ports: [80]", "ports: [8080]", 48)
	return out
}
