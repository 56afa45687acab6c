package webhooks

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestGuard runs the GitOps guard in the real API server: who may change
// a managed object, how breaking glass is limited to one change and to
// members of a break-glass group, how it is recorded, and which deletes
// and kinds it reviews.
func TestGuard(t *testing.T) {
	a := newAdmissionEnv(t)
	ctx := context.Background()
	a.create(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tabby-system"}})
	a.guard(t, "prod", []string{"sre-oncall"},
		peer("guarded", "192.0.2.50", 64600),
		fabric("dc1", "tor-rack7", 64513, "10.0.7.1"),
		&networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "deny-all"},
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}}},
	)
	alice, _ := a.clientAs(t, "alice")
	bob, bobWarnings := a.clientAs(t, "bob", "sre-oncall")
	carol, _ := a.clientAs(t, "carol", DefaultBreakGlassGroup)
	controller, _ := a.clientAs(t, controllerUser)
	withReason := func(reason string, as numorstring.ASNumber) func(*v3.BGPPeer) {
		return func(p *v3.BGPPeer) {
			p.Annotations = map[string]string{v1alpha1.BreakGlassAnnotation: reason}
			p.Spec.ASNumber = as
		}
	}

	t.Run("a person's change is denied, pointing at Git and at who may break glass", func(t *testing.T) {
		err := updatePeer(ctx, alice, "guarded", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64601 })
		wantDenied(t, err, "managed by NetworkSync tabby-system/prod and may only be changed through Git",
			"https://git.example.com/network.git", "path clusters/prod", "main@sha1:0123456789abcdef",
			"as a member of groups sre-oncall or tabby:break-glass, set the annotation tabby.dev/break-glass")
	})

	t.Run("the controller's own apply is admitted", func(t *testing.T) {
		applied := peer("guarded", "192.0.2.50", 64600)
		applied.APIVersion, applied.Kind = "projectcalico.org/v3", "BGPPeer"
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(applied)
		if err != nil {
			t.Fatal(err)
		}
		if err := controller.Apply(ctx, client.ApplyConfigurationFromUnstructured(&unstructured.Unstructured{Object: u}), client.FieldOwner("tabby"), client.ForceOwnership); err != nil {
			t.Errorf("the controller's apply is denied: %v", err)
		}
	})

	t.Run("the annotation is honoured only for members of a break-glass group", func(t *testing.T) {
		err := updatePeer(ctx, alice, "guarded", withReason("INC-1 said alice", 64601))
		wantDenied(t, err, "the annotation tabby.dev/break-glass is honoured only for members of groups sre-oncall or tabby:break-glass, and alice is in none")
	})

	t.Run("a reason lets one change through, not the ones after it", func(t *testing.T) {
		if err := updatePeer(ctx, bob, "guarded", withReason("INC-4711 rack 7 down", 64602)); err != nil {
			t.Fatalf("break glass by a member of the NetworkSync's group: %v", err)
		}
		if w := bobWarnings.all(); !strings.Contains(w, "break-glass change of guarded by bob (member of sre-oncall)") {
			t.Errorf("no break-glass warning: %q", w)
		}
		err := updatePeer(ctx, bob, "guarded", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64603 })
		wantDenied(t, err, "to break glass as a member of group sre-oncall, set the annotation tabby.dev/break-glass to the reason for this change",
			`the reason "INC-4711 rack 7 down" was given for an earlier change`)
		err = updatePeer(ctx, alice, "guarded", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64603 })
		wantDenied(t, err, "may only be changed through Git")
		if err := updatePeer(ctx, bob, "guarded", withReason("INC-4712 still down", 64603)); err != nil {
			t.Errorf("a second change with a reason of its own: %v", err)
		}
		if err := updatePeer(ctx, carol, "guarded", withReason("INC-4713 platform on-call", 64604)); err != nil {
			t.Errorf("break glass by a member of the controller-wide group: %v", err)
		}
	})

	t.Run("every admitted break-glass change is an Event on the NetworkSync, but not a dry-run", func(t *testing.T) {
		if err := updatePeer(ctx, bob, "guarded", withReason("DRY-RUN only", 64605), client.DryRunAll); err != nil {
			t.Fatalf("a break-glass dry-run: %v", err)
		}
		if err := updatePeer(ctx, bob, "guarded", withReason("INC-4714 rollback", 64605)); err != nil {
			t.Fatal(err)
		}
		ev := a.waitEvent(t, "INC-4714")
		if ev.Type != corev1.EventTypeWarning || ev.Reason != v1alpha1.ReasonBreakGlass || ev.Regarding.Kind != "NetworkSync" || ev.Regarding.Name != "prod" ||
			ev.Note != "bob changed projectcalico.org/BGPPeer guarded, breaking glass as a member of sre-oncall (reason: INC-4714 rollback)" {
			t.Errorf("event: type %s reason %s regarding %s/%s note %q", ev.Type, ev.Reason, ev.Regarding.Kind, ev.Regarding.Name, ev.Note)
		}
		a.waitEvent(t, "carol changed projectcalico.org/BGPPeer guarded, breaking glass as a member of tabby:break-glass (reason: INC-4713 platform on-call)")
		// Events are sent in order: those before INC-4714 are all in.
		for _, e := range a.events(t) {
			if strings.Contains(e.Note, "DRY-RUN") || strings.Contains(e.Note, "alice") {
				t.Errorf("an event for a dry-run or a denied request: %q", e.Note)
			}
		}
	})

	t.Run("networking.k8s.io NetworkPolicies are reviewed", func(t *testing.T) {
		np := &networkingv1.NetworkPolicy{}
		if err := alice.Get(ctx, client.ObjectKey{Namespace: "default", Name: "deny-all"}, np); err != nil {
			t.Fatal(err)
		}
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		wantDenied(t, alice.Update(ctx, np), "networking.k8s.io/NetworkPolicy default/deny-all is managed by NetworkSync tabby-system/prod")
	})

	t.Run("a delete breaks glass by group membership alone", func(t *testing.T) {
		np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "deny-all"}}
		wantDenied(t, alice.Delete(ctx, np), "may only be deleted through Git", "delete it as a member of groups sre-oncall or tabby:break-glass")
		// The reason an earlier change left on the object lets nobody delete it.
		wantDenied(t, alice.Delete(ctx, peer("guarded", "", 0)), "may only be deleted through Git")
		if err := bob.Delete(ctx, np); err != nil {
			t.Fatalf("a delete by a member of a break-glass group: %v", err)
		}
		a.waitEvent(t, "bob deleted networking.k8s.io/NetworkPolicy default/deny-all, breaking glass as a member of sre-oncall (a delete gives no reason)")
	})

	t.Run("deleting a Fabric is reviewed", func(t *testing.T) {
		wantDenied(t, alice.Delete(ctx, fabric("dc1", "", 0, "")), "tabby.dev/Fabric dc1 is managed by NetworkSync tabby-system/prod and may only be deleted through Git")
		wantDenied(t, alice.Create(ctx, peer("rack7-wrong", "10.0.7.1", 64512)), "tor-rack7, AS 64513 in Fabric dc1")

		// An unmanaged Fabric that live peers are checked against.
		a.create(t, fabric("lab", "lab-tor", 64700, "10.9.0.1"), peer("lab-tor", "10.9.0.1", 64700))
		a.eventually(t, func() error { return alice.Delete(ctx, fabric("lab", "", 0, ""), client.DryRunAll) },
			"Fabric lab is the only Fabric describing the routers of 1 BGPPeer (lab-tor (router lab-tor))", "delete those peers first")
		wantDenied(t, alice.Delete(ctx, fabric("lab", "", 0, "")), "only Fabric describing the routers")
		// Once another Fabric describes the router, the peer keeps its check.
		a.create(t, fabric("lab-v2", "lab-tor", 64700, "10.9.0.1"))
		a.eventually(t, func() error { return alice.Delete(ctx, fabric("lab", "", 0, ""), client.DryRunAll) }, "")
		if err := alice.Delete(ctx, fabric("lab", "", 0, "")); err != nil {
			t.Errorf("deleting a Fabric whose routers another describes: %v", err)
		}
		// The controller prunes what its validated revision dropped.
		if err := controller.Delete(ctx, fabric("lab-v2", "", 0, "")); err != nil {
			t.Errorf("the controller's prune of a Fabric: %v", err)
		}
	})
}

// guard creates objs and a NetworkSync with spec.guard whose inventory
// lists them, and waits until the webhook's cache has seen it.
func (a *admissionEnv) guard(t *testing.T, name string, groups []string, objs ...client.Object) {
	t.Helper()
	ctx := context.Background()
	a.create(t, objs...)
	var entries []v1alpha1.InventoryEntry
	for _, o := range objs {
		gvk, err := apiutil.GVKForObject(o, a.scheme)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, v1alpha1.InventoryEntry{ID: o.GetNamespace() + "_" + o.GetName() + "_" + gvk.Group + "_" + gvk.Kind, Version: gvk.GroupVersion().String()})
	}
	sync := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: name},
		Spec: v1alpha1.NetworkSyncSpec{URL: "https://git.example.com/network.git", Path: "clusters/prod",
			Guard: &v1alpha1.Guard{BreakGlassGroups: groups}},
	}
	a.create(t, sync)
	sync.Status.LastAppliedRevision = "main@sha1:0123456789abcdef"
	sync.Status.Inventory = v1alpha1.NewResourceInventory(entries)
	if err := a.admin.Status().Update(ctx, sync); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		seen := &v1alpha1.NetworkSync{}
		if err := a.cached.Get(ctx, client.ObjectKeyFromObject(sync), seen); err == nil && seen.Status.Inventory != nil {
			return
		}
	}
	t.Fatal("the webhook's cache never saw the NetworkSync's inventory")
}

func (a *admissionEnv) create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := a.admin.Create(context.Background(), o); err != nil {
			t.Fatalf("create %s: %v", o.GetName(), err)
		}
	}
}

// eventually retries op, a dry-run, until its error contains every one of
// want, or until it succeeds when want is empty: the webhook checks
// against its cache, which follows the API server.
func (a *admissionEnv) eventually(t *testing.T, op func() error, want ...string) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		err = op()
		if matches(err, want) {
			return
		}
	}
	t.Fatalf("err = %v, want %q", err, want)
}

func matches(err error, want []string) bool {
	if len(want) == 1 && want[0] == "" {
		return err == nil
	}
	if err == nil {
		return false
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			return false
		}
	}
	return true
}

// waitEvent waits for an Event in tabby-system whose note contains text.
func (a *admissionEnv) waitEvent(t *testing.T, text string) eventsv1.Event {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, e := range a.events(t) {
			if strings.Contains(e.Note, text) {
				return e
			}
		}
	}
	t.Fatalf("no event says %q; events: %+v", text, a.events(t))
	return eventsv1.Event{}
}

func (a *admissionEnv) events(t *testing.T) []eventsv1.Event {
	t.Helper()
	var list eventsv1.EventList
	if err := a.admin.List(context.Background(), &list, client.InNamespace("tabby-system")); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func wantDenied(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("admitted; want a denial saying %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("denial %q does not say %q", err, w)
		}
	}
}

func fabric(name, router string, as numorstring.ASNumber, addr string) *v1alpha1.Fabric {
	f := &v1alpha1.Fabric{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if router != "" {
		f.Spec.Routers = []v1alpha1.FabricRouter{{Name: router, ASNumber: as, Addresses: []string{addr}}}
	}
	return f
}
