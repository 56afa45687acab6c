package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// maxNodesPerDocument bounds how many values one document may expand to,
// through aliases, so that an alias bomb fails instead of eating memory.
const maxNodesPerDocument = 1_000_000

// document is one YAML document of a file, or one item of a List document.
type document struct {
	file  string
	index int        // position of the document in its file
	item  int        // position within a List document's items, or -1
	node  *yaml.Node // the document's root node
}

func (d document) line() int { return d.node.Line }

// parseDocuments splits a file into its YAML documents. A syntax error ends
// the file: what follows cannot be trusted.
func parseDocuments(file string, data []byte) ([]document, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []document
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, yamlError(file, err)
		}
		if len(n.Content) == 0 {
			continue
		}
		root := n.Content[0]
		if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
			continue // an empty document, e.g. after a trailing "---"
		}
		docs = append(docs, document{file: file, index: i, item: -1, node: root})
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a located Error.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "YAML syntax error: " + m[2]}
	}
	return &Error{File: file, Msg: "YAML syntax error: " + trimYAMLPrefix(msg)}
}

func trimYAMLPrefix(msg string) string {
	const p = "yaml: "
	if len(msg) > len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}

// converter turns YAML nodes into the values encoding/json understands:
// map[string]any, []any, string, int64, uint64, float64, bool and nil.
type converter struct {
	file  string
	nodes int
}

func (c *converter) value(n *yaml.Node, depth int) (any, *Error) {
	c.nodes++
	if c.nodes > maxNodesPerDocument {
		return nil, c.errorf(n, "document expands to more than %d values; remove the YAML aliases that multiply it", maxNodesPerDocument)
	}
	if depth > 256 {
		return nil, c.errorf(n, "document is nested more than 256 levels deep")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		return c.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		if err := c.mapping(n, out, depth); err != nil {
			return nil, err
		}
		return out, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	}
	return nil, c.errorf(n, "unsupported YAML node")
}

// mapping fills out with the pairs of n. Merge keys (<<) are expanded, with
// the mapping's own keys winning, as YAML defines.
func (c *converter) mapping(n *yaml.Node, out map[string]any, depth int) *Error {
	seen := make(map[string]int, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return c.errorf(k, "mapping key is not a scalar")
		}
		if first, dup := seen[k.Value]; dup {
			return c.errorf(k, "duplicate field %q (first at line %d); remove one", k.Value, first)
		}
		seen[k.Value] = k.Line
		val, err := c.value(v, depth+1)
		if err != nil {
			return err
		}
		out[k.Value] = val
	}
	for _, m := range merges {
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			for src.Kind == yaml.AliasNode {
				src = src.Alias
			}
			if src.Kind != yaml.MappingNode {
				return c.errorf(m, "merge key (<<) must refer to a mapping")
			}
			merged := make(map[string]any)
			if err := c.mapping(src, merged, depth+1); err != nil {
				return err
			}
			for k, v := range merged {
				if _, own := seen[k]; !own {
					out[k] = v
				}
			}
		}
	}
	return nil
}

func (c *converter) scalar(n *yaml.Node) (any, *Error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, c.errorf(n, "%s", trimYAMLPrefix(err.Error()))
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			return u, nil
		}
		return nil, c.errorf(n, "integer %s is out of range", n.Value)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, c.errorf(n, "%s", trimYAMLPrefix(err.Error()))
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, c.errorf(n, "%s is not a finite number", n.Value)
		}
		return f, nil
	default:
		// Strings, timestamps, binary and custom tags keep their text, as
		// a JSON string.
		return n.Value, nil
	}
}

func (c *converter) errorf(n *yaml.Node, format string, args ...any) *Error {
	return &Error{File: c.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}
