package networksync

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// driftTracker holds, per NetworkSync, what its last applied revision
// wants and the drift found so far. It has no loop of its own: the
// controller watches the managed kinds (watch), and an event of an object
// marks it to check for each NetworkSync that manages it or its kind and
// enqueues those NetworkSyncs on the controller's workqueue; their
// reconcile checks what was marked (check) and reports. There is no
// periodic comparison of everything.
//
// An object is checked against the informer cache first; only an object
// that looks drifted is read again from the API server, to confirm it (the
// cache may lag) and to read its managedFields (the cache strips them).
type driftTracker struct {
	scheme *runtime.Scheme
	cache  cache.Cache
	reader client.Reader // the cache
	api    client.Reader // the API server
	now    func() time.Time

	mu    sync.Mutex
	syncs map[types.NamespacedName]*watched
}

// objRef names an object of a kind tabby applies.
type objRef struct {
	kind      api.Kind
	namespace string
	name      string
}

func refOf(o *manifest.Object) objRef {
	return objRef{kind: o.Kind, namespace: o.Object.GetNamespace(), name: o.Object.GetName()}
}

// id is the object's subject: the key of drift items and desired objects.
func (r objRef) id() string {
	return manifest.ObjectID(r.kind.Group, r.kind.Kind, r.namespace, r.name)
}

// inventoryID is the object's key in a NetworkSync's inventory.
func (r objRef) inventoryID() string {
	return inventory.ObjMeta{Namespace: r.namespace, Name: r.name, GroupVersionKind: r.kind.GroupVersionKind}.ID()
}

// watched is what the tracker knows of one NetworkSync.
type watched struct {
	revision string
	desired  map[objRef]*manifest.Object
	kinds    map[schema.GroupKind]bool
	// items is the current drift, by subject.
	items map[string]drift.Item
	// marked are the objects to check, with the resourceVersion their
	// event carried ("" for a deletion).
	marked map[objRef]string
	// checked holds the resourceVersion each object was last checked or
	// written at by this NetworkSync: an event that carries it is not
	// checked again (tabby's own writes among them).
	checked map[objRef]string
	// seen are the first-seen times the status reported at the sync that
	// began following this revision, for drift found again (after a
	// restart); the first check uses them.
	seen map[string]time.Time
}

func newWatched(revision string) *watched {
	return &watched{
		revision: revision,
		desired:  map[objRef]*manifest.Object{},
		kinds:    map[schema.GroupKind]bool{},
		items:    map[string]drift.Item{},
		marked:   map[objRef]string{},
		checked:  map[objRef]string{},
	}
}

func newDriftTracker(scheme *runtime.Scheme, c cache.Cache, api client.Reader, now func() time.Time) *driftTracker {
	return &driftTracker{scheme: scheme, cache: c, reader: c, api: api, now: now, syncs: map[types.NamespacedName]*watched{}}
}

// track records what a sync applied and marks what the sync leaves to
// check, so that the check that follows in the same reconcile reports it:
// the objects it held, the live objects of the revision's kinds that are
// not in it (unmanaged), and whatever changed meanwhile. The objects it
// applied or found unchanged match Git as the sync left them: the
// resourceVersions of its writes are recorded as checked, and a later
// change arrives as an event. An object skipped (a Node the cluster does
// not have) is not followed. seen are the first-seen times the
// NetworkSync's status reports, for drift the tracker does not know (after
// a restart).
func (t *driftTracker) track(ctx context.Context, key types.NamespacedName, revision string, changes []apply.Change, seen map[string]time.Time) error {
	w := newWatched(revision)
	w.seen = seen
	for _, c := range changes {
		if c.Action == apply.Skipped {
			continue
		}
		ref := refOf(c.Object)
		w.desired[ref] = c.Object
		w.kinds[c.Object.Kind.GroupKind()] = true
		switch {
		case c.Action == apply.Held:
			w.marked[ref] = ""
		case c.ResourceVersion != "":
			w.checked[ref] = c.ResourceVersion
		}
	}
	if err := t.markUnmanaged(ctx, w); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if old := t.syncs[key]; old != nil {
		for ref, rv := range old.marked {
			if rv == "" || w.checked[ref] != rv { // not this sync's own write
				w.marked[ref] = rv
			}
		}
		for ref := range w.marked {
			if it, ok := old.items[ref.id()]; ok {
				w.items[ref.id()] = it // first-seen times carry over
			}
		}
	}
	t.syncs[key] = w
	return nil
}

// markUnmanaged marks the live objects of the revision's kinds that it does
// not hold: the candidates for Unmanaged. It reads names only, from the
// cache, without copying objects.
func (t *driftTracker) markUnmanaged(ctx context.Context, w *watched) error {
	for _, k := range api.Kinds() {
		if !k.Applied || k.OnKubernetesNode() || !w.kinds[k.GroupKind()] {
			continue
		}
		lst, err := t.scheme.New(k.GroupVersion().WithKind(k.Kind + "List"))
		if err != nil {
			continue
		}
		l := lst.(client.ObjectList)
		if err := t.reader.List(ctx, l, client.UnsafeDisableDeepCopy); err != nil {
			return fmt.Errorf("list %s: %w", k.Kind, err)
		}
		if err := meta.EachListItem(l, func(o runtime.Object) error {
			m, err := meta.Accessor(o)
			if err != nil {
				return err
			}
			if ref := (objRef{kind: k, namespace: m.GetNamespace(), name: m.GetName()}); w.desired[ref] == nil {
				w.marked[ref] = ""
			}
			return nil
		}); err != nil {
			return fmt.Errorf("list %s: %w", k.Kind, err)
		}
	}
	return nil
}

// untrack forgets a NetworkSync.
func (t *driftTracker) untrack(key types.NamespacedName) {
	t.mu.Lock()
	delete(t.syncs, key)
	t.mu.Unlock()
}

// written records the resourceVersions tabby's own writes gave objects:
// their events are not checked.
func (t *driftTracker) written(key types.NamespacedName, changes []apply.Change) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil {
		return
	}
	for _, c := range changes {
		if c.ResourceVersion != "" {
			w.checked[refOf(c.Object)] = c.ResourceVersion
		}
	}
}

// tracking reports whether the tracker knows the NetworkSync at revision.
func (t *driftTracker) tracking(key types.NamespacedName, revision string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	return w != nil && w.revision == revision
}

// desired returns the objects the NetworkSync applied at revision, by ID,
// or nil when the tracker does not know them.
func (t *driftTracker) desired(key types.NamespacedName, revision string) map[string]*manifest.Object {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil || w.revision != revision {
		return nil
	}
	out := make(map[string]*manifest.Object, len(w.desired))
	for ref, o := range w.desired {
		out[ref.id()] = o
	}
	return out
}

// report returns the NetworkSync's drift, sorted by subject.
func (t *driftTracker) report(key types.NamespacedName) drift.Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	var r drift.Report
	if w := t.syncs[key]; w != nil {
		for _, it := range w.items {
			r.Items = append(r.Items, it)
		}
	}
	drift.Sort(r.Items)
	return r
}

// restored clears the drift of objects a correction applied, which match
// Git, and marks the others to check again.
func (t *driftTracker) restored(key types.NamespacedName, changes []apply.Change) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil {
		return
	}
	for _, c := range changes {
		ref := refOf(c.Object)
		if c.ResourceVersion != "" {
			delete(w.items, ref.id())
		} else {
			w.marked[ref] = ""
		}
	}
}
