package networksync

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
)

// driftTracker finds drift from informer events: after a sync it knows the
// objects each NetworkSync applied, and every add, update or delete of an
// object of a managed kind re-checks that one object against Git. A
// NetworkSync whose drift changed is enqueued; the reconciler writes its
// status. There is no periodic comparison of everything.
//
// An object is checked against the informer cache first; only an object
// that looks drifted is read again from the API server, to confirm it (the
// cache may lag) and to read its managedFields (the cache strips them).
type driftTracker struct {
	scheme *runtime.Scheme
	cache  cache.Cache
	reader client.Reader // the cache
	api    client.Reader // the API server
	events chan event.TypedGenericEvent[*v1alpha1.NetworkSync]
	now    func() time.Time

	mu    sync.Mutex
	syncs map[types.NamespacedName]*watched
	// pending are the objects to check, with the resourceVersion their
	// event carried ("" for a deletion).
	pending map[objRef]string
	checked map[objRef]string // the resourceVersion last checked
	wake    chan struct{}
	// present holds every object of a managed kind the informers know:
	// the candidates for Unmanaged.
	present map[objRef]bool
	// inflight counts the objects the event loop is checking.
	inflight int
	// inventories are the other NetworkSyncs' inventories, decoded once
	// per change: an object none of them lists is unmanaged.
	inventories apply.InventoryCache

	// checking runs one check at a time, so that a sync's full check and
	// the event loop never interleave.
	checking sync.Mutex
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

func (r objRef) id() string {
	return manifest.ObjectID(r.kind.Group, r.kind.Kind, r.namespace, r.name)
}

// watched is what the tracker knows of one NetworkSync.
type watched struct {
	revision string
	desired  map[objRef]*manifest.Object
	kinds    map[schema.GroupKind]bool
	// items is the current drift, by subject.
	items map[string]drift.Item
	// paused is set while a sync or a correction applies. Every object
	// that changes meanwhile is deferred, with its event's resourceVersion,
	// and checked when it resumes, unless the change is tabby's own write.
	paused   bool
	deferred map[objRef]string
}

func newDriftTracker(scheme *runtime.Scheme, c cache.Cache, api client.Reader, now func() time.Time) *driftTracker {
	return &driftTracker{
		scheme:  scheme,
		cache:   c,
		reader:  c,
		api:     api,
		events:  make(chan event.TypedGenericEvent[*v1alpha1.NetworkSync], 64),
		now:     now,
		syncs:   map[types.NamespacedName]*watched{},
		pending: map[objRef]string{},
		checked: map[objRef]string{},
		present: map[objRef]bool{},
		wake:    make(chan struct{}, 1),
	}
}

// track records what a sync applied, and checks before it returns what
// the sync leaves drifted, so that the sync reports it at once: the objects
// it held, the live objects of the revision's kinds that are not in it
// (unmanaged), and whatever changed while it applied, but for its own
// writes. The objects it applied or found unchanged match Git as the sync
// left them: the resourceVersions of its writes are recorded as checked,
// and a later change arrives as an event. An object skipped (a Node the
// cluster does not have) is not followed. seen are the first-seen times
// the NetworkSync's status reports, for drift the tracker does not know
// (after a restart).
func (t *driftTracker) track(ctx context.Context, key types.NamespacedName, revision string, changes []apply.Change, seen map[string]time.Time) error {
	w := &watched{revision: revision, desired: make(map[objRef]*manifest.Object, len(changes)), kinds: map[schema.GroupKind]bool{}, items: map[string]drift.Item{}}
	refs := map[objRef]string{}
	written := map[objRef]string{}
	for _, c := range changes {
		if c.Action == apply.Skipped {
			continue
		}
		ref := refOf(c.Object)
		w.desired[ref] = c.Object
		w.kinds[c.Object.Kind.GroupKind()] = true
		switch {
		case c.Action == apply.Held:
			refs[ref] = ""
		case c.ResourceVersion != "":
			written[ref] = c.ResourceVersion
		}
	}
	t.mu.Lock()
	for ref := range t.present {
		if w.kinds[ref.kind.GroupKind()] && w.desired[ref] == nil && !isCalicoNode(ref.kind) {
			refs[ref] = ""
		}
	}
	for ref, rv := range written {
		t.checked[ref] = rv
	}
	if old := t.syncs[key]; old != nil {
		for ref, rv := range old.deferred {
			if rv == "" || written[ref] != rv {
				refs[ref] = rv
			}
		}
		for ref := range refs {
			id := ref.id()
			if it, ok := old.items[id]; ok {
				w.items[id] = it // first-seen times carry over
			}
		}
	}
	t.syncs[key] = w
	t.mu.Unlock()
	if err := t.check(ctx, refs, key); err != nil {
		return err
	}
	// A drift status reported before keeps the time it began.
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, it := range w.items {
		if at, ok := seen[id]; ok && at.Before(*it.FirstSeen) {
			it.FirstSeen = &at
			w.items[id] = it
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

// pause stops checking a NetworkSync's objects while it applies: every
// object that changes meanwhile is checked when it resumes, unless the
// change is a write of tabby's own (its resourceVersion recorded with
// written). Pausing a NetworkSync the tracker does not follow yet (its
// first sync) starts following it, with nothing desired.
func (t *driftTracker) pause(key types.NamespacedName, paused bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil {
		if !paused {
			return
		}
		w = &watched{desired: map[objRef]*manifest.Object{}, kinds: map[schema.GroupKind]bool{}, items: map[string]drift.Item{}}
		t.syncs[key] = w
	}
	w.paused = paused
	if paused || len(w.deferred) == 0 {
		return
	}
	for ref, rv := range w.deferred {
		if rv == "" || t.checked[ref] != rv {
			t.pending[ref] = rv
		}
	}
	w.deferred = nil
	t.signal()
}

// written records the resourceVersions tabby's own writes gave objects:
// their events are not checked.
func (t *driftTracker) written(changes []apply.Change) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range changes {
		if c.ResourceVersion != "" {
			t.checked[refOf(c.Object)] = c.ResourceVersion
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

// restored clears the drift of objects a correction applied: they match
// Git.
func (t *driftTracker) restored(key types.NamespacedName, refs []objRef) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.syncs[key]; w != nil {
		for _, ref := range refs {
			delete(w.items, ref.id())
		}
	}
}

func isCalicoNode(k api.Kind) bool {
	return k.OnKubernetesNode()
}
