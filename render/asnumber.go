package render

import (
	"reflect"

	yaml "go.yaml.in/yaml/v3"

	"github.com/tabbynet/tabby/api/numorstring"
	"github.com/tabbynet/tabby/manifest"
)

var asNumberType = reflect.TypeFor[numorstring.ASNumber]()

// asNumberSpellings reports every AS number of the YAML node n, written for
// the Go type t, that YAML read as a number other than the decimal integer
// it looks like. By the time a value reaches JSON, asdot written unquoted
// (1.0) has become the integer 1 and 0x10 has become 16, and ASNumber can no
// longer tell; so the spelling is checked here, on the node.
func asNumberSpellings(t reflect.Type, n *yaml.Node, p manifest.FieldPath, report func(manifest.FieldPath, string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if t == asNumberType {
		if tag := n.ShortTag(); n.Kind == yaml.ScalarNode && (tag == "!!int" || tag == "!!float") {
			if _, err := numorstring.ParseASNumberLiteral(n.Value); err != nil {
				report(p, err.Error())
			}
		}
		return
	}
	if isLeaf(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			ft := t
			if t.Kind() == reflect.Map {
				ft = t.Elem()
			} else if ft = infoOf(t).fields[k]; ft == nil {
				continue // an unknown field, reported as such
			}
			asNumberSpellings(ft, n.Content[i+1], p.Key(k), report)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			asNumberSpellings(t.Elem(), item, p.Index(i), report)
		}
	}
}
