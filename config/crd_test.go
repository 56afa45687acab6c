package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestCRDSet checks that tabby installs a CRD for every kind it applies
// but Kubernetes' own (networking.k8s.io NetworkPolicy), and for
// NetworkSync, and for nothing else: a review-only kind (api.Kind.Applied
// false: ConnectivityTest, Inventory) is never in a cluster, and a Calico
// Node is stored on the Kubernetes Node of its name.
// Both CRD sets are checked: config/crd/bases (what make generate writes,
// and what tests install) and what config/default installs.
func TestCRDSet(t *testing.T) {
	want := map[schema.GroupKind]bool{v1alpha1.GroupVersion.WithKind("NetworkSync").GroupKind(): true}
	reviewOnly := map[schema.GroupKind]bool{}
	for _, k := range api.Kinds() {
		switch {
		case !k.Applied:
			reviewOnly[k.GroupKind()] = true
		case clientgoscheme.Scheme.Recognizes(k.GroupVersionKind):
			// Kubernetes serves it.
		case k.Group != v3.GroupName || k.Kind != "Node":
			want[k.GroupKind()] = true
		}
	}

	files, err := filepath.Glob("crd/bases/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bases := map[schema.GroupKind]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.UnmarshalStrict(data, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		bases[schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}] = "config/" + f
	}

	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), "default")
	if err != nil {
		t.Fatal(err)
	}
	installed := map[schema.GroupKind]string{}
	for _, r := range m.Resources() {
		if r.GetKind() != "CustomResourceDefinition" {
			continue
		}
		obj, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj, &crd); err != nil {
			t.Fatal(err)
		}
		installed[schema.GroupKind{Group: crd.Spec.Group, Kind: crd.Spec.Names.Kind}] = "config/default: CRD " + crd.Name
	}

	for _, set := range []struct {
		name string
		crds map[schema.GroupKind]string
	}{{"config/crd/bases", bases}, {"config/default", installed}} {
		for gk, where := range set.crds {
			switch {
			case reviewOnly[gk]:
				t.Errorf("%s: %s is review-only (api.Kind.Applied false) and must have no CRD: add it to NO_CRD in the Makefile and run make generate", where, gk)
			case !want[gk]:
				t.Errorf("%s: %s is no kind tabby applies: remove its CRD, or add the kind to api.Kinds", where, gk)
			}
		}
		for gk := range want {
			if _, ok := set.crds[gk]; !ok {
				t.Errorf("%s: no CRD for %s, which tabby applies: run make generate", set.name, gk)
			}
		}
	}
	if !slices.Equal(sortedKeys(bases), sortedKeys(installed)) {
		t.Errorf("config/default installs %v, config/crd/bases holds %v: run make generate", sortedKeys(installed), sortedKeys(bases))
	}
}

func sortedKeys(m map[schema.GroupKind]string) []string {
	var out []string
	for gk := range m {
		out = append(out, gk.String())
	}
	slices.Sort(out)
	return out
}
