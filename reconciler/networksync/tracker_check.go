package networksync

import (
	"context"
	"fmt"
	"maps"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
)

// inventoryIndex is the field index of NetworkSyncs by the inventory IDs
// (inventory.ObjMeta.ID) their status lists.
const inventoryIndex = "status.inventory.id"

// indexInventory returns the inventory IDs of a NetworkSync, for
// inventoryIndex. An inventory that does not decode lists nothing: that
// NetworkSync reports its own broken status.
func indexInventory(o client.Object) []string {
	s, ok := o.(*v1alpha1.NetworkSync)
	if !ok {
		return nil
	}
	entries, err := s.Status.Inventory.Entries()
	if err != nil {
		return nil
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

// watch is the controller's source of drift: it adds to the informer of
// every managed kind the cluster serves (live.Informers) a handler that
// marks the object for the NetworkSyncs concerned and enqueues them.
func (t *driftTracker) watch() source.Source {
	return source.Func(func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request]) error {
		informers, err := live.Informers(ctx, t.cache, t.scheme)
		if err != nil {
			return fmt.Errorf("watch managed kinds: %w", err)
		}
		for _, inf := range informers {
			src := &source.Informer{Informer: inf.Informer, Handler: t.handler(inf.Kind)}
			if err := src.Start(ctx, q); err != nil {
				return fmt.Errorf("watch %s: %w", inf.Kind.Kind, err)
			}
		}
		return nil
	})
}

// handler marks each object of kind k an event reports, with the
// resourceVersion it carries ("" when it is gone), for the NetworkSyncs
// that manage it or its kind, and enqueues them.
func (t *driftTracker) handler(k api.Kind) handler.EventHandler {
	mark := func(o client.Object, gone bool, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		rv := o.GetResourceVersion()
		if gone {
			rv = ""
		}
		for _, key := range t.mark(objRef{kind: k, namespace: o.GetNamespace(), name: o.GetName()}, rv) {
			q.Add(reconcile.Request{NamespacedName: key})
		}
	}
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			mark(e.Object, false, q)
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			if k.OnKubernetesNode() && onlyNodeStatus(e.ObjectOld, e.ObjectNew) {
				return // a heartbeat: tabby compares labels and annotations only
			}
			mark(e.ObjectNew, false, q)
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			mark(e.Object, true, q)
		},
	}
}

// onlyNodeStatus reports whether an update of a Kubernetes Node changed
// neither its labels nor its annotations, where a Calico Node's fields live:
// kubelets update their Node's status all the time, and each reconcile
// resolves the NetworkSync's ref.
func onlyNodeStatus(old, new client.Object) bool {
	return maps.Equal(old.GetLabels(), new.GetLabels()) && maps.Equal(old.GetAnnotations(), new.GetAnnotations())
}

// mark marks an object for the NetworkSyncs that manage it or its kind,
// unless one checked it at rv already, and returns them. A Calico Node is
// never unmanaged: only the NetworkSyncs that hold it are concerned.
func (t *driftTracker) mark(ref objRef, rv string) []types.NamespacedName {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []types.NamespacedName
	for key, w := range t.syncs {
		if w.desired[ref] == nil && (ref.kind.OnKubernetesNode() || !w.kinds[ref.kind.GroupKind()]) {
			continue
		}
		if rv != "" && w.checked[ref] == rv {
			continue
		}
		w.marked[ref] = rv
		out = append(out, key)
	}
	return out
}

// check checks the objects marked for a NetworkSync against what its
// revision wants, with the engine tabby drift uses (drift.Compute). What
// it could not check when it fails stays marked.
func (t *driftTracker) check(ctx context.Context, key types.NamespacedName) error {
	t.mu.Lock()
	w := t.syncs[key]
	if w == nil {
		t.mu.Unlock()
		return nil
	}
	refs := w.marked
	w.marked = map[objRef]string{}
	t.mu.Unlock()
	for ref, rv := range refs {
		if err := t.checkOne(ctx, key, w, ref, rv); err != nil {
			t.mu.Lock()
			for ref, rv := range refs {
				if _, again := w.marked[ref]; !again {
					w.marked[ref] = rv
				}
			}
			t.mu.Unlock()
			return err
		}
		delete(refs, ref)
	}
	t.mu.Lock()
	w.seen = nil
	t.mu.Unlock()
	return nil
}

// checkOne checks one object for a NetworkSync, from the cache, and, when
// it looks drifted, from the API server.
func (t *driftTracker) checkOne(ctx context.Context, key types.NamespacedName, w *watched, ref objRef, rv string) error {
	t.mu.Lock()
	done := rv != "" && w.checked[ref] == rv
	t.mu.Unlock()
	if done {
		return nil
	}
	obj, err := live.Get(ctx, t.reader, ref.kind, ref.namespace, ref.name)
	if err != nil {
		return fmt.Errorf("read %s: %w", ref.id(), err)
	}
	it, drifted, err := t.evaluate(ctx, key, w, ref, obj)
	if err != nil {
		return err
	}
	if drifted {
		// Confirm against the API server, which also gives the
		// managedFields the cache strips.
		if obj, err = live.Get(ctx, t.api, ref.kind, ref.namespace, ref.name); err != nil {
			return fmt.Errorf("read %s: %w", ref.id(), err)
		}
		if it, drifted, err = t.evaluate(ctx, key, w, ref, obj); err != nil {
			return err
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.set(w, ref, it, drifted)
	if obj == nil {
		delete(w.checked, ref)
	} else {
		w.checked[ref] = obj.Object.GetResourceVersion()
	}
	return nil
}

// evaluate compares one live object, nil when it is gone, with what the
// NetworkSync wants of it, with drift.Compute, which also decides whether
// an object the revision does not hold is unmanaged.
func (t *driftTracker) evaluate(ctx context.Context, key types.NamespacedName, w *watched, ref objRef, obj *manifest.Object) (drift.Item, bool, error) {
	in := drift.Input{Manager: v1alpha1.FieldManager(key.Namespace, key.Name)}
	t.mu.Lock()
	if want := w.desired[ref]; want != nil {
		in.Desired = []*manifest.Object{want}
	}
	for gk := range w.kinds {
		in.Kinds = append(in.Kinds, gk)
	}
	t.mu.Unlock()
	if obj != nil {
		in.Live = []*manifest.Object{obj}
	}
	if obj != nil && in.Desired == nil {
		elsewhere, err := t.managedElsewhere(ctx, key, ref)
		if err != nil {
			return drift.Item{}, false, err
		}
		if elsewhere {
			in.Managed = map[string]bool{ref.id(): true}
		}
	}
	rep := drift.Compute(in)
	if rep.Empty() {
		return drift.Item{}, false, nil
	}
	return rep.Items[0], true, nil
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
	if err := t.reader.List(ctx, &list, client.MatchingFields{inventoryIndex: ref.inventoryID()}, client.UnsafeDisableDeepCopy); err != nil {
		return false, fmt.Errorf("list the NetworkSyncs that manage %s: %w", ref.id(), err)
	}
	for i := range list.Items {
		if s := &list.Items[i]; s.Namespace != self.Namespace || s.Name != self.Name {
			return true, nil
		}
	}
	return false, nil
}

// set records the drift of one object of a NetworkSync; t.mu is held. A
// drift already seen keeps its first-seen time; one the status reported
// before the tracker followed the revision keeps that one.
func (t *driftTracker) set(w *watched, ref objRef, it drift.Item, drifted bool) {
	id := ref.id()
	old, had := w.items[id]
	if !drifted {
		delete(w.items, id)
		return
	}
	if had {
		it.FirstSeen = old.FirstSeen
	} else {
		now := t.now().UTC()
		it.FirstSeen = &now
	}
	if at, ok := w.seen[id]; ok && at.Before(*it.FirstSeen) {
		it.FirstSeen = &at
	}
	w.items[id] = it
}
