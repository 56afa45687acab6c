package apply

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// desired returns what tabby applies for a rendered object: the object in
// unstructured form, without status; for a Calico Node, the Kubernetes Node
// of the same name carrying the Node's labels and BGP annotations.
func desired(o *manifest.Object) (*unstructured.Unstructured, error) {
	if n, ok := o.Object.(*v3.Node); ok {
		return nodePatch(n), nil
	}
	m, err := toMap(o.Object)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", o.ID(), err)
	}
	delete(m, "status")
	u := &unstructured.Unstructured{Object: m}
	u.SetGroupVersionKind(o.Kind.GroupVersionKind)
	if ann := u.GetAnnotations(); hasKey(ann, v1alpha1.OwnerAnnotation) {
		delete(ann, v1alpha1.OwnerAnnotation) // tabby's to set: mark
		u.SetAnnotations(ann)
	}
	return u, nil
}

// mark sets the ownership marker on an object to apply.
func mark(u *unstructured.Unstructured, owner string) {
	ann := u.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[v1alpha1.OwnerAnnotation] = owner
	u.SetAnnotations(ann)
}

// nodePatch is the part of a Kubernetes Node a Calico Node sets: labels and
// the BGP annotations.
func nodePatch(n *v3.Node) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(api.KubernetesNode)
	u.SetName(n.Name)
	if len(n.Labels) > 0 {
		u.SetLabels(n.Labels)
	}
	if ann := n.BGPAnnotations(); len(ann) > 0 {
		u.SetAnnotations(ann)
	}
	return u
}

// toMap encodes an object as the generic JSON form the API machinery
// handles: integers as int64, other numbers as float64, and no empty
// creationTimestamp.
func toMap(obj any) (map[string]any, error) {
	m, err := manifest.CanonicalMap(obj)
	if err != nil {
		return nil, err
	}
	return fromNumbers(m).(map[string]any), nil
}

// fromNumbers replaces json.Numbers by int64 or float64.
func fromNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = fromNumbers(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = fromNumbers(x)
		}
		return v
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	}
	return v
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
