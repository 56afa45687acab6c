package inventory

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// Cache keeps the decoded inventory of each NetworkSync, by UID,
// for the resourceVersion it was decoded at: callers that look objects up
// in every NetworkSync's inventory decode each inventory once per change,
// not once per lookup. The zero value is ready to use.
type Cache struct {
	mu      sync.Mutex
	entries map[types.UID]decodedInventory
}

type decodedInventory struct {
	resourceVersion string
	ids             map[string]bool
}

// IDs returns the inventory IDs (ObjMeta.ID) of a NetworkSync's inventory.
// The set is shared: callers must not change it.
func (c *Cache) IDs(s *v1alpha1.NetworkSync) (map[string]bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.entries[s.UID]; ok && d.resourceVersion == s.ResourceVersion {
		return d.ids, nil
	}
	entries, err := s.Status.Inventory.Entries()
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(entries))
	for _, e := range entries {
		ids[e.ID] = true
	}
	if c.entries == nil {
		c.entries = map[types.UID]decodedInventory{}
	}
	c.entries[s.UID] = decodedInventory{resourceVersion: s.ResourceVersion, ids: ids}
	return ids, nil
}
