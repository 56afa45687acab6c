package render

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzKustomization renders arbitrary kustomizations, one at the root and
// one in base/, beside a manifest in each, both through the plain
// shortcut (when the check finds the kustomization plain) and through
// kustomize. Neither may reach outside the repository (git, HTTP, TMPDIR),
// and when both build, they must give the same objects.
func FuzzKustomization(f *testing.F) {
	rec := recordFetches(f)
	for _, seed := range [][2]string{
		{"resources: [peer.yaml, base]\n", "resources: [peer.yaml]\n"},
		{"bases: [base]\nresources: [peer.yaml]\n", "resources: [./peer.yaml]\n"},
		{"Resources: [peer.yaml]\n", "resources: [peer.yaml]\n"},
		{"resources: [base]\nresources: [peer.yaml]\n", "resources: [peer.yaml]\n"},
		{"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [./peer.yaml, base/]\n", "kind: Kustomization\nresources: [peer.yaml]\n"},
		{"resources: [peer.yaml, base]\nnamePrefix: x-\n", "resources: [peer.yaml]\ncommonLabels: {a: b}\n"},
		{"resources: [peer.yaml]\ncomponents: [base]\n", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnameSuffix: -c\n"},
		{"resources: [peer.yaml]\npatches: [{path: base/peer.yaml}]\n", "resources: [peer.yaml]\n"},
		{"resources: [peer.yaml]\npatchesStrategicMerge: [base/peer.yaml]\n", "resources: [peer.yaml]\n"},
		{"resources: [peer.yaml]\ntransformers:\n- |\n  apiVersion: builtin\n  kind: PrefixTransformer\n  metadata: {name: p}\n  prefix: z-\n  fieldSpecs: [{path: metadata/name}]\n", ""},
		{"resources: [base, github.com:org/repo]\n", "resources: [peer.yaml]\n"},
		{"resources: [&a peer.yaml]\nbases: [*a]\n", "resources: [peer.yaml]\n"},
		{"metadata: {name: k}\nresources: [peer.yaml]\n", "resources: [peer.yaml]\n"},
		{"resources: [base]\n", "resources: [../peer.yaml]\n"},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	f.Fuzz(func(t *testing.T, root, base []byte) {
		files := map[string]string{
			"kustomization.yaml": string(root),
			"peer.yaml":          testPeer,
			"base/peer.yaml":     strings.Replace(testPeer, "name: p", "name: q", 1),
		}
		if len(base) > 0 {
			files["base/kustomization.yaml"] = string(base)
		}

		build := func(always bool) ([]byte, bool) {
			rec.reset(t)
			r, err := newRenderer(t.Context(), memStore{files: files}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r.alwaysKustomize = always
			objs := r.kustomizeBuild(".")
			if got := rec.fetches(t); len(got) > 0 {
				t.Fatalf("building\n%s\nreached outside the repository:\n%s", root, strings.Join(got, "\n"))
			}
			if r.dec.errs.count() > 0 {
				return nil, false
			}
			sortObjects(objs)
			var buf bytes.Buffer
			if err := (&Bundle{Objects: objs}).WriteYAML(&buf); err != nil {
				t.Fatalf("write: %v", err)
			}
			return buf.Bytes(), true
		}
		direct, ok := build(false)
		viaKustomize, kustomizeOK := build(true)
		if ok && kustomizeOK && !bytes.Equal(direct, viaKustomize) {
			t.Fatalf("kustomization\n%s\nbase\n%s\nrenders differently directly and through kustomize:\n%s\n---\n%s", root, base, direct, viaKustomize)
		}
	})
}
