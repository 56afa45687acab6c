package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const originAnnotation = "config.kubernetes.io/origin"

// kustomizeBuild builds the kustomization in dir on an in-memory copy of the
// repository, after checking that everything it refers to is a local path
// inside the repository.
func (r *renderer) kustomizeBuild(dir string) []*Object {
	kfile, _ := r.snap.kustomization(dir)
	check := kustomizeCheck{snap: r.snap, visited: map[string]bool{}}
	check.dir(dir)
	if len(check.errs) > 0 {
		r.dec.errs = append(r.dec.errs, check.errs...)
		return nil
	}
	if !r.alwaysKustomize && r.isPlain(dir, map[string]bool{}) {
		return r.plainBuild(dir, map[string]bool{})
	}
	fsys, err := r.memFS()
	if err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: err.Error()})
		return nil
	}
	for file, checked := range check.checked { // kustomize reads only what the check read, as it rewrote it
		if err := fsys.WriteFile("/"+file, checked); err != nil {
			r.dec.errs = append(r.dec.errs, &Error{File: file, Msg: err.Error()})
			return nil
		}
	}
	withOrigins, err := addOriginAnnotations(check.checked[kfile])
	if err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: err.Error()})
		return nil
	}
	if err := fsys.WriteFile("/"+kfile, withOrigins); err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: err.Error()})
		return nil
	}
	defer fsys.WriteFile("/"+kfile, check.checked[kfile]) //nolint:errcheck // restoring an in-memory file

	opts := krusty.MakeDefaultOptions() // plugins off, files confined to each kustomization's root
	resMap, err := krusty.MakeKustomizer(opts).Run(fsys, path.Join("/", dir))
	if err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: "kustomize build: " + strings.TrimPrefix(err.Error(), "accumulating resources: ")})
		return nil
	}
	var objs []*Object
	for _, res := range resMap.Resources() {
		if obj := r.kustomizeResource(dir, kfile, res); obj != nil {
			objs = append(objs, obj)
		}
	}
	return objs
}

// kustomizeResource decodes one object of a kustomize build, located in the
// file it came from.
func (r *renderer) kustomizeResource(dir, kfile string, res *resource.Resource) *Object {
	data, err := res.MarshalJSON()
	if err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: err.Error()})
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		r.dec.errs = append(r.dec.errs, &Error{File: kfile, Msg: err.Error()})
		return nil
	}
	o := origin{src: Source{File: kfile, Line: 1, Item: -1}}
	if m, ok := v.(map[string]any); ok {
		if meta, ok := m["metadata"].(map[string]any); ok {
			if ann, ok := meta["annotations"].(map[string]any); ok {
				if from, ok := ann[originAnnotation].(string); ok {
					o = r.originOf(dir, from, res)
				}
				delete(ann, originAnnotation)
				if len(ann) == 0 {
					delete(meta, "annotations")
				}
			}
		}
	}
	return r.dec.object(v, o)
}

// originOf finds where a built object was written, from its origin
// annotation and its original kind and name.
func (r *renderer) originOf(dir, annotation string, res *resource.Resource) origin {
	var from resource.Origin
	fallback := origin{src: Source{File: r.kfile(dir), Line: 1, Item: -1}}
	if err := yaml.Unmarshal([]byte(annotation), &from); err != nil || from.Path == "" || from.Repo != "" {
		return fallback
	}
	file := path.Clean(path.Join(dir, from.Path))
	docs := r.documents(file)
	if len(docs) == 0 {
		return origin{src: Source{File: file, Line: 1, Item: -1}}
	}
	id := res.OrgId()
	for _, d := range docs {
		if scalarAt(d.node, "kind") == id.Kind && scalarAt(d.node, "metadata", "name") == id.Name {
			return origin{src: Source{File: file, Line: d.line(), Doc: d.index, Item: d.item}, root: d.node}
		}
	}
	d := docs[0]
	return origin{src: Source{File: file, Line: d.line(), Doc: d.index, Item: d.item}, root: d.node}
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
	docs, _ := parseDocuments(file, r.snap.files[file])
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

// memFS copies the snapshot into kustomize's in-memory filesystem, once.
func (r *renderer) memFS() (filesys.FileSystem, error) {
	if r.fsys != nil {
		return r.fsys, nil
	}
	fsys := filesys.MakeFsInMemory()
	for _, name := range r.snap.under(".") {
		if err := fsys.WriteFile("/"+name, r.snap.files[name]); err != nil {
			return nil, fmt.Errorf("copy %s: %w", name, err)
		}
	}
	r.fsys = fsys
	return fsys, nil
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
