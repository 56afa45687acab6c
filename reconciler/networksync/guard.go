package networksync

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// Defaults of the prune guard (spec.pruneGuard).
const (
	// DefaultMaxPrunePercent is the largest share of managed objects a
	// revision, or the revisions of a window together, may prune.
	DefaultMaxPrunePercent = 50
	// DefaultMaxPruneObjects is the largest number of objects a revision
	// may prune; the revisions of a window together may prune as many.
	DefaultMaxPruneObjects = 100
	// DefaultPruneWindow is the sliding window over which prunes add up.
	DefaultPruneWindow = time.Hour
)

// Bounds of what the guard keeps and says.
const (
	// maxPruneHistory bounds status.pruneHistory; older records merge.
	maxPruneHistory = 10
	// maxNamedPrunes bounds the objects a refusal names.
	maxNamedPrunes = 10
)

// pruneLimits are a NetworkSync's prune guard, defaults applied.
type pruneLimits struct {
	percent, perRevision, perWindow int
	window                          time.Duration
}

func limitsOf(g *v1alpha1.PruneGuard) pruneLimits {
	l := pruneLimits{percent: DefaultMaxPrunePercent, perRevision: DefaultMaxPruneObjects, window: DefaultPruneWindow}
	if g == nil {
		l.perWindow = l.perRevision
		return l
	}
	if g.MaxPercent != nil {
		l.percent = int(*g.MaxPercent)
	}
	if g.MaxObjects != nil {
		l.perRevision = int(*g.MaxObjects)
	}
	l.perWindow = l.perRevision
	if g.MaxObjectsPerWindow != nil {
		l.perWindow = int(*g.MaxObjectsPerWindow)
	}
	if g.Window != nil {
		l.window = g.Window.Duration
	}
	return l
}

// pruneGuard refuses a revision that would prune all of the managed objects
// (an empty or broken commit), more of them than the allowed number or
// share, or, with the prunes of the window before now (status.pruneHistory),
// more than the window allows: its number, or its share of the inventory as
// it was when the window began, so that a commit padding the inventory
// cannot make the next one's prune of the real objects a small share.
// allowPruneAll turns it off. A refusal names the objects and the field to
// raise.
func pruneGuard(obj *v1alpha1.NetworkSync, managed int, stale []inventory.ObjMeta, kept int, now time.Time) error {
	n := len(stale)
	g := obj.Spec.PruneGuard
	if n == 0 || g != nil && g.AllowPruneAll {
		return nil
	}
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%s; nothing was applied. The objects: %s", fmt.Sprintf(format, args...), nameObjects(stale))
	}
	if kept == 0 {
		return refuse("revision would prune all %d managed objects and keep none. If that is intended, set spec.pruneGuard.allowPruneAll: true", managed)
	}
	l := limitsOf(g)
	if n > l.perRevision {
		return refuse("revision would prune %d objects, over the limit of %d. If that is intended, raise spec.pruneGuard.maxObjects", n, l.perRevision)
	}
	if n*100 > l.percent*managed {
		return refuse("revision would prune %d of %d managed objects (%d%%), over the limit of %d%%. If that is intended, raise spec.pruneGuard.maxPercent or set allowPruneAll", n, managed, n*100/managed, l.percent)
	}
	if l.window <= 0 {
		return nil
	}
	earlier, base := pruneWindow(obj.Status.PruneHistory, now, l.window, managed)
	if total := earlier + n; total > l.perWindow {
		return refuse("revision would prune %d objects, and %d were pruned within the last %s: %d, over the limit of %d per window. If that is intended, raise spec.pruneGuard.maxObjectsPerWindow, or wait for the window to pass", n, earlier, l.window, total, l.perWindow)
	}
	if total := earlier + n; total*100 > l.percent*base {
		return refuse("revision would prune %d objects, and %d were pruned within the last %s: %d of the %d managed objects the window began with (%d%%), over the limit of %d%%. If that is intended, raise spec.pruneGuard.maxPercent, shorten spec.pruneGuard.window, or wait for the window to pass", n, earlier, l.window, total, base, total*100/base, l.percent)
	}
	return nil
}

// pruneWindow returns how many objects the syncs of the window before now
// pruned, and the size of the inventory when the window began: before the
// oldest change within it, or now when nothing changed it. When the
// inventory was empty then (a NetworkSync younger than the window), it is
// the size its first sync left, so that padding a new NetworkSync's
// inventory does not pass either.
func pruneWindow(history []v1alpha1.PruneRecord, now time.Time, window time.Duration, managed int) (pruned, base int) {
	base = managed
	for _, r := range history { // newest first; each record's after is the newer one's before
		if !r.Time.Time.After(now.Add(-window)) || r.InventoryBefore == 0 {
			break
		}
		pruned += r.Pruned
		base = r.InventoryBefore
	}
	return pruned, base
}

// recordInventory adds a sync that changed the inventory from before
// objects to after, pruning pruned of them, to status.pruneHistory, and
// forgets the records the window no longer holds. Past maxPruneHistory the
// two oldest merge: their prunes together, at the newer time (they count
// for longer, never for less), from the older size.
func recordInventory(obj *v1alpha1.NetworkSync, now time.Time, before, after, pruned int) {
	window := limitsOf(obj.Spec.PruneGuard).window
	h := obj.Status.PruneHistory
	if before != after || pruned > 0 {
		h = append([]v1alpha1.PruneRecord{{Time: metavOf(now), Pruned: pruned, InventoryBefore: before}}, h...)
	}
	keep := 0
	for keep < len(h) && window > 0 && h[keep].Time.Time.After(now.Add(-window)) {
		keep++
	}
	h = h[:keep]
	for len(h) > maxPruneHistory {
		older, newer := h[len(h)-1], h[len(h)-2]
		h = h[:len(h)-1]
		h[len(h)-1] = v1alpha1.PruneRecord{Time: newer.Time, Pruned: older.Pruned + newer.Pruned, InventoryBefore: older.InventoryBefore}
	}
	if len(h) == 0 {
		h = nil
	}
	obj.Status.PruneHistory = h
}

// nameObjects names the first objects of a prune and counts the rest.
func nameObjects(objs []inventory.ObjMeta) string {
	names := make([]string, 0, min(len(objs), maxNamedPrunes))
	for i, o := range objs {
		if i == maxNamedPrunes {
			break
		}
		names = append(names, o.String())
	}
	s := strings.Join(names, ", ")
	if n := len(objs) - len(names); n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// metavOf is a time as status keeps it: UTC, to the second.
func metavOf(t time.Time) metav1.Time {
	return metav1.NewTime(t.UTC().Truncate(time.Second))
}
