package networksync

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// Start registers the tracker's event handlers and checks what they report
// until ctx ends. It runs on the leader only, as the reconciler does.
func (t *driftTracker) Start(ctx context.Context) error {
	log := ctrl.LoggerFrom(ctx).WithName("drift")
	for _, k := range api.Kinds() {
		if !k.Applied {
			continue
		}
		obj, err := informerObject(t.scheme, k)
		if err != nil {
			continue
		}
		inf, err := t.cache.GetInformer(ctx, obj)
		if meta.IsNoMatchError(err) {
			continue // the cluster does not serve the kind
		}
		if err != nil {
			return err
		}
		if _, err := inf.AddEventHandler(t.handler(k)); err != nil {
			return err
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.wake:
		}
		t.mu.Lock()
		refs := t.pending
		t.pending = map[objRef]string{}
		t.inflight = len(refs)
		t.mu.Unlock()
		if err := t.check(ctx, refs, types.NamespacedName{}); err != nil && ctx.Err() == nil {
			log.Error(err, "check drift")
		}
		t.mu.Lock()
		t.inflight = 0
		t.mu.Unlock()
	}
}

// informerObject returns the object whose informer reports changes to
// objects of kind k: the Kubernetes Node for a Calico Node.
func informerObject(scheme *runtime.Scheme, k api.Kind) (client.Object, error) {
	gvk := k.Stored()
	o, err := scheme.New(gvk)
	if err != nil {
		return nil, err
	}
	return o.(client.Object), nil
}

// handler queues the objects of kind k that an informer reports changed,
// unless their resourceVersion was checked already.
func (t *driftTracker) handler(k api.Kind) toolscache.ResourceEventHandler {
	queue := func(obj any, deleted bool) {
		if tomb, ok := obj.(toolscache.DeletedFinalStateUnknown); ok {
			obj, deleted = tomb.Obj, true
		}
		o, ok := obj.(client.Object)
		if !ok {
			return
		}
		ref := objRef{kind: k, namespace: o.GetNamespace(), name: o.GetName()}
		rv := o.GetResourceVersion()
		if deleted {
			rv = ""
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if deleted {
			delete(t.present, ref)
		} else {
			t.present[ref] = true
		}
		if rv != "" && t.checked[ref] == rv {
			return
		}
		t.pending[ref] = rv
		t.signal()
	}
	return toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { queue(obj, false) },
		UpdateFunc: func(_, obj any) { queue(obj, false) },
		DeleteFunc: func(obj any) { queue(obj, true) },
	}
}

// check checks objects against every NetworkSync that manages them or
// their kind, and enqueues each NetworkSync whose drift changed, except
// quiet, whose sync is checking and reports itself.
func (t *driftTracker) check(ctx context.Context, refs map[objRef]string, quiet types.NamespacedName) error {
	t.checking.Lock()
	defer t.checking.Unlock()
	changed := map[types.NamespacedName]bool{}
	for ref, rv := range refs {
		keys := t.concerned(ref, rv)
		if len(keys) == 0 {
			continue
		}
		obj, err := live.Get(ctx, t.reader, ref.kind, ref.namespace, ref.name)
		if err != nil {
			return err
		}
		confirmed := false
		for _, key := range keys {
			it, drifted, err := t.evaluate(ctx, key, ref, obj)
			if err != nil {
				return err
			}
			if drifted && !confirmed {
				// Confirm against the API server, which also gives the
				// managedFields the cache strips.
				if obj, err = live.Get(ctx, t.api, ref.kind, ref.namespace, ref.name); err != nil {
					return err
				}
				confirmed = true
				if it, drifted, err = t.evaluate(ctx, key, ref, obj); err != nil {
					return err
				}
			}
			if t.set(key, ref, it, drifted) {
				changed[key] = true
			}
		}
		t.mu.Lock()
		if obj == nil {
			delete(t.checked, ref)
		} else {
			t.checked[ref] = obj.Object.GetResourceVersion()
		}
		t.mu.Unlock()
	}
	for key := range changed {
		if key == quiet {
			continue
		}
		t.enqueue(key)
	}
	return nil
}

// concerned returns the NetworkSyncs that manage the object or its kind;
// a paused one checks it when it resumes.
func (t *driftTracker) concerned(ref objRef, rv string) []types.NamespacedName {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []types.NamespacedName
	for key, w := range t.syncs {
		if w.paused {
			if w.deferred == nil {
				w.deferred = map[objRef]string{}
			}
			w.deferred[ref] = rv
			continue
		}
		if w.desired[ref] != nil || w.kinds[ref.kind.GroupKind()] {
			out = append(out, key)
		}
	}
	return out
}

// evaluate compares one live object, nil when it is gone, with what the
// NetworkSync wants of it.
func (t *driftTracker) evaluate(ctx context.Context, key types.NamespacedName, ref objRef, obj *manifest.Object) (drift.Item, bool, error) {
	t.mu.Lock()
	w := t.syncs[key]
	var want *manifest.Object
	if w != nil {
		want = w.desired[ref]
	}
	t.mu.Unlock()
	if w == nil {
		return drift.Item{}, false, nil
	}
	self := v1alpha1.FieldManager(key.Namespace, key.Name)
	if want != nil {
		it, drifted := drift.Check(want, obj, self)
		return it, drifted, nil
	}
	if obj == nil {
		return drift.Item{}, false, nil
	}
	elsewhere, err := t.managedElsewhere(ctx, key, ref)
	if err != nil || elsewhere {
		return drift.Item{}, false, err
	}
	it, ok := drift.CheckUnmanaged(obj, self)
	return it, ok, nil
}

// managedElsewhere reports whether another NetworkSync manages the object:
// one the tracker follows, or one whose inventory lists it.
func (t *driftTracker) managedElsewhere(ctx context.Context, self types.NamespacedName, ref objRef) (bool, error) {
	t.mu.Lock()
	for key, w := range t.syncs {
		if key != self && w.desired[ref] != nil {
			t.mu.Unlock()
			return true, nil
		}
	}
	t.mu.Unlock()
	var list v1alpha1.NetworkSyncList
	if err := t.reader.List(ctx, &list); err != nil {
		return false, err
	}
	id := inventory.ObjMeta{Namespace: ref.namespace, Name: ref.name, GroupVersionKind: ref.kind.GroupVersionKind}.ID()
	for i := range list.Items {
		s := &list.Items[i]
		if s.Namespace == self.Namespace && s.Name == self.Name {
			continue
		}
		ids, err := t.inventories.IDs(s)
		if err != nil {
			continue // that NetworkSync reports its own broken status
		}
		if ids[id] {
			return true, nil
		}
	}
	return false, nil
}

// set records the drift of one object of a NetworkSync and reports whether
// its report changed. A drift already seen keeps its first-seen time.
func (t *driftTracker) set(key types.NamespacedName, ref objRef, it drift.Item, drifted bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil {
		return false
	}
	id := ref.id()
	old, had := w.items[id]
	if !drifted {
		delete(w.items, id)
		return had
	}
	if had {
		it.FirstSeen = old.FirstSeen
	} else {
		now := t.now().UTC()
		it.FirstSeen = &now
	}
	w.items[id] = it
	return !had || !sameItem(old, it)
}

// sameItem reports whether two reports of one object say the same.
func sameItem(a, b drift.Item) bool {
	if a.Type != b.Type || a.Manager != b.Manager || len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].String() != b.Fields[i].String() {
			return false
		}
	}
	return true
}

// enqueue asks the reconciler to report a NetworkSync's drift.
func (t *driftTracker) enqueue(key types.NamespacedName) {
	obj := &v1alpha1.NetworkSync{}
	obj.Namespace, obj.Name = key.Namespace, key.Name
	t.events <- event.TypedGenericEvent[*v1alpha1.NetworkSync]{Object: obj}
}

// idle reports whether the event loop has nothing left to check.
func (t *driftTracker) idle() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pending) == 0 && t.inflight == 0
}

// signal wakes the event loop.
func (t *driftTracker) signal() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}
