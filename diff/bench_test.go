package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// benchRepo writes a repository of n objects: 90% Calico NetworkPolicies
// of ten rules, the rest Kubernetes NetworkPolicies and GlobalNetworkSets.
// Every changeEvery-th object is edited (changeEvery 0: none).
func benchRepo(n, changeEvery int) map[string]string {
	files := map[string]string{}
	var b strings.Builder
	for i := range n {
		changed := changeEvery > 0 && i%changeEvery == 0
		switch {
		case i%10 < 9:
			fmt.Fprintf(&b, "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: p%d\n  namespace: ns%d\n  labels: {team: t%d}\nspec:\n  selector: app == 'a%d'\n  types: [Ingress, Egress]\n  ingress:\n", i, i%50, i%7, i)
			for r := range 8 {
				action := "Allow"
				if changed && r == 3 {
					action = "Deny"
				}
				fmt.Fprintf(&b, "  - action: %s\n    protocol: TCP\n    source:\n      selector: role == 'r%d'\n      nets: [10.%d.0.0/16, 10.%d.1.0/24]\n    destination:\n      ports: [%d, %d]\n", action, r, r, r, 8000+r, 9000+r)
			}
			b.WriteString("  egress:\n  - action: Allow\n    destination: {selector: k8s-app == 'kube-dns', ports: [53]}\n    protocol: UDP\n  - action: Deny\n")
		case i%10 == 9 && i%20 == 9:
			fmt.Fprintf(&b, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: k%d, namespace: ns%d}\nspec:\n  podSelector: {matchLabels: {app: a%d}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n    ports: [{port: 5432}]\n", i, i%50, i)
			if changed {
				b.WriteString("  - from: [{namespaceSelector: {}}]\n")
			}
		default:
			fmt.Fprintf(&b, "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: s%d}\nspec:\n  nets: [192.0.2.0/24, 198.51.100.0/24, 203.0.113.%d/32]\n", i, i%256)
			if changed {
				b.WriteString("  - 10.0.0.0/8\n")
			}
		}
		b.WriteString("---\n")
		if i%100 == 99 || i == n-1 {
			files[fmt.Sprintf("f%03d.yaml", i/100)] = b.String()
			b.Reset()
		}
	}
	return files
}

func benchBundles(b *testing.B) (before, after *render.Bundle) {
	b.Helper()
	return renderFiles(b, benchRepo(5000, 0)), renderFiles(b, benchRepo(5000, 100))
}

// BenchmarkObjects compares two revisions of 5,000 objects, 1% changed.
func BenchmarkObjects(b *testing.B) {
	before, after := benchBundles(b)
	if got := len(Objects(before.Objects, after.Objects)); got != 50 {
		b.Fatalf("want 50 changes, got %d", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		Objects(before.Objects, after.Objects)
	}
}

// BenchmarkMaps runs the engine itself over the same 5,000 pairs, encoded
// once beforehand: the cost Objects avoids for objects it finds equal
// without encoding them.
func BenchmarkMaps(b *testing.B) {
	before, after := benchBundles(b)
	var pairs [][2]map[string]any
	for i, o := range after.Objects {
		am, err := manifest.CanonicalMap(o.Object)
		if err != nil {
			b.Fatal(err)
		}
		bm, err := manifest.CanonicalMap(before.Objects[i].Object)
		if err != nil {
			b.Fatal(err)
		}
		pairs = append(pairs, [2]map[string]any{bm, am})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pairs {
			Maps(p[0], p[1])
		}
	}
}
