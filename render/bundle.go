package render

import (
	"sort"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/tabbynet/tabby/manifest"
)

// Bundle is the rendered content of a repository path: objects sorted in
// apply order, then by group, kind, namespace and name.
type Bundle struct {
	Objects []*manifest.Object

	// files holds the source files, so that Locate can find fields in them
	// on demand rather than keeping every YAML node in memory.
	files  map[string][]byte
	mu     sync.Mutex
	parsed map[string][]document
}

// Locate returns the position of a field of o in its source file, such as
// spec.peerIP or spec.ingress[0].action. When the field is not written in
// the file (a default, or a value a kustomize patch set), it returns the
// position of the nearest enclosing field that is.
func (b *Bundle) Locate(o *manifest.Object, field string) manifest.Position {
	pos := manifest.Position{File: o.Source.File, Line: o.Source.Line}
	root := b.root(o.Source)
	if root == nil {
		return pos
	}
	path, ok := manifest.ParseFieldPath(field)
	if !ok {
		return pos
	}
	n := locate(root, path)
	return manifest.Position{File: o.Source.File, Line: n.Line, Column: n.Column}
}

// root returns the YAML node of the object at src, parsing its file once.
func (b *Bundle) root(src manifest.Source) *yaml.Node {
	b.mu.Lock()
	defer b.mu.Unlock()
	docs, ok := b.parsed[src.File]
	if !ok {
		data, found := b.files[src.File]
		if !found {
			return nil
		}
		docs, _ = parseDocuments(src.File, data)
		if b.parsed == nil {
			b.parsed = make(map[string][]document)
		}
		b.parsed[src.File] = docs
	}
	for _, d := range docs {
		if d.index != src.Doc {
			continue
		}
		if src.Item < 0 {
			return d.node
		}
		items := locate(d.node, manifest.FieldPath{"items", src.Item})
		if items != d.node {
			return items
		}
	}
	return nil
}

// sortObjects orders objects for applying: by kind phase, then group, kind,
// namespace and name.
func sortObjects(objs []*manifest.Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		if a.Kind.Phase != b.Kind.Phase {
			return a.Kind.Phase < b.Kind.Phase
		}
		if a.Kind.Group != b.Kind.Group {
			return a.Kind.Group < b.Kind.Group
		}
		if a.Kind.Kind != b.Kind.Kind {
			return a.Kind.Kind < b.Kind.Kind
		}
		if a.Object.GetNamespace() != b.Object.GetNamespace() {
			return a.Object.GetNamespace() < b.Object.GetNamespace()
		}
		return a.Object.GetName() < b.Object.GetName()
	})
}

// Applied returns the objects of the Bundle that are applied to a cluster,
// in apply order: all but those only checked offline (ConnectivityTests,
// Inventories).
func (b *Bundle) Applied() []*manifest.Object {
	var out []*manifest.Object
	for _, o := range b.Objects {
		if o.Kind.Applied {
			out = append(out, o)
		}
	}
	return out
}
