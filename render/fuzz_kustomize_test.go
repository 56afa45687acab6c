package render

import (
	"strings"
	"testing"
)

// kustomizeSlots are the files FuzzKustomize writes, in input order.
var kustomizeSlots = []string{"kustomization.yaml", "a.yaml", "base/kustomization.yaml", "base/b.yaml", "base/patch.yaml"}

// FuzzKustomize renders repositories of several files, kustomizations
// among them, so that both the plain shortcut and kustomize itself read
// arbitrary content: never a panic, and never past the budgets. The input
// is the files' contents, in kustomizeSlots order, separated by "\n===\n".
func FuzzKustomize(f *testing.F) {
	f.Add("resources: [a.yaml, base]\n===\n" + tiers("a", 2) + "\n===\nresources: [b.yaml]\n===\n" + tiers("b", 1))
	f.Add("resources: [a.yaml, base]\nnamePrefix: p-\ncommonLabels: {x: y}\n===\n" + tiers("a", 1) +
		"\n===\nresources: [b.yaml]\npatches: [{path: patch.yaml}]\n===\n" + tiers("b", 1) +
		"\n===\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: b-0}\nspec: {order: 5}\n")
	f.Add("resources: [a.yaml]\nnamePrefix: p-\n===\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n")
	f.Add("resources: [a.yaml]\nnameSuffix: -s\n===\na: &a [*a]\n")
	f.Add("resources: [base, ../x]\n===\n===\nresources: [../base, b.yaml]\n===\n" + strings.Repeat("---\nk: v\n", 60))
	f.Add("resources: [a.yaml]\nconfigMapGenerator: [{name: c, files: [base/b.yaml]}]\n===\n" + tiers("a", 1) + "\n===\n===\nnot yaml: [")
	f.Fuzz(func(t *testing.T, input string) {
		files := map[string]string{}
		for i, content := range strings.SplitN(input, "\n===\n", len(kustomizeSlots)) {
			files[kustomizeSlots[i]] = content
		}
		st := memStore{files: files}
		renderWithin(t, st, ".")
		renderWithin(t, st, "base")
	})
}
