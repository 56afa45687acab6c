package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// policies is a file of three NetworkPolicies, a, b and c, whose documents
// start at lines 1, 8 and 15 and whose spec.order is at lines 6, 13 and 20.
const policies = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: a
spec:
  order: 1
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: b
spec:
  order: 2
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: c
spec:
  order: 3
`

// TestKustomizeLocatesEachDocument builds a three-document file through
// each kind of kustomize transformer, and expects every object located at
// its own document, its fields at their own lines: not every object at the
// file's first document.
func TestKustomizeLocatesEachDocument(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		path  string
		file  string   // where policies is, p.yaml unless said
		names []string // the built names of a, b and c
	}{
		{
			name:  "namePrefix",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\nnamePrefix: x-\n"},
			names: []string{"x-a", "x-b", "x-c"},
		},
		{
			name:  "nameSuffix",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\nnameSuffix: -x\n"},
			names: []string{"a-x", "b-x", "c-x"},
		},
		{
			name:  "namespace",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\nnamespace: prod\n"},
			names: []string{"a", "b", "c"},
		},
		{
			name:  "labels",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\nlabels:\n- pairs: {team: net}\n  includeSelectors: false\n"},
			names: []string{"a", "b", "c"},
		},
		{
			name:  "commonLabels",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\ncommonLabels: {team: net}\n"},
			names: []string{"a", "b", "c"},
		},
		{
			name:  "commonAnnotations",
			files: map[string]string{"kustomization.yaml": "resources: [p.yaml]\ncommonAnnotations: {owner: net}\n"},
			names: []string{"a", "b", "c"},
		},
		{
			name: "a patch renaming an object",
			files: map[string]string{"kustomization.yaml": `resources: [p.yaml]
patches:
- target: {kind: NetworkPolicy, name: b}
  patch: |
    - op: replace
      path: /metadata/name
      value: renamed
`},
			names: []string{"a", "renamed", "c"},
		},
		{
			// A transformer dropped the document annotation, and kept the
			// origin's: the object is matched by its kind, and its name
			// within the prefixed one.
			name: "the document annotation removed",
			files: map[string]string{"kustomization.yaml": `resources: [p.yaml]
namePrefix: x-
patches:
- target: {kind: NetworkPolicy}
  patch: |
    - op: remove
      path: /metadata/annotations/internal.tabby.dev~1document
`},
			names: []string{"x-a", "x-b", "x-c"},
		},
		{
			name: "a strategic merge patch",
			files: map[string]string{"kustomization.yaml": `resources: [p.yaml]
namePrefix: x-
patches:
- path: patch.yaml
`, "patch.yaml": "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: b\nspec:\n  order: 20\n"},
			names: []string{"x-a", "x-b", "x-c"},
		},
		{
			name: "a component",
			files: map[string]string{
				"kustomization.yaml":      "resources: [p.yaml]\ncomponents: [comp]\n",
				"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: c-\ncommonLabels: {team: net}\n",
			},
			names: []string{"c-a", "c-b", "c-c"},
		},
		{
			name: "a nested overlay of a base",
			files: map[string]string{
				"base/kustomization.yaml":    "resources: [p.yaml]\nnamePrefix: base-\n",
				"overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\nnamespace: prod\n",
			},
			path:  "overlay",
			file:  "base/p.yaml",
			names: []string{"prod-base-a", "prod-base-b", "prod-base-c"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "p.yaml"
			}
			files := map[string]string{file: policies}
			for k, v := range tc.files {
				files[k] = v
			}
			p := tc.path
			if p == "" {
				p = "."
			}
			b, err := Dir(t.Context(), writeRepo(t, files), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for i, name := range tc.names {
				want = append(want, fmt.Sprintf("%s %s:%d spec.order at %s:%d:3", name, file, 1+7*i, file, 6+7*i))
			}
			for _, o := range b.Objects {
				pos := b.Locate(o, "spec.order")
				got = append(got, fmt.Sprintf("%s %s spec.order at %s:%d:%d", o.Object.GetName(), o.Source, pos.File, pos.Line, pos.Column))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("objects located at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestKustomizeLocatesListItems builds a List through namePrefix: each item
// is located at itself.
func TestKustomizeLocatesListItems(t *testing.T) {
	b, err := Dir(t.Context(), writeRepo(t, map[string]string{
		"kustomization.yaml": "resources: [list.yaml]\nnamePrefix: x-\n",
		"list.yaml": `apiVersion: v1
kind: List
items:
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: a}
  spec: {order: 1}
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: b}
  spec: {order: 2}
`,
	}), ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range b.Objects {
		got = append(got, fmt.Sprintf("%s %s spec.order at line %d", o.Object.GetName(), o.Source, b.Locate(o, "spec.order").Line))
	}
	want := []string{"x-a list.yaml:4 spec.order at line 7", "x-b list.yaml:8 spec.order at line 11"}
	if !slices.Equal(got, want) {
		t.Errorf("objects located at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
