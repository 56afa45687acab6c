package validate

import (
	"testing"

	"github.com/tabbynet/tabby/internal/synthrepo"
	"github.com/tabbynet/tabby/render"
)

// BenchmarkValidate validates a generated Bundle of 50,000 objects, 10,000
// of them IPPools (target: under 1 s on one core). Pool overlap detection
// sorts and sweeps, O(n log n); the anchor is the pairwise comparison a
// naive check makes, measured on the same pools.
//
//	go test ./validate -run XXX -bench Validate -benchtime 5x -cpu 1
func BenchmarkValidate(b *testing.B) {
	spec := synthrepo.Mix(50_000)
	spec.Pools = 10_000
	spec.Policies -= 10_000 - 5_000
	dir := b.TempDir()
	if err := synthrepo.WriteDir(dir, spec); err != nil {
		b.Fatal(err)
	}
	// 50,000 objects are past the default render budgets (40,000
	// documents, 1.5 M values), which bound a controller's render, not
	// validation's cost: raise them for this benchmark.
	opts := render.Options{MaxDocuments: 100_000, MaxValues: 10_000_000, MaxTotalSize: 256 << 20}
	bundle, err := render.Dir(b.Context(), dir, ".", opts)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(bundle.Objects); n != 50_000 {
		b.Fatalf("generated %d objects, want 50000", n)
	}
	b.Run("tabby-50k-objects-10k-pools", func(b *testing.B) {
		for b.Loop() {
			if fs := Validate(ForBundle(bundle)); fs.HasErrors() {
				b.Fatalf("generated repository has errors: %v", fs[:min(len(fs), 5)])
			}
		}
	})
	b.Run("anchor-pairwise-overlap-10k-pools", func(b *testing.B) {
		v := &validation{in: &Input{Objects: bundle.Objects}, world: newWorld(Input{Objects: bundle.Objects})}
		pools := v.pools()
		for b.Loop() {
			overlaps := 0
			for i := range pools {
				for j := i + 1; j < len(pools); j++ {
					if pools[i].prefix.Overlaps(pools[j].prefix) {
						overlaps++
					}
				}
			}
			if overlaps != 0 {
				b.Fatal("generated pools overlap")
			}
		}
	})
}
