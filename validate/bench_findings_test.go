package validate

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// BenchmarkManyFindings validates 1,000 IPPools of one CIDR, which make
// 999,000 pool-overlap errors, listed up to the default limit per code or
// all of them. It reports the heap the result holds (retained-MB) beside
// the bytes allocated on the way (B/op); run one sub-benchmark at a time
// under /usr/bin/time -v for the peak RSS:
//
//	go test ./validate -run XXX -bench ManyFindings/default -benchtime 1x -benchmem
func BenchmarkManyFindings(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pools.yaml"), []byte(samePools(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	bundle, err := render.Dir(b.Context(), dir, ".", render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		limit int
	}{
		{"default-limit", 0},
		{"unlimited", -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var retained uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				in := ForBundle(bundle)
				in.MaxFindingsPerCode = bc.limit
				fs := Validate(in)
				runtime.GC()
				runtime.ReadMemStats(&after)
				if fs.Errors() != 999_000 {
					b.Fatalf("%d errors, want 999000", fs.Errors())
				}
				retained = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(fs)
			}
			b.ReportMetric(float64(retained)/1e6, "retained-MB")
		})
	}
}
