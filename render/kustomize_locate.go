package render

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// fieldAliases are kustomization fields kustomize merges into another one
// as it reads a kustomization, by the name of the field they merge into.
var fieldAliases = map[string][]string{
	"resources": {"resources", "bases"},
	"images":    {"images", "imageTags"},
}

// locateEntry finds where a value of a kustomization field is written, for
// error messages, in the YAML of the file it was decoded from. kustomize
// reads keys in any case and, of two keys naming one field, the last: so
// does locateEntry, among the keys naming field (or a field kustomize merges
// into it), looking for a scalar equal to value below them. Failing that,
// it returns the first scalar in the document equal to value, and failing
// that the document's first line. key is the key as written, or field.
func locateEntry(root *yaml.Node, field, value string) (key string, line, col int) {
	names := fieldAliases[field]
	if names == nil {
		names = []string{field}
	}
	key, line, col = field, root.Line, root.Column
	found := false
	for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		for _, name := range names {
			if !strings.EqualFold(k.Value, name) {
				continue
			}
			if n := findScalar(root.Content[i+1], value, 0); n != nil {
				key, line, col, found = k.Value, n.Line, n.Column, true
			}
		}
	}
	if !found {
		if n := findScalar(root, value, 0); n != nil {
			line, col = n.Line, n.Column
		}
	}
	return key, line, col
}

// locateKey finds the last key of a mapping naming field in any case.
func locateKey(root *yaml.Node, field string) (line, col int, ok bool) {
	for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; strings.EqualFold(k.Value, field) {
			line, col, ok = k.Line, k.Column, true
		}
	}
	return line, col, ok
}

// maxLocateDepth bounds findScalar's walk; a kustomization's values lie a
// few levels down, and aliases can make a document's tree deep.
const maxLocateDepth = 16

// findScalar returns the first scalar below n whose value is value.
func findScalar(n *yaml.Node, value string, depth int) *yaml.Node {
	if n == nil || depth > maxLocateDepth {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Value == value {
		return n
	}
	if n.Kind == yaml.AliasNode {
		return nil // located at its anchor, which comes first
	}
	for _, c := range n.Content {
		if found := findScalar(c, value, depth+1); found != nil {
			return found
		}
	}
	return nil
}
