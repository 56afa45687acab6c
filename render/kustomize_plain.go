package render

import (
	"path"
	"reflect"

	"sigs.k8s.io/kustomize/api/types"

	"github.com/tabbynet/tabby/manifest"
)

// localConfigAnnotation marks objects kustomize leaves out of its output.
const localConfigAnnotation = "config.kubernetes.io/local-config"

// isPlain reports whether the kustomization in dir, and every kustomization
// it includes, only lists resources. Building such a kustomization is
// reading its files, which render does directly: kustomize's resource map
// costs time quadratic in the number of objects (minutes at 10,000).
//
// The kustomization is read as kustomize reads it (decodeKustomization), so
// that the shortcut lists the resources kustomize would.
func (r *renderer) isPlain(dir string, seen map[string]bool) bool {
	if seen[dir] {
		return true
	}
	seen[dir] = true
	refs, ok := r.plainKustomization(dir)
	if !ok {
		return false
	}
	for _, ref := range refs {
		if r.snap.isFile(ref) {
			continue
		}
		if !r.isPlain(ref, seen) {
			return false
		}
	}
	return true
}

// plainKustomization returns the resources of the kustomization in dir,
// as paths relative to the repository root, if it is a Kustomization that
// has resources and nothing else; ok is false otherwise. Each resource is
// relative to the kustomization's real directory, as on disk.
func (r *renderer) plainKustomization(dir string) (refs []string, ok bool) {
	file, ok := r.snap.kustomization(dir)
	if !ok {
		return nil, false
	}
	kust, err := decodeKustomization(r.snap.files[file])
	if err != nil || kust.Kind != types.KustomizationKind || kust.APIVersion != types.KustomizationVersion {
		return nil, false
	}
	if !reflect.DeepEqual(*kust, types.Kustomization{TypeMeta: kust.TypeMeta, Resources: kust.Resources}) {
		return nil, false
	}
	refs = make([]string, 0, len(kust.Resources))
	for _, ref := range kust.Resources {
		refs = append(refs, path.Clean(path.Join(path.Dir(file), ref)))
	}
	return refs, true
}

// plainBuild renders a plain kustomization: the files it lists, and the
// plain kustomizations it includes, each once.
func (r *renderer) plainBuild(dir string, seen map[string]bool) []*manifest.Object {
	if seen[dir] {
		return nil
	}
	seen[dir] = true
	refs, ok := r.plainKustomization(dir)
	if !ok {
		return nil
	}
	var objs []*manifest.Object
	for _, ref := range refs {
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
	return objs
}
