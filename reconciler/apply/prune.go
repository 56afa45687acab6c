package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// Release is an inventory object a prune left in place, because it is not
// this NetworkSync's any more.
type Release struct {
	Object inventory.ObjMeta
	// Owner describes who owns it: "NetworkSync <namespace>/<name>", or
	// its field managers.
	Owner string
}

// Prune removes the given inventory objects, which are gone from Git:
// later phases first (policies before the tiers they name). Each is read
// from the API server, not the cache, and deleted only when it is this
// NetworkSync's: its marker names it, or, for an object applied before
// markers existed, it has no marker, the legacy field manager is its only
// Apply manager and no other NetworkSync's inventory lists it. The delete
// carries the UID and resourceVersion read as preconditions, so that a
// change made in between (another NetworkSync adopting the object) makes
// it fail rather than delete someone else's object. Any other object is
// released: it leaves the inventory and stays. A Calico Node is not
// deleted: this NetworkSync's labels, annotations and marker are removed
// from its Kubernetes Node by applying nothing as its field manager. An
// object already gone counts as pruned. It returns the objects pruned, the
// objects released, and every failure; the caller keeps failed objects in
// its inventory, to retry.
func (m *Manager) Prune(ctx context.Context, stale []inventory.ObjMeta) ([]inventory.ObjMeta, []Release, error) {
	sorted := append([]inventory.ObjMeta(nil), stale...)
	sort.SliceStable(sorted, func(i, j int) bool { return phaseOf(sorted[i]) > phaseOf(sorted[j]) })
	var (
		pruned   []inventory.ObjMeta
		released []Release
		errs     []error
	)
	for _, o := range sorted {
		owner, err := m.prune(ctx, o)
		switch {
		case err != nil:
			errs = append(errs, &ObjectError{Object: o.String(), Err: err})
		case owner != "":
			released = append(released, Release{Object: o, Owner: owner})
		default:
			pruned = append(pruned, o)
		}
	}
	return pruned, released, errors.Join(errs...)
}

func phaseOf(o inventory.ObjMeta) int {
	k, _ := o.LookupKind()
	return k.Phase
}

// prune deletes or releases one object. It returns who owns the object
// when it is left in place, "" when it is gone.
func (m *Manager) prune(ctx context.Context, o inventory.ObjMeta) (string, error) {
	live := &unstructured.Unstructured{}
	live.SetGroupVersionKind(o.GroupVersionKind) // a kind this release does not know, too
	kind, known := api.LookupKind(o.GroupVersionKind)
	if known {
		live.SetGroupVersionKind(kind.Stored())
	}
	node := kind.OnKubernetesNode()
	if err := m.APIReader.Get(ctx, client.ObjectKey{Namespace: o.Namespace, Name: o.Name}, live); err != nil {
		if apierrors.IsNotFound(err) {
			return "", nil
		}
		return "", fmt.Errorf("get from the API server: %w", err)
	}
	manager, owner, err := m.pruneAs(ctx, o, live, node)
	if err != nil || owner != "" {
		return owner, err
	}
	if node {
		return "", m.releaseNode(ctx, live, manager)
	}
	uid, rv := live.GetUID(), live.GetResourceVersion()
	err = m.Client.Delete(ctx, live, client.PropagationPolicy(metav1.DeletePropagationBackground),
		client.Preconditions{UID: &uid, ResourceVersion: &rv})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	return "", err
}

// pruneAs decides whether a live object of the inventory is this
// NetworkSync's to prune, and under which field manager: its own, or the
// legacy one for an object applied before markers existed. Otherwise it
// describes the owner.
func (m *Manager) pruneAs(ctx context.Context, o inventory.ObjMeta, live *unstructured.Unstructured, node bool) (manager, owner string, err error) {
	switch marker := live.GetAnnotations()[v1alpha1.OwnerAnnotation]; {
	case marker == m.marker():
		return m.fieldManager(), "", nil
	case marker != "":
		return "", m.describeSync(ctx, marker), nil
	}
	other, err := m.listedElsewhere(ctx, o.ID())
	if err != nil || other != "" {
		return "", other, err
	}
	if !legacyApplied(live.GetManagedFields(), node) {
		return "", describeManagers(live.GetManagedFields()), nil
	}
	return v1alpha1.LegacyFieldManager, "", nil
}

// legacyApplied reports whether an object without marker was applied by
// tabby before markers existed: the legacy field manager applied it, and
// no other manager did. On a Kubernetes Node, which others apply too, the
// legacy manager's entry is enough: releasing removes only its fields.
func legacyApplied(managed []metav1.ManagedFieldsEntry, node bool) bool {
	legacy := false
	for _, e := range managed {
		if e.Operation != metav1.ManagedFieldsOperationApply || e.Subresource != "" {
			continue
		}
		if e.Manager != v1alpha1.LegacyFieldManager {
			if !node {
				return false
			}
			continue
		}
		legacy = true
	}
	return legacy
}

// releaseNode removes the fields a field manager set on a Kubernetes Node,
// the ownership marker with them, by applying nothing under it, over the
// resourceVersion read.
func (m *Manager) releaseNode(ctx context.Context, live *unstructured.Unstructured, manager string) error {
	empty := &unstructured.Unstructured{}
	empty.SetGroupVersionKind(api.KubernetesNode)
	empty.SetName(live.GetName())
	empty.SetResourceVersion(live.GetResourceVersion())
	return m.Client.Apply(ctx, client.ApplyConfigurationFromUnstructured(empty), client.FieldOwner(manager), client.ForceOwnership)
}
