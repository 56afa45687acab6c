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
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/render"
)

// FieldOwner is the field manager of everything tabby applies.
const FieldOwner = "tabby"

// Manager applies and prunes objects.
type Manager struct {
	// Client writes to the API server.
	Client client.Client
	// Reader reads live objects: the controller's cache, so that comparing
	// an unchanged revision costs no API requests.
	Reader client.Reader
	// Scheme decodes live objects into their Go types for comparison.
	Scheme *runtime.Scheme
	// Concurrency bounds the requests in flight. Default 8.
	Concurrency int
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
)

// Change is one object and what applying does to it.
type Change struct {
	Object *render.Object
	Action Action
	// Reason says why an object is skipped.
	Reason string
	// ResourceVersion is the object's resourceVersion after Apply applied
	// it: the informer event of tabby's own write carries it.
	ResourceVersion string

	desired *unstructured.Unstructured
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
func (m *Manager) Diff(ctx context.Context, objs []*render.Object) ([]Change, error) {
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

func (m *Manager) diff(ctx context.Context, o *render.Object) (Change, error) {
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
		return c, nil
	case err != nil:
		return c, fmt.Errorf("get: %w", err)
	}
	if isNode(o) {
		// Apply with the resourceVersion read, so that a Node deleted in
		// the meantime makes the apply fail instead of creating one.
		want.SetResourceVersion(liveObj.GetResourceVersion())
	}
	have, err := normalise(liveObj)
	if err != nil {
		return c, err
	}
	wantMap := want.Object
	if isNode(o) {
		wantMap = withoutResourceVersion(want)
	}
	if contains(have, wantMap) {
		c.Action = Unchanged
	} else {
		c.Action = Configured
	}
	return c, nil
}

// normalise defaults a live object as render defaults Git's objects and
// returns its generic form.
func normalise(live client.Object) (map[string]any, error) {
	if def, ok := live.(interface{ Default() }); ok {
		def.Default()
	}
	api.Default(live)
	return toMap(live)
}

func withoutResourceVersion(u *unstructured.Unstructured) map[string]any {
	c := u.DeepCopy()
	c.SetResourceVersion("")
	return c.Object
}

func isNode(o *render.Object) bool {
	return o.Kind.Kind == "Node" && o.Kind.Group == "projectcalico.org"
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
	opts = append(opts, client.FieldOwner(FieldOwner), client.ForceOwnership)
	u := c.desired.DeepCopy()
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
