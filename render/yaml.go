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

// maxNesting bounds how deep the values of a document nest.
const maxNesting = 256

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
	var docs []document
	err := eachDocument(file, data, func(d document) bool {
		docs = append(docs, d)
		return true
	})
	return docs, err
}

// eachDocument calls fn with each YAML document of a file in turn, until fn
// returns false: only one document's nodes are in memory at a time.
func eachDocument(file string, data []byte, fn func(document) bool) *Error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return yamlError(file, err)
		}
		if len(n.Content) == 0 {
			continue
		}
		root := n.Content[0]
		if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
			continue // an empty document, e.g. after a trailing "---"
		}
		if !fn(document{file: file, index: i, item: -1, node: root}) {
			return nil
		}
	}
}

// chargeDocument counts the values of a document, aliases expanded, without
// expanding them, and charges the document to the budget. It returns false
// when the document must not be decoded: an alias cycle (an Error) or the
// budget exhausted (the render stops).
func chargeDocument(b *budget, d document) (bool, *Error) {
	z := sizer{memo: make(map[*yaml.Node]int64), limit: b.valuesLeft()}
	values, cycle := z.size(d.node, 0)
	if cycle != nil {
		return false, &Error{Code: CodeYAMLAlias, File: d.file, Line: cycle.Line, Column: cycle.Column,
			Msg: "alias refers to a value that contains it; remove the cycle"}
	}
	return b.document(d.file, d.line(), values), nil
}

// sizer counts the values a YAML node stands for once its aliases are
// expanded, computing the count of each anchored node once: linear in the
// document's size however much its aliases multiply it. Only anchored nodes
// can be reached twice, or close a cycle, so only they are remembered.
// Counts saturate past limit.
type sizer struct {
	memo  map[*yaml.Node]int64 // anchored nodes; -1 while being counted
	limit int64
}

// size returns the count of n, or the alias that closes a cycle.
func (z *sizer) size(n *yaml.Node, depth int) (int64, *yaml.Node) {
	if depth > maxNesting {
		return 1, nil // the converter reports it
	}
	if n.Anchor != "" {
		if v, ok := z.memo[n]; ok {
			if v < 0 {
				return 0, n
			}
			return v, nil
		}
		z.memo[n] = -1
	}
	var count int64 = 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		v, cycle := z.size(n.Alias, depth+1)
		if cycle != nil {
			return 0, n
		}
		count = v
	}
	for _, c := range n.Content {
		v, cycle := z.size(c, depth+1)
		if cycle != nil {
			return 0, cycle
		}
		count = min(count+v, z.limit+1)
	}
	if n.Anchor != "" {
		z.memo[n] = count
	}
	return count, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a located Error.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Code: CodeYAMLSyntax, File: file, Line: line, Msg: "YAML syntax error: " + m[2]}
	}
	return &Error{Code: CodeYAMLSyntax, File: file, Msg: "YAML syntax error: " + trimYAMLPrefix(msg)}
}

func trimYAMLPrefix(msg string) string {
	const p = "yaml: "
	if len(msg) > len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}

// converter turns YAML nodes into the values encoding/json understands:
// map[string]any, []any, string, int64, uint64, float64, bool and nil. The
// document it converts has been charged to the budget (chargeDocument): the
// values it builds are bounded.
type converter struct {
	file string
}

func (c *converter) value(n *yaml.Node, depth int) (any, *Error) {
	if depth > maxNesting {
		return nil, c.errorf(n, CodeBudgetExceeded, "document is nested more than %d levels deep", maxNesting)
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
	return nil, c.errorf(n, CodeYAMLSyntax, "unsupported YAML node")
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
			return c.errorf(k, CodeManifestInvalid, "mapping key is not a scalar")
		}
		if first, dup := seen[k.Value]; dup {
			return c.errorf(k, CodeYAMLSyntax, "duplicate field %q (first at line %d); remove one", k.Value, first)
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
				return c.errorf(m, CodeYAMLSyntax, "merge key (<<) must refer to a mapping")
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
			return nil, c.errorf(n, CodeFieldType, "%s", trimYAMLPrefix(err.Error()))
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
		return nil, c.errorf(n, CodeFieldType, "integer %s is out of range", n.Value)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, c.errorf(n, CodeFieldType, "%s", trimYAMLPrefix(err.Error()))
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, c.errorf(n, CodeFieldType, "%s is not a finite number", n.Value)
		}
		return f, nil
	default:
		// Strings, timestamps, binary and custom tags keep their text, as
		// a JSON string.
		return n.Value, nil
	}
}

func (c *converter) errorf(n *yaml.Node, code, format string, args ...any) *Error {
	return &Error{Code: code, File: c.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}
