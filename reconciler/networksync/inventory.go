package networksync

import (
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// currentInventory parses the inventory of the NetworkSync's status into
// the objects it manages and the entries of review-only kinds an earlier
// release listed, which a sync releases (inventory.Split).
func currentInventory(obj *v1alpha1.NetworkSync) (managed, reviewOnly []inventory.ObjMeta, err error) {
	listed, err := inventory.Decode(obj.Status.Inventory)
	if err != nil {
		return nil, nil, err
	}
	managed, reviewOnly = inventory.Split(listed)
	return managed, reviewOnly, nil
}

// staleEntries returns the inventory entries no object of the revision has.
func staleEntries(listed []inventory.ObjMeta, objs []*manifest.Object) []inventory.ObjMeta {
	keep := make(map[string]bool, len(objs))
	for _, o := range objs {
		keep[inventory.MetaOf(o).ID()] = true
	}
	var stale []inventory.ObjMeta
	for _, m := range listed {
		if !keep[m.ID()] {
			stale = append(stale, m)
		}
	}
	return stale
}

// withoutInventory returns the live objects this NetworkSync does not
// manage: the context its revision is validated against. Its own objects
// are replaced by the revision's, or pruned.
func withoutInventory(liveObjs []*manifest.Object, listed []inventory.ObjMeta) []*manifest.Object {
	mine := make(map[string]bool, len(listed))
	for _, m := range listed {
		mine[m.ID()] = true
	}
	var out []*manifest.Object
	for _, o := range liveObjs {
		if !mine[inventory.MetaOf(o).ID()] {
			out = append(out, o)
		}
	}
	return out
}

// newInventory is what the NetworkSync manages after a sync: every object
// applied or already in place, and the stale objects a prune failed to
// remove (they are retried), but not those it released (someone else's).
func newInventory(changes []apply.Change, stale, pruned []inventory.ObjMeta, released []apply.Release) *v1alpha1.ResourceInventory {
	set := map[string]inventory.ObjMeta{}
	for _, c := range changes {
		if c.Action != apply.Skipped {
			m := inventory.MetaOf(c.Object)
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
func mergeInventory(listed []inventory.ObjMeta, applied []apply.Change) *v1alpha1.ResourceInventory {
	set := map[string]inventory.ObjMeta{}
	for _, m := range listed {
		set[m.ID()] = m
	}
	for _, c := range applied {
		m := inventory.MetaOf(c.Object)
		set[m.ID()] = m
	}
	return toInventory(set)
}

func toInventory(set map[string]inventory.ObjMeta) *v1alpha1.ResourceInventory {
	objs := make([]inventory.ObjMeta, 0, len(set))
	for _, m := range set {
		objs = append(objs, m)
	}
	return inventory.Encode(objs)
}

func byMeta(objs []inventory.ObjMeta) map[string]inventory.ObjMeta {
	set := make(map[string]inventory.ObjMeta, len(objs))
	for _, m := range objs {
		set[m.ID()] = m
	}
	return set
}
