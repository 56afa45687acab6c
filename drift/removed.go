package drift

import (
	"encoding/json"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// Removed returns the fields live holds that self's own field managers
// (Own) applied and want no longer sets, sorted by path: a field a
// revision dropped, which the next server-side apply removes, since the
// manager that owns it no longer sends it. Both objects are in canonical
// form; managed is live's managedFields.
//
// Only server-side apply entries count: a field self wrote otherwise is
// not a revision's. A field inside a list element counts as its list,
// which Missing compares whole. The ownership marker
// (v1alpha1.OwnerAnnotation), which tabby sets and no revision holds,
// never counts. Of a Calico Node (node), whose managedFields are its
// Kubernetes Node's, labels count as they are and BGP annotations as the
// spec.bgp fields they hold; the rest is not the Calico Node's.
func Removed(want, live map[string]any, managed []metav1.ManagedFieldsEntry, self string, node bool) []Field {
	seen := map[string]bool{}
	var out []Field
	for _, e := range managed {
		if !Own(e.Manager, self) || e.Operation != metav1.ManagedFieldsOperationApply || e.Subresource != "" || e.FieldsV1 == nil {
			continue
		}
		var set map[string]any
		if json.Unmarshal(e.FieldsV1.GetRawBytes(), &set) != nil {
			continue
		}
		var owned []manifest.FieldPath
		appliedPaths(set, nil, &owned)
		for _, p := range owned {
			if node {
				var ok bool
				if p, ok = calicoNodePath(p); !ok {
					continue
				}
			}
			if isMarker(p) {
				continue
			}
			if _, ok := lookup(want, p); ok {
				continue
			}
			v, ok := lookup(live, p)
			if s := p.String(); ok && !seen[s] {
				seen[s] = true
				out = append(out, Field{Path: s, Live: v})
			}
		}
	}
	slices.SortFunc(out, func(a, b Field) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// appliedPaths appends to out the paths of the values a managed field set
// (FieldsV1) holds under at: its leaves, values owned whole and lists
// whose elements it names.
func appliedPaths(set map[string]any, at manifest.FieldPath, out *[]manifest.FieldPath) {
	for k, v := range set {
		name, isField := strings.CutPrefix(k, "f:")
		switch {
		case k == ".":
			continue
		case !isField: // an element of the list at at ("k:", "v:", "i:")
			if len(at) > 0 {
				*out = append(*out, at)
			}
			return
		}
		p := at.Key(name)
		children, _ := v.(map[string]any)
		if len(children) == 0 || len(children) == 1 && children["."] != nil {
			*out = append(*out, p)
			continue
		}
		appliedPaths(children, p, out)
	}
}

// calicoNodePath returns the path of a Calico Node's field that holds the
// Kubernetes Node's field at p, and false for fields no Calico Node holds.
func calicoNodePath(p manifest.FieldPath) (manifest.FieldPath, bool) {
	if len(p) != 3 || p[0] != "metadata" {
		return nil, false
	}
	switch p[1] {
	case "labels":
		return p, true
	case "annotations":
		for _, a := range nodeAnnotations {
			if p[2] == a.key {
				return manifest.FieldPath{"spec", "bgp", a.field}, true
			}
		}
	}
	return nil, false
}

func isMarker(p manifest.FieldPath) bool {
	return len(p) == 3 && p[0] == "metadata" && p[1] == "annotations" && p[2] == v1alpha1.OwnerAnnotation
}

// lookup returns the value at p in a canonical object.
func lookup(v any, p manifest.FieldPath) (any, bool) {
	for _, e := range p {
		switch e := e.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[e]; !ok {
				return nil, false
			}
		case int:
			l, ok := v.([]any)
			if !ok || e < 0 || e >= len(l) {
				return nil, false
			}
			v = l[e]
		default:
			return nil, false
		}
	}
	return v, true
}
