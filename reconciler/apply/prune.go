package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Prune removes the given inventory objects, which are gone from Git:
// later phases first (policies before the tiers they name). A Calico Node
// is not deleted: tabby's labels and annotations are removed from its
// Kubernetes Node by applying nothing as tabby's field manager. An object
// already gone counts as pruned. It returns the objects pruned and every
// failure; the caller keeps failed objects in its inventory, to retry.
func (m *Manager) Prune(ctx context.Context, stale []ObjMeta) ([]ObjMeta, error) {
	sorted := append([]ObjMeta(nil), stale...)
	sort.SliceStable(sorted, func(i, j int) bool { return phaseOf(sorted[i]) > phaseOf(sorted[j]) })
	var (
		pruned []ObjMeta
		errs   []error
	)
	for _, o := range sorted {
		if err := m.prune(ctx, o); err != nil {
			errs = append(errs, &ObjectError{Object: o.String(), Err: err})
			continue
		}
		pruned = append(pruned, o)
	}
	return pruned, errors.Join(errs...)
}

func phaseOf(o ObjMeta) int {
	k, _ := kindOf(o)
	return k.Phase
}

func (m *Manager) prune(ctx context.Context, o ObjMeta) error {
	if o.Kind == "Node" && o.Group == "projectcalico.org" {
		return m.releaseNode(ctx, o.Name)
	}
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(o.GroupVersionKind)
	u.SetNamespace(o.Namespace)
	u.SetName(o.Name)
	err := m.Client.Delete(ctx, u, client.PropagationPolicy("Background"))
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// releaseNode removes the fields tabby set on a Kubernetes Node.
func (m *Manager) releaseNode(ctx context.Context, name string) error {
	live := &unstructured.Unstructured{}
	live.SetAPIVersion("v1")
	live.SetKind("Node")
	if err := m.Reader.Get(ctx, client.ObjectKey{Name: name}, live); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("get: %w", err)
	}
	empty := &unstructured.Unstructured{}
	empty.SetAPIVersion("v1")
	empty.SetKind("Node")
	empty.SetName(name)
	empty.SetResourceVersion(live.GetResourceVersion())
	return m.Client.Apply(ctx, client.ApplyConfigurationFromUnstructured(empty), client.FieldOwner(FieldOwner), client.ForceOwnership)
}
