package render

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// FieldPath is the path of a value within an object: map keys (string) and
// list indexes (int). Its String form is how tabby names fields everywhere:
// in findings, diffs, drift reports and Locate.
type FieldPath []any

func (p FieldPath) key(k string) FieldPath { return append(p[:len(p):len(p)], k) }
func (p FieldPath) index(i int) FieldPath  { return append(p[:len(p):len(p)], i) }

// String formats the path as spec.ingress[0].protocol, quoting keys that are
// not plain identifiers: metadata.labels["app.kubernetes.io/name"].
func (p FieldPath) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			b.WriteString("[")
			b.WriteString(strconv.Itoa(e))
			b.WriteString("]")
		case string:
			if plainKey(e) {
				if b.Len() > 0 {
					b.WriteString(".")
				}
				b.WriteString(e)
			} else {
				b.WriteString("[")
				b.WriteString(strconv.Quote(e))
				b.WriteString("]")
			}
		}
	}
	return b.String()
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ParseFieldPath parses the String form of a field path.
func ParseFieldPath(s string) (FieldPath, bool) {
	var p FieldPath
	for len(s) > 0 {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, false
			}
			inner := s[1:end]
			if strings.HasPrefix(inner, `"`) {
				k, err := strconv.Unquote(inner)
				if err != nil {
					// A quoted key may contain "]": find the closing quote.
					q := closingQuote(s[1:])
					if q < 0 {
						return nil, false
					}
					if k, err = strconv.Unquote(s[1 : q+2]); err != nil {
						return nil, false
					}
					end = q + 2
				}
				p = append(p, k)
			} else {
				i, err := strconv.Atoi(inner)
				if err != nil {
					return nil, false
				}
				p = append(p, i)
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, s[:end])
			s = s[end:]
		}
	}
	return p, true
}

func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// locate finds the node of a field within a document: the key's node for a
// mapping field, the item's node for a list index. When the path leads
// outside the document, it returns the deepest node it reached, so that a
// problem is still reported near where it is.
func locate(root *yaml.Node, p FieldPath) *yaml.Node {
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
