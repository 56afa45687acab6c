package networksync

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// networkSet is a GlobalNetworkSet manifest, with annotations given as
// "key: value" lines.
func networkSet(name, cidr string, annotations ...string) string {
	s := "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: " + name + "\n  labels: {role: " + name + "}\n"
	if len(annotations) > 0 {
		s += "  annotations:\n"
		for _, a := range annotations {
			s += "    " + a + "\n"
		}
	}
	return s + "spec:\n  nets: [" + cidr + "]\n"
}

// kustomization lists resources.
func kustomization(resources ...string) string {
	return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [" + strings.Join(resources, ", ") + "]\n"
}

func ptr[T any](v T) *T { return &v }

// ownedBy returns the live marker and field managers of a GlobalNetworkSet,
// or ok false when it is gone.
func (h *harness) liveSet(name string) (set *v3.GlobalNetworkSet, ok bool) {
	h.t.Helper()
	set = &v3.GlobalNetworkSet{}
	return set, h.get(set, "", name)
}

func managers(o client.Object) []string {
	var out []string
	for _, e := range o.GetManagedFields() {
		out = append(out, e.Manager+"/"+string(e.Operation))
	}
	return out
}

// readyMessage is the message of the Ready condition.
func readyMessage(o *v1alpha1.NetworkSync) string {
	if c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady); c != nil {
		return c.Message
	}
	return ""
}

// TestOwnershipAcrossNetworkSyncs syncs two NetworkSyncs from two paths of
// one repository. A commit on B's path that declares A's object is refused
// with a finding naming A, and changes nothing; with the adopt annotation B
// takes it over, and A stops applying it and forgets it without deleting
// it; B's prune deletes it later because B's marker is on it. An object
// made by hand is refused likewise, naming its field manager.
func TestOwnershipAcrossNetworkSyncs(t *testing.T) {
	files := map[string]string{
		"a/kustomization.yaml": kustomization("sets.yaml"),
		"a/sets.yaml": networkSet("shared-1", "10.1.0.0/24") + "---\n" + networkSet("shared-2", "10.2.0.0/24") + "---\n" +
			networkSet("a-keep-1", "10.3.0.0/24") + "---\n" + networkSet("a-keep-2", "10.4.0.0/24"),
		"b/kustomization.yaml": kustomization("own.yaml"),
		"b/own.yaml":           networkSet("b-own-1", "10.5.0.0/24") + "---\n" + networkSet("b-own-2", "10.6.0.0/24"),
	}
	h := newHarnessWith(t, files, nil, nil)
	head := h.repo.Commit("main", h.files)
	guard := func(o *v1alpha1.NetworkSync) { o.Spec.PruneGuard = &v1alpha1.PruneGuard{MaxPercent: ptr(int32(100))} }
	h.newSync("a", func(o *v1alpha1.NetworkSync) { o.Spec.Path = "a" }, guard)
	h.newSync("b", func(o *v1alpha1.NetworkSync) { o.Spec.Path = "b" }, guard)
	h.waitApplied("a", head)
	h.waitApplied("b", head)

	set, _ := h.liveSet("shared-1")
	if got := set.Annotations[v1alpha1.OwnerAnnotation]; got != "tabby-system/a" {
		t.Fatalf("marker of A's object = %q, want tabby-system/a", got)
	}
	if m := managers(set); !slices.Contains(m, "tabby/tabby-system/a/Apply") || slices.Contains(m, "tabby/Apply") {
		t.Fatalf("field managers of A's object: %v", m)
	}

	t.Run("B declaring A's object is refused, naming A; nothing is applied", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("b: take shared-1", map[string]*string{
			"b/kustomization.yaml": ptr(kustomization("own.yaml", "shared.yaml")),
			"b/shared.yaml":        ptr(networkSet("shared-1", "10.99.0.0/24")),
			"b/own.yaml":           ptr(networkSet("b-own-1", "10.5.0.0/24") + "---\n" + networkSet("b-own-2", "10.66.0.0/24")),
		})
		h.requestSync("b")
		obj := h.waitFailed("b", commit, v1alpha1.ReasonOwnershipConflict)
		want := "b/shared.yaml:1: error ownership-conflict: the object exists and is not this NetworkSync's: it belongs to NetworkSync tabby-system/a"
		if msg := readyMessage(obj); !strings.Contains(msg, want) || !strings.Contains(msg, "nothing was applied") {
			t.Errorf("Ready message %q does not say %q", msg, want)
		}
		if obj.Status.Findings == nil || obj.Status.Findings.Errors != 1 || !strings.HasPrefix(obj.Status.Findings.Items[0], want) {
			t.Errorf("findings %+v", obj.Status.Findings)
		}
		if !meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionStalled) {
			t.Error("an ownership conflict is not Stalled")
		}
		if inInventory(obj, "shared-1") {
			t.Error("the refused object joined B's inventory")
		}
		set, _ := h.liveSet("shared-1")
		if set.Annotations[v1alpha1.OwnerAnnotation] != "tabby-system/a" || set.Spec.Nets[0] != "10.1.0.0/24" {
			t.Errorf("A's object changed: marker %q, nets %v", set.Annotations[v1alpha1.OwnerAnnotation], set.Spec.Nets)
		}
		if own, _ := h.liveSet("b-own-2"); own.Spec.Nets[0] != "10.6.0.0/24" {
			t.Errorf("B's other change was applied: %v", own.Spec.Nets)
		}
		h.waitEvent(v1alpha1.ReasonOwnershipConflict, "NetworkSync tabby-system/a")
	})

	t.Run("with the adopt annotation B takes it over; A forgets it without deleting it", func(t *testing.T) {
		h := h.with(t)
		// A waits, so that it meets B's adoption with shared-1 still in
		// its Git and shared-2 still in its inventory.
		h.setSuspend("a", true)
		adopt := v1alpha1.AdoptAnnotation + `: "true"`
		commit := h.commit("b adopts shared-1 and shared-2; a drops shared-2", map[string]*string{
			"b/kustomization.yaml": ptr(kustomization("own.yaml", "shared.yaml")),
			"b/shared.yaml":        ptr(networkSet("shared-1", "10.99.0.0/24", adopt) + "---\n" + networkSet("shared-2", "10.2.0.0/24", adopt)),
			"a/sets.yaml":          ptr(networkSet("shared-1", "10.1.0.0/24") + "---\n" + networkSet("a-keep-1", "10.3.0.0/24") + "---\n" + networkSet("a-keep-2", "10.4.0.0/24")),
		})
		h.requestSync("b")
		obj := h.waitApplied("b", commit)
		if !inInventory(obj, "shared-1") || !inInventory(obj, "shared-2") {
			t.Fatal("the adopted objects are not in B's inventory")
		}
		set, _ := h.liveSet("shared-1")
		if set.Annotations[v1alpha1.OwnerAnnotation] != "tabby-system/b" || !slices.Equal(set.Spec.Nets, []string{"10.99.0.0/24"}) {
			t.Fatalf("after adoption: marker %q, nets %v (managers %v)", set.Annotations[v1alpha1.OwnerAnnotation], set.Spec.Nets, managers(set))
		}
		if m := managers(set); slices.Contains(m, "tabby/tabby-system/a/Apply") {
			t.Errorf("A's field manager still owns fields of the adopted object: %v", m)
		}
		h.waitEvent(v1alpha1.EventAdopted, "adopted projectcalico.org/GlobalNetworkSet shared-1 (b/shared.yaml:1) from NetworkSync tabby-system/a")

		// A's Git still declares shared-1: A does not apply it, refuses
		// the revision, and forgets it.
		h.setSuspend("a", false)
		obj = h.waitFailed("a", commit, v1alpha1.ReasonOwnershipConflict)
		if inInventory(obj, "shared-1") {
			t.Error("A still lists the object B adopted")
		}
		h.waitEvent(v1alpha1.EventReleased, "projectcalico.org/GlobalNetworkSet shared-1 left the inventory without being deleted: NetworkSync tabby-system/b adopted it")
		if set, _ := h.liveSet("shared-1"); !slices.Equal(set.Spec.Nets, []string{"10.99.0.0/24"}) {
			t.Errorf("A applied the object B adopted: %v", set.Spec.Nets)
		}

		// A's Git drops shared-1 too: A's prune of shared-2, which B's
		// marker names, leaves it in place.
		commit = h.commit("a: drop shared-1", map[string]*string{
			"a/sets.yaml": ptr(networkSet("a-keep-1", "10.3.0.0/24") + "---\n" + networkSet("a-keep-2", "10.4.0.0/24")),
		})
		h.requestSync("a")
		obj = h.waitApplied("a", commit)
		if inInventory(obj, "shared-2") || inInventory(obj, "shared-1") {
			t.Error("A still lists objects B adopted")
		}
		for _, name := range []string{"shared-1", "shared-2"} {
			if set, ok := h.liveSet(name); !ok || set.Annotations[v1alpha1.OwnerAnnotation] != "tabby-system/b" {
				t.Errorf("%s after A's prune: exists %t, marker %q", name, ok, set.Annotations[v1alpha1.OwnerAnnotation])
			}
		}
		h.waitEvent(v1alpha1.EventReleased, "projectcalico.org/GlobalNetworkSet shared-2 left Git and the inventory but was not deleted: it belongs to NetworkSync tabby-system/b")
	})

	t.Run("B's prune deletes what B's marker names", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("b: drop the adopted sets", map[string]*string{
			"b/kustomization.yaml": ptr(kustomization("own.yaml")),
			"b/shared.yaml":        nil,
		})
		h.requestSync("b")
		obj := h.waitApplied("b", commit)
		if !strings.Contains(readyMessage(obj), "2 pruned") {
			t.Errorf("Ready message %q", readyMessage(obj))
		}
		for _, name := range []string{"shared-1", "shared-2"} {
			if _, ok := h.liveSet(name); ok {
				t.Errorf("B did not prune %s", name)
			}
		}
	})

	t.Run("an object made by hand is refused, naming its field manager", func(t *testing.T) {
		h := h.with(t)
		hand := &v3.GlobalNetworkSet{ObjectMeta: metav1.ObjectMeta{Name: "by-hand"}, Spec: v3.NetworkSetSpec{Nets: []string{"10.7.0.0/24"}}}
		if err := h.c.Create(context.Background(), hand, client.FieldOwner("kubectl-client-side-apply")); err != nil {
			t.Fatal(err)
		}
		commit := h.commit("b: declare the set made by hand", map[string]*string{
			"b/kustomization.yaml": ptr(kustomization("own.yaml", "hand.yaml")),
			"b/hand.yaml":          ptr(networkSet("by-hand", "10.77.0.0/24")),
		})
		h.requestSync("b")
		obj := h.waitFailed("b", commit, v1alpha1.ReasonOwnershipConflict)
		if msg := readyMessage(obj); !strings.Contains(msg, "b/hand.yaml:1: error ownership-conflict: the object exists and is not this NetworkSync's: it belongs to no NetworkSync; field managers kubectl-client-side-apply (Update 20") {
			t.Errorf("Ready message %q", msg)
		}
		if set, _ := h.liveSet("by-hand"); set.Spec.Nets[0] != "10.7.0.0/24" || set.Annotations[v1alpha1.OwnerAnnotation] != "" {
			t.Errorf("the object made by hand changed: %v, %v", set.Spec.Nets, set.Annotations)
		}
	})
}

// TestLegacyOwnershipMigration upgrades an object applied the way tabby did
// before field managers were per NetworkSync (the shared manager tabby, no
// marker): the first sync marks it and hands the legacy manager's fields
// to the NetworkSync's, so that a field later removed from Git is removed
// from the object, which server-side apply would not do were the legacy
// manager still to own it.
func TestLegacyOwnershipMigration(t *testing.T) {
	legacy := "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: legacy\n  labels: {team: net, retired: \"yes\"}\nspec:\n  nets: [10.8.0.0/24]\n"
	files := map[string]string{"a/kustomization.yaml": kustomization("legacy.yaml"), "a/legacy.yaml": legacy}
	h := newHarnessWith(t, files, nil, nil)
	head := h.repo.Commit("main", h.files)

	// As tabby applied it before: server-side apply as "tabby".
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("projectcalico.org/v3")
	u.SetKind("GlobalNetworkSet")
	u.SetName("legacy")
	u.SetLabels(map[string]string{"team": "net", "retired": "yes"})
	if err := unstructured.SetNestedStringSlice(u.Object, []string{"10.8.0.0/24"}, "spec", "nets"); err != nil {
		t.Fatal(err)
	}
	if err := h.c.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(v1alpha1.LegacyFieldManager), client.ForceOwnership); err != nil {
		t.Fatal(err)
	}
	h.suspendedSyncListing("a", []v1alpha1.InventoryEntry{{ID: "_legacy_projectcalico.org_GlobalNetworkSet", Version: "projectcalico.org/v3"}})
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, "a")
	patch := client.MergeFrom(obj.DeepCopy())
	obj.Spec.Path, obj.Spec.Suspend = "a", false
	if err := h.c.Patch(context.Background(), obj, patch); err != nil {
		t.Fatal(err)
	}
	h.waitApplied("a", head)

	set, _ := h.liveSet("legacy")
	if got := set.Annotations[v1alpha1.OwnerAnnotation]; got != "tabby-system/a" {
		t.Errorf("marker after the upgrade = %q", got)
	}
	if m := managers(set); slices.Contains(m, "tabby/Apply") || !slices.Contains(m, "tabby/tabby-system/a/Apply") {
		t.Errorf("field managers after the upgrade: %v", m)
	}

	// The network changes too: an object that still holds everything Git
	// sets is not applied again.
	retired := strings.Replace(strings.Replace(legacy, `, retired: "yes"`, "", 1), "10.8.0.0/24", "10.18.0.0/24", 1)
	commit := h.commit("retire the label, move the set", map[string]*string{"a/legacy.yaml": &retired})
	h.requestSync("a")
	h.waitApplied("a", commit)
	set, _ = h.liveSet("legacy")
	if _, ok := set.Labels["retired"]; ok || set.Labels["team"] != "net" || !slices.Equal(set.Spec.Nets, []string{"10.18.0.0/24"}) {
		t.Errorf("after the label left Git and the network changed: labels %v, nets %v (managers %v)", set.Labels, set.Spec.Nets, managers(set))
	}
}

// TestPruneGuardWindow pads the inventory in one commit and drops the real
// objects in the next: each prune is a small share of the padded inventory,
// and the guard refuses the second, naming the objects, because the window
// counts it against the inventory it began with. Once the window passes it
// goes through. A prune over maxObjects is refused whatever its share.
func TestPruneGuardWindow(t *testing.T) {
	real := []string{}
	var sets []string
	for i := range 4 {
		real = append(real, fmt.Sprintf("real-%d", i))
		sets = append(sets, networkSet(real[i], fmt.Sprintf("10.9.%d.0/24", i)))
	}
	files := map[string]string{"p/kustomization.yaml": kustomization("real.yaml"), "p/real.yaml": strings.Join(sets, "---\n")}
	h := newHarnessWith(t, files, nil, nil)
	head := h.repo.Commit("main", h.files)
	h.newSync("p", func(o *v1alpha1.NetworkSync) { o.Spec.Path = "p" })
	h.waitApplied("p", head)

	var pads []string
	for i := range 20 {
		pads = append(pads, networkSet(fmt.Sprintf("pad-%d", i), fmt.Sprintf("10.10.%d.0/24", i)))
	}
	commit := h.commit("pad", map[string]*string{
		"p/kustomization.yaml": ptr(kustomization("real.yaml", "pad.yaml")),
		"p/pad.yaml":           ptr(strings.Join(pads, "---\n")),
	})
	h.requestSync("p")
	h.waitApplied("p", commit)

	drop := h.commit("drop the real sets", map[string]*string{
		"p/kustomization.yaml": ptr(kustomization("pad.yaml")),
		"p/real.yaml":          nil,
	})
	h.requestSync("p")
	obj := h.waitFailed("p", drop, v1alpha1.ReasonPruneRefused)
	msg := readyMessage(obj)
	for _, want := range []string{
		"4 of the 4 managed objects the window began with (100%), over the limit of 50%",
		"raise spec.pruneGuard.maxPercent",
		"projectcalico.org/GlobalNetworkSet real-0, projectcalico.org/GlobalNetworkSet real-1",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not say %q", msg, want)
		}
	}
	for _, name := range real {
		if _, ok := h.liveSet(name); !ok {
			t.Errorf("%s was pruned", name)
		}
	}

	h.clock.advance(DefaultPruneWindow + time.Minute)
	h.requestSync("p")
	obj = h.waitApplied("p", drop)
	if !strings.Contains(readyMessage(obj), "4 pruned") {
		t.Errorf("after the window: %q", readyMessage(obj))
	}

	t.Run("more than maxObjects", func(t *testing.T) {
		h := h.with(t)
		obj := &v1alpha1.NetworkSync{}
		h.get(obj, syncNamespace, "p")
		patch := client.MergeFrom(obj.DeepCopy())
		obj.Spec.PruneGuard = &v1alpha1.PruneGuard{MaxObjects: ptr(int32(2))}
		if err := h.c.Patch(context.Background(), obj, patch); err != nil {
			t.Fatal(err)
		}
		commit := h.commit("drop three pads", map[string]*string{"p/pad.yaml": ptr(strings.Join(pads[3:], "---\n"))})
		h.requestSync("p")
		obj = h.waitFailed("p", commit, v1alpha1.ReasonPruneRefused)
		if msg := readyMessage(obj); !strings.Contains(msg, "prune 3 objects, over the limit of 2. If that is intended, raise spec.pruneGuard.maxObjects") {
			t.Errorf("refusal %q", msg)
		}
	})
}

// setSuspend suspends or resumes a NetworkSync, and waits until the
// controller acted on it.
func (h *harness) setSuspend(name string, suspend bool) {
	h.t.Helper()
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, name)
	patch := client.MergeFrom(obj.DeepCopy())
	obj.Spec.Suspend = suspend
	if err := h.c.Patch(context.Background(), obj, patch); err != nil {
		h.t.Fatal(err)
	}
	if suspend {
		h.waitFor(name, "Suspended", func(o *v1alpha1.NetworkSync) bool {
			c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
			return c != nil && c.Reason == v1alpha1.ReasonSuspended && o.Status.ObservedGeneration == o.Generation
		})
	}
}
