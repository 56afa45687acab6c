package validate

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tabbynet/tabby/render"
)

const namespaceManifests = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: no-namespace
spec:
  selector: app == "web"
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: shop-web
  namespace: shop
spec:
  selector: app == "web"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: k8s-no-namespace
spec:
  podSelector: {}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: cluster-wide
spec:
  selector: all()
`

// TestNamespaceDefaulted shows that a namespaced object without a namespace
// is warned about at its metadata, still rendered into namespace default,
// and that a kustomization's namespace: counts as naming one.
func TestNamespaceDefaulted(t *testing.T) {
	b, err := renderYAML(t.TempDir(), namespaceManifests)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Validate(ForBundle(b)) {
		if f.Code == codeNamespaceDefaulted.ID {
			got = append(got, f.Position.String()+" "+f.Object+" "+f.Field)
		}
	}
	want := []string{
		"manifests.yaml:18 networking.k8s.io/NetworkPolicy default/k8s-no-namespace metadata",
		"manifests.yaml:3 projectcalico.org/NetworkPolicy default/no-namespace metadata",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("namespace-defaulted findings:\n%q\nwant\n%q", got, want)
	}

	dir := t.TempDir()
	for name, content := range map[string]string{
		"kustomization.yaml": "namespace: shop\nresources: [manifests.yaml]\n",
		"manifests.yaml":     namespaceManifests,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kb, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Validate(ForBundle(kb)) {
		if f.Code == codeNamespaceDefaulted.ID {
			t.Errorf("with a kustomization namespace: %s", f)
		}
	}
}
