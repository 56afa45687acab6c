package networksync

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// clearBreakGlass removes the break-glass annotation from the objects the
// NetworkSync manages, once it is Ready after a sync. The annotation is the
// reason for one change: the webhook honours it only in the request that
// sets it, and removing it after the sync that followed keeps a stale
// reason from reading as the reason of whatever comes next.
//
// Each removal is a JSON merge patch of that key alone, by tabby's field
// manager, on the resourceVersion read: an object that changed since is
// read again from the API server (the cache may not have seen this sync's
// own writes yet), and keeps a reason other than the one read, which is
// that of a newer break-glass change, until the next sync. An annotation
// Git itself sets is left alone. Failures are logged, not
// returned: an annotation left behind lets nothing through, and the next
// sync tries again.
func (r *Reconciler) clearBreakGlass(ctx context.Context, obj *v1alpha1.NetworkSync) {
	if !isReady(obj) || obj.Status.Inventory == nil {
		return
	}
	inventory, _, err := currentInventory(obj)
	if err != nil {
		return // the sync reports a broken inventory
	}
	log := ctrl.LoggerFrom(ctx)
	desired := r.drift.desired(client.ObjectKeyFromObject(obj), obj.Status.LastAppliedRevision)
	for _, m := range inventory {
		rv, reason, ok := r.breakGlassReason(ctx, r.Client, m)
		if !ok {
			continue
		}
		if d := desired[m.String()]; d != nil && d.Object.GetAnnotations()[v1alpha1.BreakGlassAnnotation] != "" {
			continue // Git sets it: removing it would be drift
		}
		err := r.removeBreakGlass(ctx, obj, m, rv)
		if apierrors.IsConflict(err) {
			var again string
			if rv, again, ok = r.breakGlassReason(ctx, r.APIReader, m); ok && again == reason {
				err = r.removeBreakGlass(ctx, obj, m, rv)
			}
		}
		switch {
		case apierrors.IsConflict(err), apierrors.IsNotFound(err):
			// Changed or deleted since the cache saw it: the next sync.
		case err != nil:
			log.Error(err, "remove the break-glass annotation", "object", m.String())
		default:
			log.Info("removed the break-glass annotation after a sync", "object", m.String(), "reason", reason)
		}
	}
}

// breakGlassReason reads the break-glass annotation of an inventory entry
// with c, and the object's resourceVersion. ok is false when the object is
// not there or has none.
func (r *Reconciler) breakGlassReason(ctx context.Context, c client.Reader, m inventory.ObjMeta) (rv, reason string, ok bool) {
	k, known := api.LookupKind(m.GroupVersionKind)
	if !known || k.OnKubernetesNode() {
		return "", "", false // Calico Nodes are patches of Kubernetes Nodes, which the guard does not review
	}
	typed, err := r.Scheme.New(m.GroupVersionKind)
	if err != nil {
		return "", "", false
	}
	live, isObject := typed.(client.Object)
	if !isObject {
		return "", "", false
	}
	// Only the annotations are read: no copy of a cached object.
	noCopy := true
	err = c.Get(ctx, client.ObjectKey{Namespace: m.Namespace, Name: m.Name}, live, &client.GetOptions{UnsafeDisableDeepCopy: &noCopy})
	if err != nil {
		if !apierrors.IsNotFound(err) && !meta.IsNoMatchError(err) {
			ctrl.LoggerFrom(ctx).V(1).Info("read for break-glass clean-up", "object", m.String(), "error", err.Error())
		}
		return "", "", false
	}
	reason, ok = live.GetAnnotations()[v1alpha1.BreakGlassAnnotation]
	return live.GetResourceVersion(), reason, ok
}

// removeBreakGlass removes the annotation from the object at resourceVersion
// rv, as obj's field manager.
func (r *Reconciler) removeBreakGlass(ctx context.Context, obj *v1alpha1.NetworkSync, m inventory.ObjMeta, rv string) error {
	target := &unstructured.Unstructured{}
	target.SetGroupVersionKind(m.GroupVersionKind)
	target.SetNamespace(m.Namespace)
	target.SetName(m.Name)
	patch := fmt.Sprintf(`{"metadata":{"resourceVersion":%q,"annotations":{%q:null}}}`, rv, v1alpha1.BreakGlassAnnotation)
	return r.Client.Patch(ctx, target, client.RawPatch(types.MergePatchType, []byte(patch)), client.FieldOwner(v1alpha1.FieldManager(obj.Namespace, obj.Name)))
}
