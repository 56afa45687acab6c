package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// Manager applies and prunes the objects of one NetworkSync. It is used by
// one goroutine at a time.
type Manager struct {
	// Client writes to the API server.
	Client client.Client
	// Reader reads live objects: the controller's cache, so that comparing
	// an unchanged revision costs no API requests. It must keep tabby's
	// managedFields entries (KeepOwnManagedFields), which tell the fields
	// a revision dropped.
	Reader client.Reader
	// APIReader reads from the API server: the live objects a prune is
	// about to delete, and the managedFields (which the cache strips) of
	// objects whose owner is in question.
	APIReader client.Reader
	// Scheme decodes live objects into their Go types for comparison.
	Scheme *runtime.Scheme
	// Concurrency bounds the requests in flight. Default 8.
	Concurrency int

	// Sync is the NetworkSync that applies: it names the field manager,
	// v1alpha1.FieldManager, and the ownership marker its objects carry.
	Sync types.NamespacedName
	// Inventory holds the IDs (inventory.ObjMeta.ID) of the objects its
	// inventory lists.
	Inventory map[string]bool
	// Inventories decodes the other NetworkSyncs' inventories; shared by
	// the Managers of a controller. Nil: a cache of the Manager's own.
	Inventories *inventory.Cache

	listed *networkSyncs
}

// Action says what applying did, or would do, to an object.
type Action string

// Actions.
const (
	Created    Action = "created"
	Configured Action = "configured"
	Unchanged  Action = "unchanged"
	Deleted    Action = "deleted"
	// Skipped: the object cannot be applied here, e.g. a Node whose
	// Kubernetes Node does not exist (tabby never creates Nodes).
	Skipped Action = "skipped"
	// Held: the object differs from the cluster only because someone
	// changed it there, and the NetworkSync's driftPolicy is Report: the
	// cluster's version is left in place.
	Held Action = "held"
	// Conflict: the object exists and is someone else's (Change.Owner):
	// it is not applied, and the revision is refused.
	Conflict Action = "conflict"
	// Lost: the inventory lists the object, but another NetworkSync
	// adopted it (its marker names that one): it is not applied, and
	// leaves the inventory without being deleted.
	Lost Action = "lost"
)

// Change is one object and what applying does to it.
type Change struct {
	Object *manifest.Object
	Action Action
	// Reason says why an object is skipped.
	Reason string
	// ResourceVersion is the object's resourceVersion after Apply applied
	// it: the informer event of tabby's own write carries it.
	ResourceVersion string
	// Owner describes who owns a Conflict or Lost object: "NetworkSync
	// <namespace>/<name>", or the field managers of an object made by hand.
	Owner string
	// Adopted describes the previous owner of an object the manifest
	// adopts (v1alpha1.AdoptAnnotation); empty when it adopts nothing.
	Adopted string
	// MarkOnly is set when a Configured object equals Git but lacks the
	// ownership marker: applying it only marks it, and changes nothing
	// anyone wrote.
	MarkOnly bool

	desired *unstructured.Unstructured
	// legacy: the object was applied before field managers were per
	// NetworkSync; Apply hands the legacy manager's fields over first.
	legacy bool
}

// ObjectError is a failure to apply, dry-run or prune one object.
type ObjectError struct {
	Object string
	Err    error
}

func (e *ObjectError) Error() string { return e.Object + ": " + e.Err.Error() }
func (e *ObjectError) Unwrap() error { return e.Err }

func (m *Manager) concurrency() int {
	if m.Concurrency > 0 {
		return m.Concurrency
	}
	return 8
}

// Diff compares each object to be applied with the live object and says
// whether applying would create, change or leave it.
func (m *Manager) Diff(ctx context.Context, objs []*manifest.Object) ([]Change, error) {
	changes := make([]Change, 0, len(objs))
	for _, o := range objs {
		if !o.Kind.Applied {
			continue
		}
		c, err := m.diff(ctx, o)
		if err != nil {
			return nil, &ObjectError{Object: o.ID(), Err: err}
		}
		changes = append(changes, c)
	}
	return changes, nil
}

func (m *Manager) diff(ctx context.Context, o *manifest.Object) (Change, error) {
	want, err := desired(o)
	if err != nil {
		return Change{}, err
	}
	c := Change{Object: o, desired: want}
	live, err := m.Scheme.New(want.GroupVersionKind())
	if err != nil {
		return c, fmt.Errorf("no Go type for %s: %w", want.GroupVersionKind(), err)
	}
	liveObj := live.(client.Object)
	// A typed Get reads from the cache: comparing an unchanged revision
	// costs no API request.
	err = m.Reader.Get(ctx, client.ObjectKeyFromObject(want), liveObj)
	switch {
	case apierrors.IsNotFound(err) && isNode(o):
		c.Action, c.Reason = Skipped, fmt.Sprintf("Kubernetes Node %s does not exist; tabby sets BGP settings on existing Nodes and never creates one", o.Object.GetName())
		return c, nil
	case apierrors.IsNotFound(err):
		c.Action = Created
		mark(want, m.marker())
		return c, nil
	case err != nil:
		return c, fmt.Errorf("get: %w", err)
	}
	api.Default(liveObj) // as render defaults Git's objects
	marked := liveObj.GetAnnotations()[v1alpha1.OwnerAnnotation] == m.marker()
	switch same := unchanged(o, liveObj, m.fieldManager()); {
	case same && marked:
		c.Action = Unchanged
	case same:
		c.Action, c.MarkOnly = Configured, true
	default:
		c.Action = Configured
	}
	if err := m.own(ctx, o, liveObj, &c); err != nil {
		return c, fmt.Errorf("owner: %w", err)
	}
	mark(want, m.marker())
	// Apply over the version read, so that a change made since (another
	// NetworkSync adopting the object; for a Node, its deletion, which the
	// apply would undo by creating one) makes the apply fail instead of
	// going unseen.
	want.SetResourceVersion(liveObj.GetResourceVersion())
	return c, nil
}

func isNode(o *manifest.Object) bool {
	return o.Kind.OnKubernetesNode()
}

// DryRun applies every changing object with dryRun=All, so that the API
// server validates them (schema, CEL rules, admission webhooks) before
// anything is applied. It returns every failure.
func (m *Manager) DryRun(ctx context.Context, changes []Change) error {
	var todo []Change
	for _, c := range changes {
		if c.Action == Created || c.Action == Configured {
			todo = append(todo, c)
		}
	}
	return m.each(ctx, todo, func(ctx context.Context, c Change) error {
		_, err := m.apply(ctx, c, client.DryRunAll)
		return err
	})
}

// Apply applies the changing objects phase by phase (api.Kind.Phase): a
// phase starts only when the one before it applied in full. It records in
// each applied Change of changes the object's new resourceVersion, and
// returns the changes applied and every failure of the phase that failed.
func (m *Manager) Apply(ctx context.Context, changes []Change) ([]Change, error) {
	phases := map[int][]int{}
	for i, c := range changes {
		if c.Action == Created || c.Action == Configured {
			phases[c.Object.Kind.Phase] = append(phases[c.Object.Kind.Phase], i)
		}
	}
	order := make([]int, 0, len(phases))
	for p := range phases {
		order = append(order, p)
	}
	sort.Ints(order)
	var applied []Change
	for _, p := range order {
		todo := make([]Change, len(phases[p]))
		for j, i := range phases[p] {
			todo[j] = changes[i]
		}
		var mu sync.Mutex
		rvs := make(map[string]string, len(todo))
		err := m.each(ctx, todo, func(ctx context.Context, c Change) error {
			rv, err := m.apply(ctx, c)
			mu.Lock()
			rvs[c.Object.ID()] = rv
			mu.Unlock()
			return err
		})
		if err != nil {
			return applied, err
		}
		for _, i := range phases[p] {
			changes[i].ResourceVersion = rvs[changes[i].Object.ID()]
			applied = append(applied, changes[i])
		}
	}
	return applied, nil
}

// apply applies one change and returns the resourceVersion the server gave
// the object.
func (m *Manager) apply(ctx context.Context, c Change, opts ...client.ApplyOption) (string, error) {
	u := c.desired.DeepCopy()
	if (c.legacy || c.Adopted != "") && !dryRun(opts) {
		rv, err := m.handOver(ctx, u, c.Adopted != "")
		if err != nil {
			return "", fmt.Errorf("hand over the fields of tabby's other field managers: %w", err)
		}
		u.SetResourceVersion(rv)
	}
	opts = append(opts, client.FieldOwner(m.fieldManager()), client.ForceOwnership)
	if err := m.Client.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), opts...); err != nil {
		return "", err
	}
	return u.GetResourceVersion(), nil
}

// each runs f for every change, at most Concurrency at a time, and joins
// the failures.
func (m *Manager) each(ctx context.Context, changes []Change, f func(context.Context, Change) error) error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, m.concurrency())
	)
	for _, c := range changes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(ctx, c); err != nil {
				mu.Lock()
				errs = append(errs, &ObjectError{Object: c.Object.ID(), Err: err})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// dryRun reports whether apply options ask for a dry run.
func dryRun(opts []client.ApplyOption) bool {
	var o client.ApplyOptions
	o.ApplyOptions(opts)
	return len(o.DryRun) > 0
}
