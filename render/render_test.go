package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var update = flag.Bool("update", false, "rewrite golden files")

// writeRepo creates a repository of files (slash paths to contents) in a
// temporary directory and returns its root.
func writeRepo(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func renderYAML(t *testing.T, b *Bundle) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := b.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGolden renders the example repository's clusters and compares the
// canonical YAML with golden files, twice, to prove the output is stable.
func TestGolden(t *testing.T) {
	for _, cluster := range []string{"prod", "staging"} {
		t.Run(cluster, func(t *testing.T) {
			golden := filepath.Join("testdata", "golden", cluster+".yaml")
			var first []byte
			for run := 0; run < 2; run++ {
				b, err := Dir(t.Context(), "../repos-example", "clusters/"+cluster, Options{})
				if err != nil {
					t.Fatalf("render: %v", err)
				}
				got := renderYAML(t, b)
				if run == 0 {
					first = got
				} else if !bytes.Equal(first, got) {
					t.Fatal("two renders of the same content differ")
				}
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, first, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./render -update to create it)", err)
			}
			if !bytes.Equal(want, first) {
				t.Errorf("render differs from %s; run go test ./render -update and review the diff", golden)
			}
		})
	}
}

func TestRenderDefaultsAndCanonicalForm(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: v6
  namespace: ignored-for-cluster-scoped-kinds
  resourceVersion: "42"
  uid: 8e1c
spec:
  cidr: "aabb:aabb::0000/122"
status:
  conditions: []
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: p
  labels: {enabled: true}
spec:
  egress:
  - action: Allow
`,
	})
	b, err := Dir(t.Context(), root, ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) != 2 {
		t.Fatalf("got %d objects, want 2", len(b.Objects))
	}
	pool := b.Objects[0].Object.(*v3.IPPool)
	if pool.Spec.CIDR != "aabb:aabb::/122" || pool.Spec.BlockSize != 122 || pool.Spec.NodeSelector != "all()" {
		t.Errorf("pool not defaulted and canonical: %+v", pool.Spec)
	}
	if pool.Namespace != "" || pool.ResourceVersion != "" || pool.UID != "" || pool.Status != nil {
		t.Errorf("pool keeps server or namespace fields: %+v", pool.ObjectMeta)
	}
	np := b.Objects[1].Object.(*v3.NetworkPolicy)
	if np.Namespace != "default" || np.Spec.Tier != "default" || len(np.Spec.Types) != 1 || np.Spec.Types[0] != v3.PolicyTypeEgress {
		t.Errorf("policy not defaulted: ns=%q %+v", np.Namespace, np.Spec)
	}
	if np.Labels["enabled"] != "true" || np.Labels[v3.TierLabel] != "default" {
		t.Errorf("labels = %v", np.Labels)
	}
}

func TestRenderListAndMultiDocument(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"list.yaml": `apiVersion: v1
kind: List
items:
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: a}
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: b}
`,
		"sub/more.json": `{"apiVersion": "projectcalico.org/v3", "kind": "Tier", "metadata": {"name": "c"}}`,
		"sub/multi.yml": "---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: d}\n---\n---\n",
		// Tool configuration, hidden, is not read: neither files nor
		// directories.
		".pre-commit-config.yaml":   "repos: []\n",
		".github/workflows/ci.yaml": "on: push\n",
		"sub/.yamllint.yml":         "extends: default\n",
	})
	b, err := Dir(t.Context(), root, ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range b.Objects {
		names = append(names, o.Object.GetName()+"@"+o.Source.String())
	}
	want := "a@list.yaml:4 b@list.yaml:7 c@sub/more.json:1 d@sub/multi.yml:2"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("objects = %s, want %s", got, want)
	}
}

func TestLocate(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"peer.yaml": `# a comment
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: tor
spec:
  peerIP: 10.0.7.1
  asNumber: 64512
`,
	})
	b, err := Dir(t.Context(), root, ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := b.Objects[0]
	for field, line := range map[string]int{"spec.asNumber": 8, "spec.peerIP": 7, "metadata.name": 5, "spec.missing": 6, "": 2} {
		if got := b.Locate(o, field); got.Line != line || got.File != "peer.yaml" {
			t.Errorf("Locate(%q) = %v, want peer.yaml:%d", field, got, line)
		}
	}
}

func TestKustomizeOriginAndLocation(t *testing.T) {
	b, err := Dir(t.Context(), "../repos-example", "clusters/prod", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range b.Objects {
		if o.Object.GetName() != "tor-rack7" {
			continue
		}
		if o.Source.File != "base/bgp/peer-tor-rack7.yaml" {
			t.Fatalf("source = %v", o.Source)
		}
		pos := b.Locate(o, "spec.asNumber")
		data, _ := os.ReadFile("../repos-example/base/bgp/peer-tor-rack7.yaml")
		lines := strings.Split(string(data), "\n")
		if pos.Line < 1 || !strings.Contains(lines[pos.Line-1], "asNumber") {
			t.Fatalf("Locate(spec.asNumber) = %v, which is not the asNumber line", pos)
		}
		return
	}
	t.Fatal("BGPPeer tor-rack7 not rendered")
}

// TestPlainKustomizationMatchesKustomize renders a kustomization that only
// lists resources both ways, directly and through kustomize, and expects the
// same Bundle.
func TestPlainKustomizationMatchesKustomize(t *testing.T) {
	build := func(always bool) []byte {
		st, err := openDirStore("../repos-example")
		if err != nil {
			t.Fatal(err)
		}
		defer st.close()
		r, err := newRenderer(t.Context(), st, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r.alwaysKustomize = always
		if !r.isPlain("clusters/prod", map[string]bool{}) {
			t.Fatal("clusters/prod is expected to be a plain kustomization")
		}
		objs := r.kustomizeBuild("clusters/prod")
		if err := r.dec.errs.result("clusters/prod", r.snap.budget.exhausted); err != nil {
			t.Fatal(err)
		}
		sortObjects(objs)
		return renderYAML(t, &Bundle{Objects: objs})
	}
	if direct, viaKustomize := build(false), build(true); !bytes.Equal(direct, viaKustomize) {
		t.Errorf("direct render differs from kustomize:\n%s\n---\n%s", direct, viaKustomize)
	}
}
