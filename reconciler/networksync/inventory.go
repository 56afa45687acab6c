package networksync

import (
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
)

// currentInventory parses the inventory of the NetworkSync's status into
// the objects it manages and the entries of review-only kinds an earlier
// release listed, which a sync releases (apply.SplitInventory).
func currentInventory(obj *v1alpha1.NetworkSync) (managed, reviewOnly []apply.ObjMeta, err error) {
	inventory, err := apply.Inventory(obj.Status.Inventory)
	if err != nil {
		return nil, nil, err
	}
	managed, reviewOnly = apply.SplitInventory(inventory)
	return managed, reviewOnly, nil
}

// staleEntries returns the inventory entries no object of the revision has.
func staleEntries(inventory []apply.ObjMeta, objs []*manifest.Object) []apply.ObjMeta {
	keep := make(map[string]bool, len(objs))
	for _, o := range objs {
		keep[apply.MetaOf(o).ID()] = true
	}
	var stale []apply.ObjMeta
	for _, m := range inventory {
		if !keep[m.ID()] {
			stale = append(stale, m)
		}
	}
	return stale
}

// withoutInventory returns the live objects this NetworkSync does not
// manage: the context its revision is validated against. Its own objects
// are replaced by the revision's, or pruned.
func withoutInventory(liveObjs []*manifest.Object, inventory []apply.ObjMeta) []*manifest.Object {
	mine := make(map[string]bool, len(inventory))
	for _, m := range inventory {
		mine[m.ID()] = true
	}
	var out []*manifest.Object
	for _, o := range liveObjs {
		if !mine[apply.MetaOf(o).ID()] {
			out = append(out, o)
		}
	}
	return out
}

// newInventory is what the NetworkSync manages after a sync: every object
// applied or already in place, and the stale objects a prune failed to
// remove (they are retried), but not those it released (someone else's).
func newInventory(changes []apply.Change, stale, pruned []apply.ObjMeta, released []apply.Release) *v1alpha1.ResourceInventory {
	set := map[string]apply.ObjMeta{}
	for _, c := range changes {
		if c.Action != apply.Skipped {
			m := apply.MetaOf(c.Object)
			set[m.ID()] = m
		}
	}
	gone := map[string]bool{}
	for _, m := range pruned {
		gone[m.ID()] = true
	}
	for _, r := range released {
		gone[r.Object.ID()] = true
	}
	for _, m := range stale {
		if !gone[m.ID()] {
			set[m.ID()] = m
		}
	}
	return toInventory(set)
}

// mergeInventory adds the objects of a partial apply to the inventory, so
// that nothing tabby applied is forgotten.
func mergeInventory(inventory []apply.ObjMeta, applied []apply.Change) *v1alpha1.ResourceInventory {
	set := map[string]apply.ObjMeta{}
	for _, m := range inventory {
		set[m.ID()] = m
	}
	for _, c := range applied {
		m := apply.MetaOf(c.Object)
		set[m.ID()] = m
	}
	return toInventory(set)
}

func toInventory(set map[string]apply.ObjMeta) *v1alpha1.ResourceInventory {
	entries := make([]v1alpha1.InventoryEntry, 0, len(set))
	for id, m := range set {
		entries = append(entries, v1alpha1.InventoryEntry{ID: id, Version: m.GroupVersion().String()})
	}
	return v1alpha1.NewResourceInventory(entries)
}

func byMeta(objs []apply.ObjMeta) map[string]apply.ObjMeta {
	set := make(map[string]apply.ObjMeta, len(objs))
	for _, m := range objs {
		set[m.ID()] = m
	}
	return set
}
