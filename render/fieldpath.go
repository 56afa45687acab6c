package render

import (
	yaml "go.yaml.in/yaml/v3"

	"github.com/tabbynet/tabby/manifest"
)

// locate finds the node of a field within a document: the key's node for a
// mapping field, the item's node for a list index. When the path leads
// outside the document, it returns the deepest node it reached, so that a
// problem is still reported near where it is.
func locate(root *yaml.Node, p manifest.FieldPath) *yaml.Node {
	n, at := root, root
	for _, e := range p {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch e := e.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return at
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == e {
					at, n, found = n.Content[i], n.Content[i+1], true
					break
				}
			}
			if !found {
				return at
			}
		case int:
			if n.Kind != yaml.SequenceNode || e < 0 || e >= len(n.Content) {
				return at
			}
			n = n.Content[e]
			at = n
		}
	}
	return at
}
