package render

import (
	"fmt"
	"sort"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/tabbynet/tabby/api"
)

// TypedObject is an object of a kind tabby reads: a typed Go value for the
// kinds it manages, an *unstructured.Unstructured for kinds merely allowed.
type TypedObject interface {
	metav1.Object
	runtime.Object
}

// Object is one rendered object and where it came from.
type Object struct {
	// Kind says what the object is and how it is applied.
	Kind api.Kind
	// Object is the typed, defaulted object.
	Object TypedObject
	// Source is where the object is defined.
	Source Source
	// NamespaceDefaulted is true when the object is namespaced and neither
	// its manifest nor a kustomization named its namespace: render put it
	// in namespace default, as kubectl apply would.
	NamespaceDefaulted bool
}

// ID returns "group/Kind namespace/name", unique within a Bundle.
func (o *Object) ID() string {
	return ObjectID(o.Kind.Group, o.Kind.Kind, o.Object.GetNamespace(), o.Object.GetName())
}

// ObjectID formats the identity of an object as "group/Kind namespace/name",
// or "group/Kind name" for a cluster-scoped object. The core group is "".
func ObjectID(group, kind, namespace, name string) string {
	gk := kind
	if group != "" {
		gk = group + "/" + kind
	}
	if namespace == "" {
		return gk + " " + name
	}
	return gk + " " + namespace + "/" + name
}

// Source locates an object in a repository.
type Source struct {
	// File is the slash path of the file, relative to the repository root.
	File string `json:"file"`
	// Line is the line of the object's first field.
	Line int `json:"line"`
	// Doc is the position of the object's document in the file.
	Doc int `json:"-"`
	// Item is the position of the object in a List document, or -1.
	Item int `json:"-"`
}

func (s Source) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Position is a place in a file.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Bundle is the rendered content of a repository path: objects sorted in
// apply order, then by group, kind, namespace and name.
type Bundle struct {
	Objects []*Object

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
func (b *Bundle) Locate(o *Object, field string) Position {
	pos := Position{File: o.Source.File, Line: o.Source.Line}
	root := b.root(o.Source)
	if root == nil {
		return pos
	}
	path, ok := ParseFieldPath(field)
	if !ok {
		return pos
	}
	n := locate(root, path)
	return Position{File: o.Source.File, Line: n.Line, Column: n.Column}
}

// root returns the YAML node of the object at src, parsing its file once.
func (b *Bundle) root(src Source) *yaml.Node {
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
		items := locate(d.node, FieldPath{"items", src.Item})
		if items != d.node {
			return items
		}
	}
	return nil
}

// sortObjects orders objects for applying: by kind phase, then group, kind,
// namespace and name.
func sortObjects(objs []*Object) {
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
func (b *Bundle) Applied() []*Object {
	var out []*Object
	for _, o := range b.Objects {
		if o.Kind.Applied {
			out = append(out, o)
		}
	}
	return out
}
