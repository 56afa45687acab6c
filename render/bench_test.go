package render

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/tabbynet/tabby/internal/synthrepo"
)

// BenchmarkRender renders a generated repository of 10,000 objects (100
// files of 100), read from disk as plain manifests and through a
// kustomization. Targets: under 1 s and 200 MiB. The anchor is kustomize
// alone building the same kustomization in memory: what any kustomize-based
// GitOps tool pays before it has decoded or checked a single object.
//
//	go test ./render -run XXX -bench Render -benchtime 5x
func BenchmarkRender(b *testing.B) {
	spec := synthrepo.Mix(10_000)
	dir := b.TempDir()
	if err := synthrepo.WriteDir(dir, spec); err != nil {
		b.Fatal(err)
	}
	kdir := b.TempDir()
	if err := synthrepo.WriteDir(kdir, spec); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(kdir, "kustomization.yaml"), kustomizationListing(b, kdir), 0o644); err != nil {
		b.Fatal(err)
	}

	b.Run("tabby-plain-10k", func(b *testing.B) {
		for b.Loop() {
			bundle, err := Dir(b.Context(), dir, ".", Options{})
			if err != nil {
				b.Fatal(err)
			}
			if len(bundle.Objects) != spec.Total() {
				b.Fatalf("rendered %d objects, want %d", len(bundle.Objects), spec.Total())
			}
		}
		reportMaxRSS(b)
	})
	b.Run("tabby-kustomize-10k", func(b *testing.B) {
		for b.Loop() {
			bundle, err := Dir(b.Context(), kdir, ".", Options{})
			if err != nil {
				b.Fatal(err)
			}
			if len(bundle.Objects) != spec.Total() {
				b.Fatalf("rendered %d objects, want %d", len(bundle.Objects), spec.Total())
			}
		}
		reportMaxRSS(b)
	})
	b.Run("anchor-kustomize-only-10k", func(b *testing.B) {
		fsys := filesys.MakeFsInMemory()
		for name, data := range synthrepo.Files(spec) {
			if err := fsys.WriteFile("/"+name, data); err != nil {
				b.Fatal(err)
			}
		}
		if err := fsys.WriteFile("/kustomization.yaml", kustomizationListing(b, kdir)); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fsys, "/")
			if err != nil {
				b.Fatal(err)
			}
			if m.Size() != spec.Total() {
				b.Fatalf("built %d objects, want %d", m.Size(), spec.Total())
			}
		}
		reportMaxRSS(b)
	})
}

// kustomizationListing returns a kustomization listing every YAML file
// under dir.
func kustomizationListing(b *testing.B, dir string) []byte {
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".yaml") && filepath.Base(p) != "kustomization.yaml" {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(files)
	return []byte("resources:\n- " + strings.Join(files, "\n- ") + "\n")
}

// reportMaxRSS reports the peak resident memory of the process so far, the
// figure the memory target is about.
func reportMaxRSS(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB")
	}
}
