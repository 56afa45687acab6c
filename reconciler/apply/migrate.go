package apply

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// migrate hands the fields the legacy field manager owns on an object over
// to this NetworkSync's manager, before the object is applied under it.
// Server-side apply does not: applying under a new manager makes it share
// the fields with the legacy one, which keeps them, so that a field later
// removed from Git would stay on the object. As kubectl's upgrade from
// client-side apply does (k8s.io/client-go/util/csaupgrade, which converts
// Update entries, not Apply ones), it renames the legacy Apply entry of
// metadata.managedFields, joining it to the new manager's if there is one.
// The patch carries the resourceVersion Diff read, so that an object
// changed since is not migrated on stale ground. It returns the object's
// resourceVersion after the patch.
func (m *Manager) migrate(ctx context.Context, want *unstructured.Unstructured) (string, error) {
	live := &unstructured.Unstructured{}
	live.SetGroupVersionKind(want.GroupVersionKind())
	if err := m.APIReader.Get(ctx, client.ObjectKeyFromObject(want), live); err != nil {
		return "", fmt.Errorf("get from the API server: %w", err)
	}
	if rv := want.GetResourceVersion(); rv != "" && live.GetResourceVersion() != rv {
		return "", fmt.Errorf("the object changed since it was read (resourceVersion %s, now %s); the next sync retries", rv, live.GetResourceVersion())
	}
	if owner := live.GetAnnotations()[v1alpha1.OwnerAnnotation]; owner != "" && owner != m.marker() {
		return "", fmt.Errorf("NetworkSync %s owns the object now; the next sync reports it", owner)
	}
	managed, changed, err := renameManager(live.GetManagedFields(), v1alpha1.LegacyFieldManager, m.fieldManager())
	if err != nil || !changed {
		return live.GetResourceVersion(), err
	}
	patch, err := json.Marshal([]map[string]any{
		{"op": "replace", "path": "/metadata/managedFields", "value": managed},
		// "replace", not "test": a stale resourceVersion is a 409
		// conflict from storage, not an invalid patch.
		{"op": "replace", "path": "/metadata/resourceVersion", "value": live.GetResourceVersion()},
	})
	if err != nil {
		return "", err
	}
	if err := m.Client.Patch(ctx, live, client.RawPatch(types.JSONPatchType, patch), client.FieldOwner(m.fieldManager())); err != nil {
		return "", fmt.Errorf("patch managedFields: %w", err)
	}
	return live.GetResourceVersion(), nil
}

// renameManager returns managed fields with the Apply entry of manager from
// renamed to manager to, or joined to the Apply entry to already has. It
// reports whether anything changed.
func renameManager(managed []metav1.ManagedFieldsEntry, from, to string) ([]metav1.ManagedFieldsEntry, bool, error) {
	src, dst := -1, -1
	for i, e := range managed {
		if e.Operation != metav1.ManagedFieldsOperationApply || e.Subresource != "" {
			continue
		}
		switch e.Manager {
		case from:
			src = i
		case to:
			dst = i
		}
	}
	if src < 0 {
		return managed, false, nil
	}
	out := make([]metav1.ManagedFieldsEntry, 0, len(managed))
	for i, e := range managed {
		switch {
		case i == src && dst < 0:
			e.Manager = to
		case i == src:
			continue
		case i == dst:
			joined, err := joinFields(e, managed[src])
			if err != nil {
				return nil, false, err
			}
			e = joined
		}
		out = append(out, e)
	}
	return out, true, nil
}

// joinFields returns entry a owning the fields of b as well; both must be
// of one API version, for their field paths to mean the same.
func joinFields(a, b metav1.ManagedFieldsEntry) (metav1.ManagedFieldsEntry, error) {
	if a.APIVersion != b.APIVersion {
		return a, fmt.Errorf("field managers %s (%s) and %s (%s) own fields of different API versions", a.Manager, a.APIVersion, b.Manager, b.APIVersion)
	}
	var x, y fieldpath.Set
	if a.FieldsV1 != nil {
		if err := x.FromJSON(a.FieldsV1.GetRawReader()); err != nil {
			return a, fmt.Errorf("decode the fields of %s: %w", a.Manager, err)
		}
	}
	if b.FieldsV1 != nil {
		if err := y.FromJSON(b.FieldsV1.GetRawReader()); err != nil {
			return a, fmt.Errorf("decode the fields of %s: %w", b.Manager, err)
		}
	}
	raw, err := x.Union(&y).ToJSON()
	if err != nil {
		return a, err
	}
	a.FieldsV1 = &metav1.FieldsV1{}
	a.FieldsV1.SetRawBytes(raw)
	return a, nil
}
