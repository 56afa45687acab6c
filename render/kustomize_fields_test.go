package render

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
)

// TestKustomizationFieldsClassified pins the fields of kustomize's
// Kustomization type. Each one either makes kustomize load a file, a
// directory or a repository, and kustomizeCheck.fields checks it, or does
// not. A kustomize upgrade that adds a field fails here: read what kustomize
// does with it, check it in kustomizeCheck.fields if it names anything to
// load, and list it below.
func TestKustomizationFieldsClassified(t *testing.T) {
	loads := []string{
		"resources", "bases", "components", "crds", "configurations",
		"generators", "transformers", "validators",
		"patchesStrategicMerge", "patchesJson6902", "patches", "replacements",
		"configMapGenerator", "secretGenerator", "openapi",
		"helmGlobals", "helmCharts", "helmChartInflationGenerator", // refused
	}
	loadsNothing := []string{
		"apiVersion", "kind", "metadata", "namePrefix", "nameSuffix", "namespace",
		"commonLabels", "labels", "commonAnnotations", "images", "imageTags",
		"replicas", "vars", "sortOptions", "generatorOptions", "buildMetadata",
	}
	want := append(append([]string{}, loads...), loadsNothing...)
	got := jsonFields(reflect.TypeOf(types.Kustomization{}))
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kustomize's Kustomization fields changed:\n got %v\nwant %v\nclassify the new ones (see the test's doc)", got, want)
	}
}

// TestBuiltinPluginsClassified pins kustomize's builtin plugins. Each one's
// configuration either names files kustomize loads, and
// kustomizeCheck.pluginConfigs checks them, or names none.
func TestBuiltinPluginsClassified(t *testing.T) {
	loads := []string{
		"ConfigMapGenerator", "SecretGenerator", "HelmChartInflationGenerator",
		"PatchTransformer", "PatchJson6902Transformer", "PatchStrategicMergeTransformer",
		"ReplacementTransformer", "ValueAddTransformer",
	}
	loadsNothing := []string{
		"IAMPolicyGenerator", "PrefixSuffixTransformer", "HashTransformer", "ImageTagTransformer",
		"PrefixTransformer", "SuffixTransformer", "ReplicaCountTransformer",
		"AnnotationsTransformer", "LabelTransformer", "NamespaceTransformer",
	}
	want := append(append([]string{}, loads...), loadsNothing...)
	got := krusty.GetBuiltinPluginNames()
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kustomize's builtin plugins changed:\n got %v\nwant %v\nclassify the new ones (see the test's doc)", got, want)
	}
}

// jsonFields returns the JSON names of a struct's fields, those of embedded
// structs included.
func jsonFields(typ reflect.Type) []string {
	var names []string
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			names = append(names, jsonFields(f.Type)...)
			continue
		}
		names = append(names, name)
	}
	return names
}
