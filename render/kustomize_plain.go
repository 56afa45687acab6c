package render

import (
	"path"
	"reflect"

	"sigs.k8s.io/kustomize/api/types"
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
	kust := r.plainKustomization(dir)
	if kust == nil {
		return false
	}
	for _, ref := range refsOf(dir, kust) {
		if _, isFile := r.snap.files[ref]; isFile {
			continue
		}
		if !r.isPlain(ref, seen) {
			return false
		}
	}
	return true
}

// plainKustomization returns the kustomization in dir if it is a
// Kustomization that has resources and nothing else, or nil.
func (r *renderer) plainKustomization(dir string) *types.Kustomization {
	file, ok := r.snap.kustomization(dir)
	if !ok {
		return nil
	}
	kust, err := decodeKustomization(r.snap.files[file])
	if err != nil || kust.Kind != types.KustomizationKind || kust.APIVersion != types.KustomizationVersion {
		return nil
	}
	if !reflect.DeepEqual(*kust, types.Kustomization{TypeMeta: kust.TypeMeta, Resources: kust.Resources}) {
		return nil
	}
	return kust
}

// refsOf returns the resources of the kustomization in dir, as paths
// relative to the repository root.
func refsOf(dir string, kust *types.Kustomization) []string {
	out := make([]string, 0, len(kust.Resources))
	for _, ref := range kust.Resources {
		out = append(out, path.Clean(path.Join(dir, ref)))
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
	kust := r.plainKustomization(dir)
	if kust == nil {
		return nil
	}
	var objs []*Object
	for _, ref := range refsOf(dir, kust) {
		if _, isFile := r.snap.files[ref]; isFile {
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
