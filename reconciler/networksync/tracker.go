package networksync

import (
	"context"
	"maps"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/render"
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

func refOf(o *render.Object) objRef {
	return objRef{kind: o.Kind, namespace: o.Object.GetNamespace(), name: o.Object.GetName()}
}

func (r objRef) id() string {
	return render.ObjectID(r.kind.Group, r.kind.Kind, r.namespace, r.name)
}

// watched is what the tracker knows of one NetworkSync.
type watched struct {
	revision string
	desired  map[objRef]*render.Object
	kinds    map[schema.GroupKind]bool
	// items is the current drift, by subject.
	items map[string]drift.Item
	// paused is set while a sync or a correction applies. Every object
	// that changes meanwhile is deferred, with its event's resourceVersion,
	// and checked when it resumes, unless the change is tabby's own write.
	paused   bool
	deferred map[objRef]string
}

func newDriftTracker(scheme *runtime.Scheme, c cache.Cache, api client.Reader) *driftTracker {
	return &driftTracker{
		scheme:  scheme,
		cache:   c,
		reader:  c,
		api:     api,
		events:  make(chan event.TypedGenericEvent[*v1alpha1.NetworkSync], 64),
		now:     time.Now,
		syncs:   map[types.NamespacedName]*watched{},
		pending: map[objRef]string{},
		checked: map[objRef]string{},
		present: map[objRef]bool{},
		wake:    make(chan struct{}, 1),
	}
}

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
	gvk := k.GroupVersionKind
	if gvk.Group == v3.GroupName && gvk.Kind == "Node" {
		gvk = schema.GroupVersionKind{Version: "v1", Kind: "Node"}
	}
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

// track records what a sync applied, and checks before it returns what
// the sync leaves drifted, so that the sync reports it at once: the objects
// it held, the live objects of the revision's kinds that are not in it
// (unmanaged), and whatever changed while it applied, but for its own
// writes. The objects it applied or found unchanged match Git as the sync
// left them: the resourceVersions of its writes are recorded as checked,
// and a later change arrives as an event. An object skipped (a Node the
// cluster does not have) is not followed.
func (t *driftTracker) track(ctx context.Context, key types.NamespacedName, revision string, changes []apply.Change) error {
	w := &watched{revision: revision, desired: make(map[objRef]*render.Object, len(changes)), kinds: map[schema.GroupKind]bool{}, items: map[string]drift.Item{}}
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
	return t.check(ctx, refs, key)
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
		w = &watched{desired: map[objRef]*render.Object{}, kinds: map[schema.GroupKind]bool{}, items: map[string]drift.Item{}}
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

// desired returns the objects the NetworkSync applied at revision, nil
// when the tracker does not know them.
func (t *driftTracker) desired(key types.NamespacedName, revision string) map[objRef]*render.Object {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.syncs[key]
	if w == nil || w.revision != revision {
		return nil
	}
	return w.desired
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
func (t *driftTracker) evaluate(ctx context.Context, key types.NamespacedName, ref objRef, obj *render.Object) (drift.Item, bool, error) {
	t.mu.Lock()
	w := t.syncs[key]
	var want *render.Object
	if w != nil {
		want = w.desired[ref]
	}
	t.mu.Unlock()
	if w == nil {
		return drift.Item{}, false, nil
	}
	if want != nil {
		it, drifted := drift.Check(want, obj)
		return it, drifted, nil
	}
	if obj == nil {
		return drift.Item{}, false, nil
	}
	elsewhere, err := t.managedElsewhere(ctx, key, ref)
	if err != nil || elsewhere {
		return drift.Item{}, false, err
	}
	it, ok := drift.CheckUnmanaged(obj)
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
	id := ref.id()
	for i := range list.Items {
		s := &list.Items[i]
		if s.Namespace == self.Namespace && s.Name == self.Name {
			continue
		}
		inventory, err := apply.Inventory(s.Status.Inventory)
		if err != nil {
			continue // that NetworkSync reports its own broken status
		}
		for _, m := range inventory {
			if m.String() == id {
				return true, nil
			}
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

// items returns a copy of the NetworkSync's current drift items.
func (t *driftTracker) items(key types.NamespacedName) map[string]drift.Item {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.syncs[key]; w != nil {
		return maps.Clone(w.items)
	}
	return nil
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
	return k.Kind == "Node" && k.Group == v3.GroupName
}
