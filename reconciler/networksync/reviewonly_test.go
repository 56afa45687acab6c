package networksync

import (
	"context"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestReviewOnlyInventoryReleased upgrades a NetworkSync whose inventory
// an earlier release wrote with ConnectivityTests in it, applied through
// the ConnectivityTest CRD that release installed, and an Inventory entry,
// a kind that never had a CRD. ConnectivityTests and Inventories are
// review-only: the first sync releases their entries without a request to
// the API server. They leave the inventory, are not pruned (the
// ConnectivityTests stay as they are, whether Git still holds them or
// not), and do not count against the prune guard; an event names them.
func TestReviewOnlyInventoryReleased(t *testing.T) {
	const test = "apiVersion: tabby.dev/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: shop}\nspec:\n  cases:\n" +
		"  - name: web-to-api\n    from: {namespace: web, labels: {app: web}}\n    to: {namespace: api, labels: {app: api}}\n    port: 443\n    expect: Allow\n"
	files := map[string]string{
		"a/kustomization.yaml": kustomization("sets.yaml", "tests.yaml"),
		"a/sets.yaml":          networkSet("partners", "10.8.0.0/24"),
		"a/tests.yaml":         test,
	}
	h := newHarnessWith(t, files, nil, nil, testenv.WithCRDDirectory("testdata/earlier-release"))
	head := h.repo.Commit("main", h.files)

	// As the earlier release applied them: server-side apply under the
	// NetworkSync's field manager, with its marker. shop is still in Git,
	// retired is not.
	owner, manager := v1alpha1.Owner(syncNamespace, "a"), v1alpha1.FieldManager(syncNamespace, "a")
	uids := map[string]string{}
	for _, name := range []string{"shop", "retired"} {
		u := connectivityTest(name)
		u.SetAnnotations(map[string]string{v1alpha1.OwnerAnnotation: owner})
		if err := h.c.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(manager), client.ForceOwnership); err != nil {
			t.Fatalf("apply ConnectivityTest %s as the earlier release did: %v", name, err)
		}
		live := connectivityTest(name)
		h.get(live, "", name)
		uids[name] = string(live.GetUID())
	}
	h.suspendedSyncListing("a", []v1alpha1.InventoryEntry{
		{ID: "_shop_tabby.dev_ConnectivityTest", Version: "tabby.dev/v1alpha1"},
		{ID: "_retired_tabby.dev_ConnectivityTest", Version: "tabby.dev/v1alpha1"},
		{ID: "_cluster_tabby.dev_Inventory", Version: "tabby.dev/v1alpha1"},
	})
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, "a")
	patch := client.MergeFrom(obj.DeepCopy())
	obj.Spec.Path, obj.Spec.Suspend = "a", false
	if err := h.c.Patch(context.Background(), obj, patch); err != nil {
		t.Fatal(err)
	}

	obj = h.waitFor("a", "the sync of "+head, func(o *v1alpha1.NetworkSync) bool {
		c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
		return strings.HasSuffix(o.Status.LastAttemptedRevision, head) && o.Status.ObservedGeneration == o.Generation &&
			c != nil && c.Status != metav1.ConditionUnknown && settled(o)
	})
	if !meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionReady) {
		t.Fatalf("the sync failed: %s", readyMessage(obj))
	}
	if msg := readyMessage(obj); !strings.Contains(msg, "1 created") || !strings.Contains(msg, "0 pruned") {
		t.Errorf("Ready message %q: want the network set created and nothing pruned", msg)
	}
	for name, uid := range uids {
		live := connectivityTest(name)
		if !h.get(live, "", name) || string(live.GetUID()) != uid {
			t.Errorf("ConnectivityTest %s was deleted", name)
		}
	}
	entries, err := obj.Status.Inventory.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].ID != "_partners_projectcalico.org_GlobalNetworkSet" {
		t.Errorf("inventory after the upgrade: %+v; want the network set alone", entries)
	}
	for _, id := range []string{"tabby.dev/ConnectivityTest retired", "tabby.dev/ConnectivityTest shop", "tabby.dev/Inventory cluster"} {
		h.waitEvent(v1alpha1.EventReviewOnlyReleased, id)
	}
}

// connectivityTest is a ConnectivityTest named name, in the generic form
// the earlier release's CRD serves.
func connectivityTest(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"spec": map[string]any{"cases": []any{map[string]any{
			"name": "web-to-api", "port": int64(443), "expect": "Allow",
			"from": map[string]any{"namespace": "web"}, "to": map[string]any{"namespace": "api"},
		}}},
	}}
	u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("ConnectivityTest"))
	u.SetName(name)
	return u
}
