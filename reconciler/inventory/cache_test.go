package inventory_test

import (
	"testing"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// TestCache checks that an inventory is decoded again when its
// NetworkSync's resourceVersion changes, and only then.
func TestCache(t *testing.T) {
	peer := v1alpha1.InventoryEntry{ID: "_tor-rack7_projectcalico.org_BGPPeer", Version: "projectcalico.org/v3"}
	policy := v1alpha1.InventoryEntry{ID: "_security.block-metadata_projectcalico.org_GlobalNetworkPolicy", Version: "projectcalico.org/v3"}
	s := &v1alpha1.NetworkSync{}
	s.UID, s.ResourceVersion = "uid-1", "10"
	s.Status.Inventory = v1alpha1.NewResourceInventory([]v1alpha1.InventoryEntry{peer})

	var c inventory.Cache
	ids, err := c.IDs(s)
	if err != nil || !ids[peer.ID] || len(ids) != 1 {
		t.Fatalf("IDs = %v, %v; want the peer", ids, err)
	}

	// The same resourceVersion: the decoded set, whatever status now holds.
	s.Status.Inventory = v1alpha1.NewResourceInventory([]v1alpha1.InventoryEntry{peer, policy})
	if ids, _ := c.IDs(s); len(ids) != 1 {
		t.Errorf("same resourceVersion decoded again: %v", ids)
	}
	// A new one: decoded again.
	s.ResourceVersion = "11"
	if ids, err := c.IDs(s); err != nil || !ids[policy.ID] || len(ids) != 2 {
		t.Errorf("IDs after a change = %v, %v; want the peer and the policy", ids, err)
	}
	// Another NetworkSync has its own entry.
	other := &v1alpha1.NetworkSync{}
	other.UID, other.ResourceVersion = "uid-2", "11"
	if ids, err := c.IDs(other); err != nil || len(ids) != 0 {
		t.Errorf("IDs of a NetworkSync without inventory = %v, %v", ids, err)
	}
	// A broken inventory is an error, not an empty set.
	s.ResourceVersion, s.Status.Inventory = "12", &v1alpha1.ResourceInventory{Count: 1, Data: "%%%"}
	if _, err := c.IDs(s); err == nil {
		t.Error("a corrupt inventory decoded")
	}
}
