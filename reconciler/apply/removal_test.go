package apply_test

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// TestDroppedFieldIsApplied checks, against a real API server and through
// the controller's cache, that a revision that only removes fields from an
// object is applied, and that server-side apply then removes them from the
// cluster; that an object applied once and not edited since is Unchanged,
// whatever the server added; and that drift agrees with apply throughout.
// Apply used to decide Unchanged by "live contains Git", so a revision that
// only dropped a field was never applied.
func TestDroppedFieldIsApplied(t *testing.T) {
	env := testenv.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	m, reader := newManager(ctx, t, env)
	self := v1alpha1.FieldManager(m.Sync.Namespace, m.Sync.Name)

	before := peer(map[string]string{"rack": "7", "role": "tor"}, true)
	after := peer(map[string]string{"rack": "7"}, false)
	m.Inventory = map[string]bool{inventory.MetaOf(before).ID(): true}

	apply1 := sync(ctx, t, m, before, apply.Created)
	waitCached(ctx, t, reader, apply1)
	sync(ctx, t, m, before, apply.Unchanged)
	liveBefore := read(ctx, t, env.Client, before)
	if it, drifted := drift.Check(before, liveBefore, self); drifted {
		t.Errorf("drift right after the apply: %+v", it)
	}
	it, drifted := drift.Check(after, liveBefore, self)
	if !drifted || len(it.Fields) != 2 || it.Fields[0].Path != "metadata.labels.role" || it.Fields[1].Path != "spec.keepOriginalNextHop" {
		t.Errorf("drift of the dropped fields = %+v, %t; want metadata.labels.role and spec.keepOriginalNextHop", it, drifted)
	}

	apply2 := sync(ctx, t, m, after, apply.Configured)
	got := read(ctx, t, env.Client, after).Object.(*v3.BGPPeer)
	if got.Spec.KeepOriginalNextHop || got.Labels["role"] != "" || got.Labels["rack"] != "7" {
		t.Errorf("after the apply: keepOriginalNextHop %t, labels %v; want false and rack=7 alone", got.Spec.KeepOriginalNextHop, got.Labels)
	}
	waitCached(ctx, t, reader, apply2)
	sync(ctx, t, m, after, apply.Unchanged)
	if it, drifted := drift.Check(after, read(ctx, t, env.Client, after), self); drifted {
		t.Errorf("drift after the dropped fields were applied: %+v", it)
	}
}

// newManager returns a Manager for NetworkSync tabby-system/prod reading
// through a cache configured as the controller's, and the cache.
func newManager(ctx context.Context, t *testing.T, env *testenv.Env) (*apply.Manager, client.Reader) {
	t.Helper()
	c, err := cache.New(env.Config, cache.Options{Scheme: env.Scheme, DefaultTransform: apply.KeepOwnManagedFields()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := c.Start(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { stop(); <-done })
	if !c.WaitForCacheSync(ctx) {
		t.Fatal("the cache did not start")
	}
	cl, err := client.New(env.Config, client.Options{Scheme: env.Scheme, Cache: &client.CacheOptions{Reader: c}})
	if err != nil {
		t.Fatal(err)
	}
	return &apply.Manager{
		Client: cl, Reader: cl, APIReader: env.Client, Scheme: env.Scheme,
		Sync: types.NamespacedName{Namespace: "tabby-system", Name: "prod"},
	}, c
}

// peer returns a rendered BGPPeer with the given labels.
func peer(labels map[string]string, keepNextHop bool) *manifest.Object {
	p := &v3.BGPPeer{
		ObjectMeta: metav1.ObjectMeta{Name: "tor-rack7", Labels: labels},
		Spec:       v3.BGPPeerSpec{PeerIP: "10.0.7.1", ASNumber: 64513, KeepOriginalNextHop: keepNextHop},
	}
	p.SetGroupVersionKind(v3.GroupVersion.WithKind("BGPPeer"))
	api.Default(p)
	k, _ := api.LookupKind(p.GroupVersionKind())
	return &manifest.Object{Kind: k, Object: p}
}

// sync diffs, dry-runs and applies o as a sync does, checks that Diff
// decides want, and returns the resourceVersion applied, if any.
func sync(ctx context.Context, t *testing.T, m *apply.Manager, o *manifest.Object, want apply.Action) string {
	t.Helper()
	changes, err := m.Diff(ctx, []*manifest.Object{o})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Action != want {
		t.Fatalf("Diff = %+v; want %s", changes, want)
	}
	if err := m.DryRun(ctx, changes); err != nil {
		t.Fatal(err)
	}
	applied, err := m.Apply(ctx, changes)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 {
		return ""
	}
	return applied[0].ResourceVersion
}

// read reads o's live object from the API server, with its managedFields.
func read(ctx context.Context, t *testing.T, c client.Reader, o *manifest.Object) *manifest.Object {
	t.Helper()
	l, err := live.Get(ctx, c, o.Kind, o.Object.GetNamespace(), o.Object.GetName())
	if err != nil || l == nil {
		t.Fatalf("read %s: %v, %v", o.ID(), l, err)
	}
	return l
}

// waitCached waits for the cache to hold the peer at resourceVersion rv.
func waitCached(ctx context.Context, t *testing.T, c client.Reader, rv string) {
	t.Helper()
	for {
		var p v3.BGPPeer
		if err := c.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, &p); err == nil && p.ResourceVersion == rv {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the cache never showed resourceVersion %s: %v", rv, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
