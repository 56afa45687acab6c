package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// TestOwnership renders a repository, through kustomize, whose objects
// carry ownerReferences and finalizers, one written in the object's file
// and one added by a kustomize patch, and expects each refused at its
// field: render keeps both (they are ObjectMeta fields), so validate is
// what stands between them and the cluster. A field a patch adds is
// located at its object, the line render knows.
func TestOwnership(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"kustomization.yaml": `resources: [policy.yaml, pool.yaml]
patches:
- path: keep.yaml
`,
		"policy.yaml": `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-dns
  ownerReferences:
  - apiVersion: v1
    kind: Namespace
    name: kube-system
    uid: 1e2a4b5c-0000-4000-8000-000000000001
spec:
  selector: all()
  types: [Egress]
  egress:
  - {action: Allow, protocol: UDP, destination: {ports: [53]}}
`,
		"pool.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
`,
		"keep.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
  finalizers: [example.com/keep]
`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := Validate(ForBundle(b))
	want := map[string]string{
		"metadata-owner-references": "policy.yaml:5 projectcalico.org/GlobalNetworkPolicy allow-dns metadata.ownerReferences",
		"metadata-finalizers":       "pool.yaml:3 projectcalico.org/IPPool pods metadata.finalizers",
	}
	for _, f := range fs {
		w, ok := want[f.Code]
		if !ok {
			t.Errorf("unexpected finding %s", f)
			continue
		}
		delete(want, f.Code)
		if got := f.Position.String() + " " + f.Object + " " + f.Field; got != w {
			t.Errorf("%s: got %s, want %s", f.Code, got, w)
		}
		if f.Severity != SeverityError || !strings.Contains(f.Message, "remove them") {
			t.Errorf("%s: %s", f.Code, f)
		}
	}
	for code := range want {
		t.Errorf("no %s finding among %v", code, fs)
	}
}

// TestOwnershipAdmission checks that objects without a source file, as the
// admission webhook validates them, may carry ownerReferences and
// finalizers: the cluster's own controllers set them on what they own.
func TestOwnershipAdmission(t *testing.T) {
	b, err := renderYAML(t.TempDir(), `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
  finalizers: [example.com/keep]
  ownerReferences:
  - {apiVersion: v1, kind: Namespace, name: kube-system, uid: 1e2a4b5c-0000-4000-8000-000000000001}
spec:
  cidr: 10.244.0.0/16
`)
	if err != nil {
		t.Fatal(err)
	}
	if fs := Validate(ForBundle(b)); len(fs) != 2 {
		t.Fatalf("from a repository: %v, want both refused", fs)
	}
	o := *b.Objects[0]
	o.Source = manifest.Source{}
	if fs := Validate(Input{Objects: []*manifest.Object{&o}}); len(fs) != 0 {
		t.Errorf("an admission request: %v", fs)
	}
}
