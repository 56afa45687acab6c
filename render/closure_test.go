package render

import (
	"io"
	"path"
	"sort"
	"strings"
	"testing"
)

// recordingStore records what a render reads from a store.
type recordingStore struct {
	store
	listed, opened []string
}

func (r *recordingStore) list(dir string, max int) ([]entry, error) {
	r.listed = append(r.listed, dir)
	return r.store.list(dir, max)
}

func (r *recordingStore) open(p string, e entry) (int64, io.ReadCloser, error) {
	r.opened = append(r.opened, p)
	return r.store.open(p, e)
}

// TestRenderReadsItsClosure renders clusters/prod of the example
// repository and expects the render to have read the files the path uses,
// its kustomization's resources and their base, and nothing else: not the
// inventory, the NetworkSync or the hooks beside them.
func TestRenderReadsItsClosure(t *testing.T) {
	st, err := openDirStore("../repos-example")
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	rec := &recordingStore{store: st}
	b, err := renderStore(t.Context(), rec, "clusters/prod", Options{})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, o := range b.Objects {
		used[o.Source.File] = true
	}
	for _, p := range rec.opened {
		if !used[p] && path.Base(p) != "kustomization.yaml" {
			t.Errorf("read %s, which the path does not use", p)
		}
	}
	for _, dir := range rec.listed {
		if dir != "." && dir != "clusters" && !strings.HasPrefix(dir, "clusters/prod") && !strings.HasPrefix(dir, "base") {
			t.Errorf("listed %s, which the path does not use", dir)
		}
	}
	sort.Strings(rec.opened)
	t.Logf("read %d files for %d objects", len(rec.opened), len(b.Objects))
}

// TestBudgetsCountWhatThePathUses renders a small path of a repository
// whose other files are over the byte budget: they are not read, so they
// do not count.
func TestBudgetsCountWhatThePathUses(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"small/t.yaml":   tiers("t", 1),
		"elsewhere.yaml": tiers("big", 40),
	})
	b, err := Dir(t.Context(), root, "small", Options{MaxTotalSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) != 1 {
		t.Fatalf("rendered %d objects, want 1", len(b.Objects))
	}
}

// TestKustomizeBadlyNamedFiles builds kustomizations that transform, and so
// go through kustomize, in a repository holding files whose names
// kustomize's in-memory filesystem refuses: a file elsewhere does not
// concern the build, and one the build reads is read as on disk.
func TestKustomizeBadlyNamedFiles(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"x@y/a.yaml":               tiers("elsewhere", 1),
		"with space.yaml":          tiers("space", 1),
		"v1..2/b.yaml":             tiers("dots", 1),
		"app/kustomization.yaml":   "resources: [t.yaml]\nnamePrefix: app-\n",
		"app/t.yaml":               tiers("t", 1),
		"reads/kustomization.yaml": "resources: [x@y/a.yaml, café.yaml]\nnamePrefix: r-\n",
		"reads/x@y/a.yaml":         tiers("at", 1),
		"reads/café.yaml":          tiers("cafe", 1),
	})
	for p, want := range map[string][]string{"app": {"app-t-0"}, "reads": {"r-at-0", "r-cafe-0"}} {
		b, err := Dir(t.Context(), root, p, Options{})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var got []string
		for _, o := range b.Objects {
			got = append(got, o.Object.GetName())
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: rendered %v, want %v", p, got, want)
		}
	}
}
