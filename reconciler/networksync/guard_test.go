package networksync

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

func TestPruneGuard(t *testing.T) {
	num := func(n int32) *int32 { return &n }
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }
	// padded: 10 objects, then a commit that added 1,000 20 minutes ago.
	padded := []v1alpha1.PruneRecord{{Time: ago(20 * time.Minute), InventoryBefore: 10}}
	cases := []struct {
		name                 string
		guard                *v1alpha1.PruneGuard
		history              []v1alpha1.PruneRecord
		managed, stale, kept int
		wantErr              string
	}{
		{name: "nothing to prune", managed: 10, stale: 0, kept: 10},
		{name: "a few objects", managed: 10, stale: 3, kept: 7},
		{name: "half is allowed", managed: 10, stale: 5, kept: 5},
		{name: "more than half", managed: 10, stale: 6, kept: 4, wantErr: "6 of 10 managed objects (60%), over the limit of 50%"},
		{name: "everything", managed: 10, stale: 10, kept: 0, wantErr: "prune all 10"},
		{name: "everything, even under a high limit", guard: &v1alpha1.PruneGuard{MaxPercent: num(100)}, managed: 10, stale: 10, kept: 0, wantErr: "prune all"},
		{name: "everything, allowed", guard: &v1alpha1.PruneGuard{AllowPruneAll: true}, managed: 10, stale: 10, kept: 0},
		{name: "a raised limit", guard: &v1alpha1.PruneGuard{MaxPercent: num(80)}, managed: 10, stale: 7, kept: 3},
		{name: "a lowered limit", guard: &v1alpha1.PruneGuard{MaxPercent: num(10)}, managed: 10, stale: 2, kept: 8, wantErr: "over the limit of 10%"},

		{name: "more objects than the default cap", managed: 1000, stale: 101, kept: 899, wantErr: "prune 101 objects, over the limit of 100. If that is intended, raise spec.pruneGuard.maxObjects"},
		{name: "the default cap", managed: 1000, stale: 100, kept: 900},
		{name: "a lowered cap", guard: &v1alpha1.PruneGuard{MaxObjects: num(2)}, managed: 100, stale: 3, kept: 97, wantErr: "over the limit of 2"},
		{name: "a raised cap", guard: &v1alpha1.PruneGuard{MaxObjects: num(500)}, managed: 1000, stale: 400, kept: 600},
		{name: "the cap, allowed", guard: &v1alpha1.PruneGuard{AllowPruneAll: true}, managed: 1000, stale: 400, kept: 600},

		{name: "pad then drop", history: padded, managed: 1010, stale: 10, kept: 1000,
			wantErr: "10 of the 10 managed objects the window began with (100%), over the limit of 50%. If that is intended, raise spec.pruneGuard.maxPercent"},
		{name: "pad then drop, the window passed", guard: &v1alpha1.PruneGuard{Window: &metav1.Duration{Duration: 10 * time.Minute}}, history: padded, managed: 1010, stale: 10, kept: 1000},
		{name: "pad then drop, no window", guard: &v1alpha1.PruneGuard{Window: &metav1.Duration{}}, history: padded, managed: 1010, stale: 10, kept: 1000},
		{name: "prunes add up over the window", history: []v1alpha1.PruneRecord{
			{Time: ago(10 * time.Minute), Pruned: 60, InventoryBefore: 940},
			{Time: ago(30 * time.Minute), Pruned: 30, InventoryBefore: 970},
			{Time: ago(2 * time.Hour), Pruned: 90, InventoryBefore: 1060},
		}, managed: 880, stale: 20, kept: 860, wantErr: "and 90 were pruned within the last 1h0m0s: 110, over the limit of 100 per window. If that is intended, raise spec.pruneGuard.maxObjectsPerWindow"},
		{name: "prunes of the window under its cap", history: []v1alpha1.PruneRecord{
			{Time: ago(10 * time.Minute), Pruned: 60, InventoryBefore: 940},
		}, managed: 880, stale: 20, kept: 860},
		{name: "a raised window cap", guard: &v1alpha1.PruneGuard{MaxObjectsPerWindow: num(200)}, history: []v1alpha1.PruneRecord{
			{Time: ago(10 * time.Minute), Pruned: 90, InventoryBefore: 970},
		}, managed: 880, stale: 20, kept: 860},
		{name: "a new NetworkSync: no objects before the window", history: []v1alpha1.PruneRecord{
			{Time: ago(10 * time.Minute), InventoryBefore: 0},
		}, managed: 10, stale: 2, kept: 8},
		{name: "a new NetworkSync, padded then dropped", history: []v1alpha1.PruneRecord{
			{Time: ago(10 * time.Minute), InventoryBefore: 4},
			{Time: ago(20 * time.Minute), InventoryBefore: 0},
		}, managed: 1004, stale: 4, kept: 1000, wantErr: "4 of the 4 managed objects the window began with (100%)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := &v1alpha1.NetworkSync{Spec: v1alpha1.NetworkSyncSpec{PruneGuard: tc.guard}}
			obj.Status.PruneHistory = tc.history
			err := pruneGuard(obj, tc.managed, objects(tc.stale), tc.kept, now)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// TestPruneGuardNamesObjects checks that a refusal names the first objects
// and counts the rest.
func TestPruneGuardNamesObjects(t *testing.T) {
	obj := &v1alpha1.NetworkSync{}
	err := pruneGuard(obj, 20, objects(12), 8, time.Now())
	if err == nil {
		t.Fatal("12 of 20 pruned")
	}
	for _, want := range []string{"projectcalico.org/BGPPeer peer-0, ", "projectcalico.org/BGPPeer peer-9 and 2 more"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
}

func TestRecordInventory(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	obj := &v1alpha1.NetworkSync{}
	recordInventory(obj, now, 10, 10, 0)
	if obj.Status.PruneHistory != nil {
		t.Fatalf("a sync that changed nothing recorded %v", obj.Status.PruneHistory)
	}
	for i := range 15 {
		recordInventory(obj, now.Add(time.Duration(i)*time.Minute), 100-i, 99-i, 1)
	}
	h := obj.Status.PruneHistory
	if len(h) != maxPruneHistory {
		t.Fatalf("%d records, want %d", len(h), maxPruneHistory)
	}
	total := 0
	for _, r := range h {
		total += r.Pruned
	}
	oldest := h[len(h)-1]
	if total != 15 || oldest.InventoryBefore != 100 {
		t.Errorf("merged history counts %d pruned from %d objects, want 15 from 100: %+v", total, oldest.InventoryBefore, h)
	}
	recordInventory(obj, now.Add(3*time.Hour), 85, 84, 1)
	if h := obj.Status.PruneHistory; len(h) != 1 || h[0].InventoryBefore != 85 {
		t.Errorf("records past the window stayed: %+v", h)
	}
}

func objects(n int) []inventory.ObjMeta {
	out := make([]inventory.ObjMeta, n)
	for i := range out {
		out[i] = inventory.ObjMeta{Name: fmt.Sprintf("peer-%d", i)}
		out[i].Group, out[i].Version, out[i].Kind = "projectcalico.org", "v3", "BGPPeer"
	}
	return out
}
