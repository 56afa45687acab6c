package render

import (
	"path"

	yaml "go.yaml.in/yaml/v3"
)

// localConfigAnnotation marks objects kustomize leaves out of its output.
const localConfigAnnotation = "config.kubernetes.io/local-config"

// plainFields are the only fields of a plain kustomization: one that lists
// resources and does nothing to them.
var plainFields = map[string]bool{"apiVersion": true, "kind": true, "resources": true, "bases": true}

// isPlain reports whether the kustomization in dir, and every kustomization
// it includes, only lists resources. Building such a kustomization is
// reading its files, which render does directly: kustomize's resource map
// costs time quadratic in the number of objects (minutes at 10,000).
func (r *renderer) isPlain(dir string, seen map[string]bool) bool {
	if seen[dir] {
		return true
	}
	seen[dir] = true
	file, ok := r.snap.kustomization(dir)
	if !ok {
		return false
	}
	docs, err := parseDocuments(file, r.snap.files[file])
	if err != nil || len(docs) != 1 || docs[0].node.Kind != yaml.MappingNode {
		return false
	}
	root := docs[0].node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if !plainFields[root.Content[i].Value] {
			return false
		}
	}
	for _, list := range []string{"resources", "bases"} {
		for _, ref := range r.refs(dir, list) {
			if r.snap.isFile(ref) {
				continue
			}
			if !r.isPlain(ref, seen) {
				return false
			}
		}
	}
	return true
}

// refs returns the entries of a list field of the kustomization in dir, as
// paths relative to the repository root.
func (r *renderer) refs(dir, field string) []string {
	file, _ := r.snap.kustomization(dir)
	docs, err := parseDocuments(file, r.snap.files[file])
	if err != nil || len(docs) == 0 {
		return nil
	}
	list := valueAt(docs[0].node, field)
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, n := range list.Content {
		out = append(out, path.Clean(path.Join(dir, n.Value)))
	}
	return out
}

// plainBuild renders a plain kustomization: the files it lists, and the
// plain kustomizations it includes, each once.
func (r *renderer) plainBuild(dir string, seen map[string]bool) []*Object {
	if seen[dir] {
		return nil
	}
	seen[dir] = true
	var objs []*Object
	for _, list := range []string{"resources", "bases"} {
		for _, ref := range r.refs(dir, list) {
			if r.snap.isFile(ref) {
				for _, o := range r.file(ref) {
					if o.Object.GetAnnotations()[localConfigAnnotation] != "true" {
						objs = append(objs, o)
					}
				}
				continue
			}
			objs = append(objs, r.plainBuild(ref, seen)...)
		}
	}
	return objs
}
