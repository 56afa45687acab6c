package render

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// documentAnnotation names, on each object of a resource file kustomize
// reads, the file and the document it was written in: "file#doc", or
// "file#doc/item" for an item of a List. kustomize's origin annotation names
// the file only, and its name transformers (namePrefix, a patch renaming an
// object) leave nothing to match the object with its document; this does.
// It never reaches a Bundle: the decoder removes it from every object,
// whoever wrote it.
const documentAnnotation = "internal.tabby.dev/document"

// tagDocuments returns the content of the resource file file with every
// object annotated with documentAnnotation, or data itself when it does not
// parse (kustomize then says why), copied. A document that is not an object, or
// whose metadata or annotations are not mappings, is left as written, for
// kustomize to judge.
func tagDocuments(file string, data []byte) []byte {
	docs, perr := parseDocuments(file, data)
	if perr != nil {
		return append([]byte(nil), data...)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	for _, d := range docs {
		if items := valueAt(d.node, "items"); items != nil && items.Kind == yaml.SequenceNode &&
			strings.HasSuffix(scalarAt(d.node, "kind"), "List") {
			for i, item := range items.Content {
				tag(item, fmt.Sprintf("%s#%d/%d", file, d.index, i))
			}
		} else {
			tag(d.node, fmt.Sprintf("%s#%d", file, d.index))
		}
		if err := enc.Encode(d.node); err != nil {
			return append([]byte(nil), data...)
		}
	}
	if err := enc.Close(); err != nil {
		return append([]byte(nil), data...)
	}
	return buf.Bytes()
}

// tag sets documentAnnotation on the object n, if it is one.
func tag(n *yaml.Node, value string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	meta := valueAt(n, "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return
	}
	ann := valueAt(meta, "annotations")
	if ann == nil {
		ann = &yaml.Node{Kind: yaml.MappingNode}
		meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "annotations"}, ann)
	}
	if ann.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(ann.Content); i += 2 {
		if ann.Content[i].Value == documentAnnotation {
			ann.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Value: value, Style: yaml.DoubleQuotedStyle}
			return
		}
	}
	ann.Content = append(ann.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Value: documentAnnotation},
		&yaml.Node{Kind: yaml.ScalarNode, Value: value, Style: yaml.DoubleQuotedStyle})
}

// taggedDocument parses a documentAnnotation: the file, the document's
// index in it, and the item's in a List, or -1.
func taggedDocument(value string) (file string, doc, item int, ok bool) {
	i := strings.LastIndexByte(value, '#')
	if i < 0 {
		return "", 0, 0, false
	}
	file, pos := value[:i], value[i+1:]
	item = -1
	if d, it, isItem := strings.Cut(pos, "/"); isItem {
		n, err := strconv.Atoi(it)
		if err != nil {
			return "", 0, 0, false
		}
		pos, item = d, n
	}
	doc, err := strconv.Atoi(pos)
	if err != nil {
		return "", 0, 0, false
	}
	return file, doc, item, true
}
