package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/resid"

	"github.com/tabbynet/tabby/manifest"
)

const originAnnotation = "config.kubernetes.io/origin"

// kustomizeBuild builds the kustomization in the real directory dir as a
// unit, and records which kustomization built each object.
func (r *renderer) kustomizeBuild(dir string) []*manifest.Object {
	objs := r.buildKustomization(dir)
	kfile := r.kfile(dir)
	for _, o := range objs {
		r.builtBy[o] = kfile
	}
	return objs
}

// buildKustomization builds the kustomization in the real directory dir,
// after checking that everything it refers to is a local path inside the
// repository. kustomize reads the repository through kustomizeFS: only the
// files the build uses.
func (r *renderer) buildKustomization(dir string) []*manifest.Object {
	kfile, _ := r.snap.kustomization(dir)
	if _, rerr := r.snap.file(kfile); rerr != nil {
		r.report(rerr)
		return nil
	}
	if r.snap.stopped() {
		return nil
	}
	check := kustomizeCheck{snap: r.snap, visited: map[string]bool{}}
	check.dir(dir)
	if r.snap.stopped() {
		return nil
	}
	if len(check.errs) > 0 {
		r.report(check.errs...)
		return nil
	}
	if !r.alwaysKustomize && r.isPlain(dir, map[string]bool{}) && r.plainConfined(dir, map[string]bool{}) {
		return r.plainBuild(dir, map[string]bool{})
	}
	withOrigins, err := addOriginAnnotations(check.checked[kfile])
	if err != nil {
		r.report(&Error{Code: CodeKustomizationInvalid, File: kfile, Msg: err.Error()})
		return nil
	}
	fsys := r.kustomizeFS()
	// kustomize reads the kustomizations as the check rewrote them, every
	// path "./"-prefixed, so that none can be taken for a remote one.
	for file, checked := range check.checked {
		fsys.written[file] = checked
	}
	fsys.written[kfile] = withOrigins
	fsys.resources = check.resources
	defer func() {
		for file := range check.checked {
			delete(fsys.written, file)
		}
		fsys.resources = nil
	}()
	fsys.errs = nil

	resMap, err := runKustomize(fsys, dir)
	switch {
	case r.snap.stopped():
		return nil
	case err != nil && len(fsys.errs) > 0:
		r.report(fsys.errs...) // located in the file kustomize could not read
		return nil
	case err != nil:
		r.report(&Error{Code: CodeKustomizeBuild, File: kfile, Msg: "kustomize build: " + strings.TrimPrefix(err.Error(), "accumulating resources: ")})
		return nil
	}
	var objs []*manifest.Object
	for _, res := range resMap.Resources() {
		if obj := r.kustomizeResource(dir, kfile, res); obj != nil {
			objs = append(objs, obj)
		}
	}
	return objs
}

// plainConfined reports whether every file the plain kustomization in dir,
// and those it includes, lists is in or below the directory of the
// kustomization listing it once symlinks are followed, as kustomize's
// loader requires. When one is not, kustomize builds the kustomization, and
// refuses it as it would on disk.
func (r *renderer) plainConfined(dir string, seen map[string]bool) bool {
	if seen[dir] {
		return true
	}
	seen[dir] = true
	root, err := r.snap.lookup(dir)
	if err != nil {
		return false
	}
	refs, ok := r.plainKustomization(dir)
	if !ok {
		return false
	}
	for _, ref := range refs {
		n, err := r.snap.lookup(ref)
		switch {
		case err != nil:
			return false
		case n.kind == kindFile:
			if root.path != "." && !strings.HasPrefix(n.path, root.path+"/") {
				return false
			}
		case !r.plainConfined(ref, seen):
			return false
		}
	}
	return true
}

// runKustomize builds the kustomization in dir. kustomize is not written
// for hostile input: a panic in it is the build's error, not the process's
// end.
func runKustomize(fsys *kustomizeFS, dir string) (m resmap.ResMap, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("kustomize failed on this input: %v", p)
		}
	}()
	opts := krusty.MakeDefaultOptions() // plugins off, files confined to each kustomization's root
	return krusty.MakeKustomizer(opts).Run(fsys, path.Join("/", dir))
}

// kustomizeResource decodes one object of a kustomize build, located in the
// file it came from.
func (r *renderer) kustomizeResource(dir, kfile string, res *resource.Resource) *manifest.Object {
	data, err := res.MarshalJSON()
	if err != nil {
		r.report(&Error{Code: CodeKustomizeBuild, File: kfile, Msg: err.Error()})
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		r.report(&Error{Code: CodeKustomizeBuild, File: kfile, Msg: err.Error()})
		return nil
	}
	o := origin{src: manifest.Source{File: kfile, Line: 1, Item: -1}}
	if m, ok := v.(map[string]any); ok {
		if meta, ok := m["metadata"].(map[string]any); ok {
			if ann, ok := meta["annotations"].(map[string]any); ok {
				doc, _ := ann[documentAnnotation].(string)
				if from, ok := ann[originAnnotation].(string); ok {
					o = r.originOf(dir, from, doc, res)
				}
				delete(ann, originAnnotation)
				delete(ann, documentAnnotation)
				if len(ann) == 0 {
					delete(meta, "annotations")
				}
			}
		}
	}
	return r.dec.object(v, o)
}

// originOf finds where a built object was written, from its origin
// annotation, which names the file, and its document annotation, which
// names the document (tagDocuments). An object without the latter (a patch
// removed it, keeping the origin) is matched by its kind and its name, as
// name prefixes and suffixes transformed it.
func (r *renderer) originOf(dir, annotation, doc string, res *resource.Resource) origin {
	var from resource.Origin
	fallback := origin{src: manifest.Source{File: r.kfile(dir), Line: 1, Item: -1}}
	if err := yaml.Unmarshal([]byte(annotation), &from); err != nil || from.Path == "" || from.Repo != "" {
		return fallback
	}
	file := path.Clean(path.Join(dir, from.Path))
	if n, err := r.snap.lookup(file); err == nil && n.kind == kindFile {
		file = n.path // the origin names the file as the kustomization did
	}
	docs := r.documents(file)
	if len(docs) == 0 {
		return origin{src: manifest.Source{File: file, Line: 1, Item: -1}}
	}
	d := docs[0]
	if tagged, index, item, ok := taggedDocument(doc); ok && tagged == file {
		if i := slices.IndexFunc(docs, func(d document) bool { return d.index == index && d.item == item }); i >= 0 {
			d = docs[i]
		}
	} else if i := matchDocument(docs, res.OrgId()); i >= 0 {
		d = docs[i]
	}
	return origin{src: manifest.Source{File: file, Line: d.line(), Doc: d.index, Item: d.item}, root: d.node}
}

// matchDocument returns the index of the document of docs that wrote the
// object id names, or -1: the one of its kind and name, or else the one of
// its kind whose name, prefixed and suffixed, is id's, the longest if
// several are.
func matchDocument(docs []document, id resid.ResId) int {
	best, bestLen := -1, 0
	for i, d := range docs {
		if scalarAt(d.node, "kind") != id.Kind {
			continue
		}
		name := scalarAt(d.node, "metadata", "name")
		if name == id.Name {
			return i
		}
		if name != "" && len(name) > bestLen && strings.Contains(id.Name, name) {
			best, bestLen = i, len(name)
		}
	}
	return best
}

func (r *renderer) kfile(dir string) string {
	f, _ := r.snap.kustomization(dir)
	return f
}

// documents returns the documents of a file, List items expanded, parsing
// the file once.
func (r *renderer) documents(file string) []document {
	if docs, ok := r.docs[file]; ok {
		return docs
	}
	data, _ := r.snap.file(file)
	docs, _ := parseDocuments(file, data)
	var out []document
	for _, d := range docs {
		if seq := valueAt(d.node, "items"); seq != nil && seq.Kind == yaml.SequenceNode &&
			strings.HasSuffix(scalarAt(d.node, "kind"), "List") {
			for i, item := range seq.Content {
				out = append(out, document{file: file, index: d.index, item: i, node: item})
			}
			continue
		}
		out = append(out, d)
	}
	r.docs[file] = out
	return out
}

// kustomizeFS returns the render's view of the repository for kustomize.
func (r *renderer) kustomizeFS() *kustomizeFS {
	if r.fsys == nil {
		r.fsys = &kustomizeFS{r: r, written: make(map[string][]byte)}
	}
	return r.fsys
}

// addOriginAnnotations adds originAnnotations to the buildMetadata of a
// kustomization, so that each built object names the file it came from.
func addOriginAnnotations(data []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("kustomization: %s", trimYAMLPrefix(err.Error()))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("kustomization is not a mapping")
	}
	root := doc.Content[0]
	meta := valueAt(root, "buildMetadata")
	if meta == nil {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode})
		meta = root.Content[len(root.Content)-1]
	}
	if meta.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("kustomization: buildMetadata is not a list")
	}
	for _, n := range meta.Content {
		if n.Value == "originAnnotations" {
			return yaml.Marshal(&doc)
		}
	}
	meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "originAnnotations"})
	return yaml.Marshal(&doc)
}

// valueAt returns the value node at a path of mapping keys, or nil.
func valueAt(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// scalarAt returns the scalar at a path of mapping keys, or "".
func scalarAt(n *yaml.Node, keys ...string) string {
	v := valueAt(n, keys...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}
