package networksync

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

func TestPruneGuard(t *testing.T) {
	pct := func(n int32) *int32 { return &n }
	cases := []struct {
		name                 string
		guard                *v1alpha1.PruneGuard
		managed, stale, kept int
		wantErr              string
	}{
		{name: "nothing to prune", managed: 10, stale: 0, kept: 10},
		{name: "a few objects", managed: 10, stale: 3, kept: 7},
		{name: "half is allowed", managed: 10, stale: 5, kept: 5},
		{name: "more than half", managed: 10, stale: 6, kept: 4, wantErr: "6 of 10 managed objects (60%), over the limit of 50%"},
		{name: "everything", managed: 10, stale: 10, kept: 0, wantErr: "prune all 10"},
		{name: "everything, even under a high limit", guard: &v1alpha1.PruneGuard{MaxPercent: pct(100)}, managed: 10, stale: 10, kept: 0, wantErr: "prune all"},
		{name: "everything, allowed", guard: &v1alpha1.PruneGuard{AllowPruneAll: true}, managed: 10, stale: 10, kept: 0},
		{name: "a raised limit", guard: &v1alpha1.PruneGuard{MaxPercent: pct(80)}, managed: 10, stale: 7, kept: 3},
		{name: "a lowered limit", guard: &v1alpha1.PruneGuard{MaxPercent: pct(10)}, managed: 10, stale: 2, kept: 8, wantErr: "over the limit of 10%"},
	}
	for _, tc := range cases {
		obj := &v1alpha1.NetworkSync{Spec: v1alpha1.NetworkSyncSpec{PruneGuard: tc.guard}}
		err := pruneGuard(obj, tc.managed, tc.stale, tc.kept)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}
