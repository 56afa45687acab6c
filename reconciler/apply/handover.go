package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// handOver gives this NetworkSync's field manager the fields other tabby
// managers own on an object, before the object is applied under it: the
// legacy manager's on an object applied before field managers were per
// NetworkSync, and the previous owner's on an object adopted from another
// NetworkSync. Server-side apply does not: applying under a new manager
// makes it share the fields with the old one, which keeps them, so that a
// field later removed from Git (an element of a set-like list, such as a
// network set's nets, at once) would stay on the object. As kubectl's
// upgrade from client-side apply does (k8s.io/client-go/util/csaupgrade,
// which converts Update entries, not Apply ones), it joins their Apply
// entries of metadata.managedFields into this manager's. Other managers'
// fields stay theirs. The patch carries the resourceVersion Diff read, so
// that an object changed since is not handed over on stale ground. It
// returns the object's resourceVersion after the patch.
func (m *Manager) handOver(ctx context.Context, want *unstructured.Unstructured, adopting bool) (string, error) {
	live := &unstructured.Unstructured{}
	live.SetGroupVersionKind(want.GroupVersionKind())
	if err := m.APIReader.Get(ctx, client.ObjectKeyFromObject(want), live); err != nil {
		return "", fmt.Errorf("get from the API server: %w", err)
	}
	if rv := want.GetResourceVersion(); rv != "" && live.GetResourceVersion() != rv {
		return "", fmt.Errorf("the object changed since it was read (resourceVersion %s, now %s); the next sync retries", rv, live.GetResourceVersion())
	}
	self := m.fieldManager()
	from := func(manager string) bool { return manager == v1alpha1.LegacyFieldManager }
	if adopting {
		from = func(manager string) bool { return manager != self && v1alpha1.IsFieldManager(manager) }
	}
	managed, changed, err := joinManagers(live.GetManagedFields(), from, self)
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
	if err := m.Client.Patch(ctx, live, client.RawPatch(types.JSONPatchType, patch), client.FieldOwner(self)); err != nil {
		return "", fmt.Errorf("patch managedFields: %w", err)
	}
	return live.GetResourceVersion(), nil
}

// joinManagers returns managed fields with the Apply entries of the
// managers from selects joined into the Apply entry of to, which takes the
// place of the first of them when it has none. It reports whether anything
// changed.
func joinManagers(managed []metav1.ManagedFieldsEntry, from func(string) bool, to string) ([]metav1.ManagedFieldsEntry, bool, error) {
	dst := -1
	var srcs []int
	for i, e := range managed {
		if e.Operation != metav1.ManagedFieldsOperationApply || e.Subresource != "" {
			continue
		}
		switch {
		case e.Manager == to:
			dst = i
		case from(e.Manager):
			srcs = append(srcs, i)
		}
	}
	if len(srcs) == 0 {
		return managed, false, nil
	}
	if dst < 0 {
		dst, srcs = srcs[0], srcs[1:]
	}
	joined := managed[dst]
	joined.Manager = to
	for _, i := range srcs {
		var err error
		if joined, err = joinFields(joined, managed[i]); err != nil {
			return nil, false, err
		}
	}
	out := make([]metav1.ManagedFieldsEntry, 0, len(managed)-len(srcs))
	for i, e := range managed {
		switch {
		case i == dst:
			out = append(out, joined)
		case !slices.Contains(srcs, i):
			out = append(out, e)
		}
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
