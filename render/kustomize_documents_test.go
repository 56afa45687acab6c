package render

import (
	"testing"
)

// FuzzTagDocuments tags arbitrary files as kustomize is to read them:
// never a panic, and a file that parses keeps its documents, each object
// tagged with its own.
func FuzzTagDocuments(f *testing.F) {
	f.Add(policies)
	f.Add("apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n- metadata: &m {name: b, annotations: {x: y}}\n- metadata: *m\n")
	f.Add("metadata: [a]\n---\nmetadata: {annotations: 3}\n---\n- x\n---\nmetadata: {annotations: {internal.tabby.dev/document: forged}}\n")
	f.Add("a: &a [*a]\n")
	f.Add("not yaml: [")
	f.Fuzz(func(t *testing.T, content string) {
		docs, perr := parseDocuments("a.yaml", []byte(content))
		out := tagDocuments("a.yaml", []byte(content))
		if perr != nil {
			if string(out) != content {
				t.Fatalf("a file that does not parse was changed:\n%s", out)
			}
			return
		}
		tagged, err := parseDocuments("a.yaml", out)
		if err != nil {
			t.Fatalf("tagged file does not parse: %v\n%s", err, out)
		}
		if len(tagged) != len(docs) {
			t.Fatalf("%d documents tagged, want %d:\n%s", len(tagged), len(docs), out)
		}
		for i, d := range tagged {
			v := scalarAt(d.node, "metadata", "annotations", documentAnnotation)
			if v == "" {
				continue // not an object, or no room for the annotation
			}
			file, doc, item, ok := taggedDocument(v)
			if !ok || file != "a.yaml" || doc != docs[i].index || item != -1 && item >= len(valueAt(d.node, "items").Content) {
				t.Errorf("document %d tagged %q", i, v)
			}
		}
	})
}
