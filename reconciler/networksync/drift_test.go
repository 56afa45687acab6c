package networksync

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	eventsv1 "k8s.io/api/events/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// k8sPolicy is a Kubernetes NetworkPolicy that leaves out what the API
// server defaults: policyTypes and a port's protocol.
const k8sPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: frontend
spec:
  podSelector:
    matchLabels:
      app: frontend
  ingress:
    - ports:
        - port: 8080
`

// TestDrift walks one NetworkSync through drift against a real API server:
// what the server defaults is not drift; an out-of-band edit, a deletion
// and a hand-made object are reported with field, values, manager and
// time; driftPolicy Report leaves them as the cluster has them, even
// through a sync; Correct restores them and records the correction. Each
// step builds on the state the one before left.
func TestDrift(t *testing.T) {
	h := newHarness(t)
	h.files["clusters/prod/allow-web.yaml"] = k8sPolicy
	h.files["clusters/prod/kustomization.yaml"] = strings.Replace(h.files["clusters/prod/kustomization.yaml"],
		"  - nodes/rack6-node1.yaml", "  - allow-web.yaml\n  - nodes/rack6-node1.yaml", 1)
	head := h.repo.Commit("main", h.files, gitserver.Message("add a Kubernetes NetworkPolicy"))
	h.newSync("prod", func(o *v1alpha1.NetworkSync) { o.Spec.DriftPolicy = v1alpha1.DriftReport })
	ctx := context.Background()

	t.Run("server defaults are not drift", func(t *testing.T) {
		h := h.with(t)
		h.waitApplied("prod", head)
		obj := h.waitFor("prod", "status", func(*v1alpha1.NetworkSync) bool { return true })
		if obj.Status.Drift != nil {
			t.Errorf("status.drift after the first sync: %+v", obj.Status.Drift)
		}
		// tabby's own writes are not checked; another manager's label makes
		// the tracker compare the policy the server defaulted with Git's.
		np := &networkingv1.NetworkPolicy{}
		h.get(np, "frontend", "allow-web")
		np.Labels = map[string]string{"team": "web"}
		if err := h.c.Update(ctx, np, client.FieldOwner("labeler")); err != nil {
			t.Fatal(err)
		}
		kind, _ := api.LookupKind(networkingv1.SchemeGroupVersion.WithKind("NetworkPolicy"))
		h.waitChecked(objRef{kind: kind, namespace: "frontend", name: "allow-web"}, np.ResourceVersion)
		if rep := h.rec.drift.report(client.ObjectKey{Namespace: syncNamespace, Name: "prod"}); !rep.Empty() {
			t.Errorf("drift after the first sync: %+v", rep.Items)
		}
		c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionDrifted)
		if c == nil || c.Status != metav1.ConditionFalse || c.Reason != v1alpha1.ReasonNoDrift {
			t.Errorf("Drifted condition: %+v", c)
		}
		if len(np.Spec.PolicyTypes) != 1 || np.Spec.Ingress[0].Ports[0].Protocol == nil {
			t.Fatalf("the API server did not default the policy: %+v", np.Spec)
		}
	})

	var editedAt time.Time
	t.Run("an out-of-band edit is reported with field, values, manager and time", func(t *testing.T) {
		h := h.with(t)
		// Another manager's label is not drift: tabby does not set it.
		h.editPeer("tor-rack7", "labeler", func(p *v3.BGPPeer) { p.Labels = map[string]string{"team": "network"} })
		editedAt = time.Now().Truncate(time.Second)
		// First-seen times are the controller's clock, not the server's.
		h.clock.advance(time.Hour)
		seenAfter := h.clock.now().Truncate(time.Second)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64999 })
		obj := h.waitDrift("prod", "tor-rack7 drifted", func(d *v1alpha1.DriftStatus) bool { return d.Modified == 1 })
		it := item(t, obj, "projectcalico.org/BGPPeer tor-rack7")
		if it.Type != "Modified" || len(it.Fields) != 1 || it.Fields[0] != (v1alpha1.DriftField{Path: "spec.asNumber", Desired: "64513", Live: "64999"}) {
			t.Errorf("item: %+v", it)
		}
		if it.Manager != "kubectl-edit" || it.Operation != "Update" || it.ChangedAt == nil || it.ChangedAt.Time.Before(editedAt) {
			t.Errorf("attribution: manager %q operation %q at %v; want kubectl-edit, Update, after %v", it.Manager, it.Operation, it.ChangedAt, editedAt)
		}
		if it.FirstSeen.Time.Before(seenAfter) || it.Source != "base/bgp/peer-tor-rack7.yaml:5" {
			t.Errorf("first seen %v (edit at %v by the controller's clock), source %q", it.FirstSeen, seenAfter, it.Source)
		}
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionDrifted); c == nil || c.Status != metav1.ConditionTrue || c.Reason != v1alpha1.ReasonDriftDetected {
			t.Errorf("Drifted condition: %+v", c)
		}
		if got := testutil.ToFloat64(h.rec.Metrics.DriftObjects.WithLabelValues(syncNamespace, "prod", "Modified")); got != 1 {
			t.Errorf("tabby_drift_objects{type=Modified} = %v", got)
		}
		h.waitEvent(v1alpha1.ReasonDriftDetected, "spec.asNumber: Git 64513, cluster 64999")
	})

	t.Run("a hand-made policy is unmanaged and a deleted one is reported", func(t *testing.T) {
		h := h.with(t)
		gnp := &v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "default.hotfix"}, Spec: v3.GlobalNetworkPolicySpec{Tier: "default", Selector: "all()"}}
		if err := h.c.Create(ctx, gnp, client.FieldOwner("ops-console")); err != nil {
			t.Fatal(err)
		}
		h.deleteObject(&v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "security.block-metadata"}})
		obj := h.waitDrift("prod", "unmanaged and deleted", func(d *v1alpha1.DriftStatus) bool { return d.Unmanaged == 1 && d.Deleted == 1 })
		if it := item(t, obj, "projectcalico.org/GlobalNetworkPolicy default.hotfix"); it.Type != "Unmanaged" || it.Manager != "ops-console" {
			t.Errorf("unmanaged item: %+v", it)
		}
		if it := item(t, obj, "projectcalico.org/GlobalNetworkPolicy security.block-metadata"); it.Type != "Deleted" {
			t.Errorf("deleted item: %+v", it)
		}
	})

	t.Run("a policy another NetworkSync's inventory lists is not unmanaged", func(t *testing.T) {
		h := h.with(t)
		gnp := &v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "default.other-team"}, Spec: v3.GlobalNetworkPolicySpec{Tier: "default", Selector: "all()"}}
		id := inventory.ObjMeta{Name: gnp.Name, GroupVersionKind: v3.GroupVersion.WithKind("GlobalNetworkPolicy")}.ID()
		other := h.suspendedSyncListing("other", []v1alpha1.InventoryEntry{{ID: id, Version: v3.GroupVersion.String()}})
		if err := h.c.Create(ctx, gnp, client.FieldOwner("ops-console")); err != nil {
			t.Fatal(err)
		}
		kind, _ := api.LookupKind(v3.GroupVersion.WithKind("GlobalNetworkPolicy"))
		h.waitChecked(objRef{kind: kind, name: gnp.Name}, gnp.ResourceVersion)
		rep := h.rec.drift.report(client.ObjectKey{Namespace: syncNamespace, Name: "prod"})
		var unmanaged []string
		for _, it := range rep.Items {
			if it.Type == drift.Unmanaged {
				unmanaged = append(unmanaged, it.Subject)
			}
		}
		if !sameSet(unmanaged, []string{"projectcalico.org/GlobalNetworkPolicy default.hotfix"}) {
			t.Errorf("unmanaged: %v; want only default.hotfix (NetworkSync other lists default.other-team)", unmanaged)
		}
		h.deleteObject(gnp)
		h.deleteObject(other)
	})

	t.Run("under Report a sync holds the drift", func(t *testing.T) {
		h := h.with(t)
		h.requestSync("prod")
		obj := h.waitFor("prod", "the forced sync", handled)
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "0 configured") || !strings.Contains(msg, "2 held") {
			t.Errorf("Ready message %q: want the peer and the deleted policy held", msg)
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		if peer.Spec.ASNumber != 64999 || h.get(&v3.GlobalNetworkPolicy{}, "", "security.block-metadata") {
			t.Errorf("Report changed the cluster: ASN %d, deleted policy restored", peer.Spec.ASNumber)
		}
		if d := obj.Status.Drift; d == nil || d.Modified != 1 || d.Deleted != 1 || d.Unmanaged != 1 || d.LastCorrection != nil {
			t.Errorf("status.drift after the sync: %+v", d)
		}
	})

	t.Run("under Report a Git change to a drifted object is applied", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("tune rack 7 keepalive", h.replace("base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64513\n  keepaliveTime: 30s"))
		h.requestSync("prod")
		obj := h.waitApplied("prod", commit)
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "1 configured") || !strings.Contains(msg, "1 held") {
			t.Errorf("Ready message %q: want the peer configured and the deleted policy held", msg)
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		if peer.Spec.ASNumber != 64513 || peer.Spec.KeepaliveTime == nil {
			t.Errorf("peer: %+v", peer.Spec)
		}
		if d := obj.Status.Drift; d == nil || d.Modified != 0 || d.Deleted != 1 {
			t.Errorf("status.drift: %+v", d)
		}
	})

	t.Run("switching to Correct restores the drift and records it", func(t *testing.T) {
		h := h.with(t)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64999 })
		h.waitDrift("prod", "tor-rack7 drifted again", func(d *v1alpha1.DriftStatus) bool { return d.Modified == 1 })
		h.setDriftPolicy("prod", v1alpha1.DriftCorrect)
		obj := h.waitDrift("prod", "the correction", func(d *v1alpha1.DriftStatus) bool {
			return d.Modified == 0 && d.Deleted == 0 && d.LastCorrection != nil
		})
		lc := obj.Status.Drift.LastCorrection
		want := []string{"Deleted projectcalico.org/GlobalNetworkPolicy security.block-metadata", "Modified projectcalico.org/BGPPeer tor-rack7"}
		if lc.Count != 2 || !sameSet(lc.Objects, want) {
			t.Errorf("lastCorrection: %+v, want %v", lc, want)
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		if peer.Spec.ASNumber != 64513 || peer.Labels["team"] != "network" {
			t.Errorf("peer after the correction: ASN %d, labels %v (the other manager's label must stay)", peer.Spec.ASNumber, peer.Labels)
		}
		if !h.get(&v3.GlobalNetworkPolicy{}, "", "security.block-metadata") {
			t.Error("the deleted policy was not restored")
		}
		if !h.get(&v3.GlobalNetworkPolicy{}, "", "default.hotfix") || obj.Status.Drift.Unmanaged != 1 {
			t.Errorf("the unmanaged policy must stay and stay reported: %+v", obj.Status.Drift)
		}
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionDrifted); c == nil || c.Status != metav1.ConditionTrue {
			t.Errorf("Drifted condition with an unmanaged object: %+v", c)
		}
		h.waitEvent(v1alpha1.ReasonDriftCorrected, "security.block-metadata")
	})

	t.Run("under Correct an edit is undone without a sync", func(t *testing.T) {
		h := h.with(t)
		before := h.waitFor("prod", "status", func(*v1alpha1.NetworkSync) bool { return true })
		h.editPeer("tor-rack6", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.PeerIP = "10.0.6.99" })
		obj := h.waitDrift("prod", "tor-rack6 corrected", func(d *v1alpha1.DriftStatus) bool {
			return d.LastCorrection != nil && sameSet(d.LastCorrection.Objects, []string{"Modified projectcalico.org/BGPPeer tor-rack6"})
		})
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack6")
		if peer.Spec.PeerIP != "10.0.6.1" {
			t.Errorf("peerIP = %s", peer.Spec.PeerIP)
		}
		if len(obj.Status.History) != len(before.Status.History) || obj.Status.History[0].StartedAt != before.Status.History[0].StartedAt {
			t.Errorf("a correction ran a sync: history %+v", obj.Status.History)
		}
	})

	t.Run("under Correct a deleted peer is re-created", func(t *testing.T) {
		h := h.with(t)
		old := &v3.BGPPeer{}
		h.get(old, "", "tor-rack6")
		h.clock.advance(maxCorrectionDelay + correctionWindow) // past the backoff of the last correction
		h.deleteObject(old.DeepCopy())
		h.waitDrift("prod", "tor-rack6 re-created", func(d *v1alpha1.DriftStatus) bool {
			return d.LastCorrection != nil && sameSet(d.LastCorrection.Objects, []string{"Deleted projectcalico.org/BGPPeer tor-rack6"})
		})
		peer := &v3.BGPPeer{}
		if !h.get(peer, "", "tor-rack6") || peer.UID == old.UID {
			t.Errorf("peer not re-created: uid %s, was %s", peer.UID, old.UID)
		}
	})
}

// editPeer updates a BGPPeer as field manager manager, as kubectl edit
// does: a read, a change and an Update.
func (h *harness) editPeer(name, manager string, edit func(*v3.BGPPeer)) {
	h.t.Helper()
	peer := &v3.BGPPeer{}
	h.get(peer, "", name)
	edit(peer)
	if err := h.c.Update(context.Background(), peer, client.FieldOwner(manager)); err != nil {
		h.t.Fatalf("edit BGPPeer %s: %v", name, err)
	}
}

func (h *harness) deleteObject(obj client.Object) {
	h.t.Helper()
	if err := h.c.Delete(context.Background(), obj); err != nil {
		h.t.Fatalf("delete %s: %v", obj.GetName(), err)
	}
}

// waitChecked waits until NetworkSync prod's reconcile has checked the
// object at resourceVersion rv.
func (h *harness) waitChecked(ref objRef, rv string) {
	h.t.Helper()
	key := client.ObjectKey{Namespace: syncNamespace, Name: "prod"}
	deadline := time.Now().Add(waitTimeout)
	for {
		h.rec.drift.mu.Lock()
		w := h.rec.drift.syncs[key]
		done := w != nil && w.checked[ref] == rv
		h.rec.drift.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the drift tracker did not check %s at resourceVersion %s", ref.id(), rv)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// suspendedSyncListing creates a suspended NetworkSync whose status
// inventory lists entries, as one the controller has not synced since a
// restart would, and waits until the controller's cache holds it.
func (h *harness) suspendedSyncListing(name string, entries []v1alpha1.InventoryEntry) *v1alpha1.NetworkSync {
	h.t.Helper()
	h.newSync(name, func(o *v1alpha1.NetworkSync) { o.Spec.Suspend = true })
	h.waitFor(name, "Suspended", func(o *v1alpha1.NetworkSync) bool {
		c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
		return c != nil && c.Reason == v1alpha1.ReasonSuspended
	})
	inventory := v1alpha1.NewResourceInventory(entries)
	obj := &v1alpha1.NetworkSync{}
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		h.get(obj, syncNamespace, name)
		obj.Status.Inventory = inventory
		return h.c.Status().Update(context.Background(), obj)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	for deadline := time.Now().Add(waitTimeout); ; time.Sleep(10 * time.Millisecond) {
		cached := &v1alpha1.NetworkSync{}
		err := h.mgr.GetCache().Get(context.Background(), client.ObjectKeyFromObject(obj), cached)
		if err == nil && cached.Status.Inventory != nil && *cached.Status.Inventory == *inventory {
			return obj
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the controller's cache does not show the inventory of NetworkSync %s: %v", name, err)
		}
	}
}

// setDriftPolicy changes a NetworkSync's driftPolicy.
func (h *harness) setDriftPolicy(name string, p v1alpha1.DriftPolicy) {
	h.t.Helper()
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, name)
	patch := client.MergeFrom(obj.DeepCopy())
	obj.Spec.DriftPolicy = p
	if err := h.c.Patch(context.Background(), obj, patch); err != nil {
		h.t.Fatal(err)
	}
}

// waitDrift waits until the NetworkSync's status.drift satisfies cond.
func (h *harness) waitDrift(name, what string, cond func(*v1alpha1.DriftStatus) bool) *v1alpha1.NetworkSync {
	h.t.Helper()
	return h.waitFor(name, what, func(o *v1alpha1.NetworkSync) bool {
		return o.Status.Drift != nil && cond(o.Status.Drift)
	})
}

// waitEvent waits for an event of the NetworkSync with reason whose note
// contains text.
func (h *harness) waitEvent(reason, text string) {
	h.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var seen []string
	for time.Now().Before(deadline) {
		var events eventsv1.EventList
		if err := h.c.List(context.Background(), &events, client.InNamespace(syncNamespace)); err != nil {
			h.t.Fatal(err)
		}
		seen = seen[:0]
		for _, e := range events.Items {
			if e.Reason == reason && strings.Contains(e.Note, text) {
				return
			}
			seen = append(seen, e.Reason+": "+e.Note)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("no %s event containing %q; events: %q", reason, text, seen)
}

// handled reports whether the NetworkSync handled the last reconcile
// request: the sync it started has ended.
func handled(o *v1alpha1.NetworkSync) bool {
	return o.Annotations[v1alpha1.ReconcileRequestAnnotation] == o.Status.LastHandledReconcileAt && settled(o)
}

// item returns the status item of subject.
func item(t *testing.T, obj *v1alpha1.NetworkSync, subject string) v1alpha1.DriftItem {
	t.Helper()
	for _, it := range obj.Status.Drift.Items {
		if it.Subject == subject {
			return it
		}
	}
	t.Fatalf("no drift item %q in %+v", subject, obj.Status.Drift.Items)
	return v1alpha1.DriftItem{}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		if m[s] == 0 {
			return false
		}
		m[s]--
	}
	return true
}

// TestDriftAfterRestart checks driftPolicy Report when the controller has
// forgotten what it applied, as after a restart: the last applied revision
// is fetched and rendered again to tell Git's changes from drift, and a
// revision Git no longer has (history rewritten) is applied whole, with an
// event that says so.
func TestDriftAfterRestart(t *testing.T) {
	h := newHarness(t)
	head := h.repo.Commit("main", h.files, gitserver.Message("current head"))
	h.newSync("prod", func(o *v1alpha1.NetworkSync) { o.Spec.DriftPolicy = v1alpha1.DriftReport })
	h.waitApplied("prod", head)
	key := client.ObjectKey{Namespace: syncNamespace, Name: "prod"}

	t.Run("a revision Git no longer has is applied whole", func(t *testing.T) {
		h := h.with(t)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64999 })
		h.waitDrift("prod", "tor-rack7 drifted", func(d *v1alpha1.DriftStatus) bool { return d.Modified == 1 })
		commit := h.commit("rewrite history: tune rack 6", h.replaceKeepalive(25), gitserver.Amend())
		h.rec.drift.untrack(key) // as after a restart
		h.requestSync("prod")
		obj := h.waitApplied("prod", commit)
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "2 configured") || strings.Contains(msg, "held") {
			t.Errorf("Ready message %q: want both peers configured", msg)
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		if peer.Spec.ASNumber != 64513 {
			t.Errorf("ASN %d: the revision was not applied whole", peer.Spec.ASNumber)
		}
		h.waitEvent(v1alpha1.ReasonPreviousRevisionUnreadable, head)
	})

	t.Run("the last applied revision tells Git's changes from drift", func(t *testing.T) {
		h := h.with(t)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.ASNumber = 64999 })
		before := h.waitDrift("prod", "tor-rack7 drifted", func(d *v1alpha1.DriftStatus) bool { return d.Modified == 1 })
		firstSeen := item(t, before, "projectcalico.org/BGPPeer tor-rack7").FirstSeen
		commit := h.commit("tune rack 6", h.replaceKeepalive(40))
		// First-seen times have seconds: one taken after this would differ.
		h.clock.advance(2 * time.Second)
		h.rec.drift.untrack(key) // as after a restart
		h.requestSync("prod")
		obj := h.waitApplied("prod", commit)
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "1 configured") || !strings.Contains(msg, "1 held") {
			t.Errorf("Ready message %q: want rack 6's peer configured and rack 7's held", msg)
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		if peer.Spec.ASNumber != 64999 {
			t.Errorf("ASN %d: Report changed a drifted object Git did not change", peer.Spec.ASNumber)
		}
		if d := obj.Status.Drift; d == nil || d.Modified != 1 {
			t.Fatalf("status.drift: %+v", d)
		}
		if it := item(t, obj, "projectcalico.org/BGPPeer tor-rack7"); !it.FirstSeen.Equal(&firstSeen) {
			t.Errorf("first seen %v after the restart, was %v: the drift began before it", it.FirstSeen, firstSeen)
		}
	})
}

// TestDriftWhileStalled checks that while the latest revision is refused
// (Stalled), drift is still corrected, to the last applied revision, and
// that a drift report does not retry the refused revision.
func TestDriftWhileStalled(t *testing.T) {
	h := newHarness(t)
	head := h.repo.Commit("main", h.files, gitserver.Message("current head"))
	h.newSync("prod")
	h.waitApplied("prod", head)
	bad := h.commit("copy rack 6's ASN to rack 7", h.replace("base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64512"))
	h.requestSync("prod")
	before := h.waitFailed("prod", bad, v1alpha1.ReasonValidationFailed)

	h.editPeer("tor-rack6", "kubectl-edit", func(p *v3.BGPPeer) { p.Spec.PeerIP = "10.0.6.99" })
	obj := h.waitDrift("prod", "tor-rack6 corrected", func(d *v1alpha1.DriftStatus) bool {
		return d.LastCorrection != nil && sameSet(d.LastCorrection.Objects, []string{"Modified projectcalico.org/BGPPeer tor-rack6"})
	})
	peer := &v3.BGPPeer{}
	h.get(peer, "", "tor-rack6")
	if peer.Spec.PeerIP != "10.0.6.1" || !strings.HasSuffix(obj.Status.Drift.LastCorrection.Revision, head) {
		t.Errorf("peerIP %s, corrected to %s: want the last applied revision's 10.0.6.1", peer.Spec.PeerIP, obj.Status.Drift.LastCorrection.Revision)
	}
	if len(obj.Status.History) != len(before.Status.History) || obj.Status.History[0].StartedAt != before.Status.History[0].StartedAt {
		t.Errorf("a drift report retried the refused revision: history %+v", obj.Status.History)
	}
	if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); c.Reason != v1alpha1.ReasonValidationFailed {
		t.Errorf("Ready: %+v", c)
	}
}
