package networksync

import (
	"fmt"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// DefaultMaxPrunePercent is the largest share of managed objects one
// revision may prune unless the NetworkSync allows more.
const DefaultMaxPrunePercent = 50

// pruneGuard refuses a revision that would prune all of the managed objects
// (an empty or broken commit), or more than the allowed share of them,
// unless the NetworkSync allows it.
func pruneGuard(obj *v1alpha1.NetworkSync, managed, stale, kept int) error {
	if stale == 0 {
		return nil
	}
	g := obj.Spec.PruneGuard
	if g != nil && g.AllowPruneAll {
		return nil
	}
	if kept == 0 {
		return fmt.Errorf("revision would prune all %d managed objects and keep none; nothing was applied. If that is intended, set spec.pruneGuard.allowPruneAll: true", managed)
	}
	limit := DefaultMaxPrunePercent
	if g != nil && g.MaxPercent != nil {
		limit = int(*g.MaxPercent)
	}
	if stale*100 > limit*managed {
		return fmt.Errorf("revision would prune %d of %d managed objects (%d%%), over the limit of %d%%; nothing was applied. If that is intended, raise spec.pruneGuard.maxPercent or set allowPruneAll", stale, managed, stale*100/managed, limit)
	}
	return nil
}
