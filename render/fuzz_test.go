package render

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRender feeds arbitrary file content to the renderer. It must never
// panic, and whatever renders must render again, from its own canonical
// output, to the same bytes.
func FuzzRender(f *testing.F) {
	seeds, _ := filepath.Glob("../repos-example/base/*/*.yaml")
	more, _ := filepath.Glob("../repos-example/base/policy/*/*.yaml")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems: [{apiVersion: projectcalico.org/v3, kind: Tier, metadata: {name: a}}]\n"))
	f.Add([]byte("a: &a [1]\nb: *a\n<<: {c: d}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := renderStore(t.Context(), memStore{files: map[string]string{"f.yaml": string(data)}}, ".", Options{})
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := b.WriteYAML(&first); err != nil {
			t.Fatalf("write: %v", err)
		}
		b2, err := renderStore(t.Context(), memStore{files: map[string]string{"f.yaml": first.String()}}, ".", Options{})
		if err != nil {
			t.Fatalf("canonical output does not render: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := b2.WriteYAML(&second); err != nil {
			t.Fatalf("write: %v", err)
		}
		// Sources differ (line numbers shift); compare without them.
		if !bytes.Equal(stripSources(first.Bytes()), stripSources(second.Bytes())) {
			t.Fatalf("canonical output is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}

func stripSources(b []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("# Source: ")) {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// fuzzBudgets are small budgets, so that fuzzing reaches them.
var fuzzBudgets = Options{
	MaxFileSize:    16 << 10,
	MaxTotalSize:   64 << 10,
	MaxFiles:       200,
	MaxDocuments:   50,
	MaxValues:      5_000,
	MaxFindings:    20,
	MaxSymlinkHops: 30,
}

// renderWithin renders p of st within fuzzBudgets, and fails the test if
// the render went past one of them, returned more errors than it may, or
// named a source it did not read.
func renderWithin(t *testing.T, st store, p string) (*Bundle, error) {
	t.Helper()
	r, err := newRenderer(t.Context(), st, fuzzBudgets)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.render(p)
	o, spent := r.snap.opts, r.snap.budget
	switch {
	case spent.bytes > o.MaxTotalSize:
		t.Errorf("read %d bytes, over the budget of %d", spent.bytes, o.MaxTotalSize)
	case spent.entries > o.MaxFiles:
		t.Errorf("listed %d entries, over the budget of %d", spent.entries, o.MaxFiles)
	case spent.docs > o.MaxDocuments:
		t.Errorf("decoded %d documents, over the budget of %d", spent.docs, o.MaxDocuments)
	case spent.values > o.MaxValues:
		t.Errorf("decoded %d values, over the budget of %d", spent.values, o.MaxValues)
	case spent.hops > o.MaxSymlinkHops:
		t.Errorf("followed %d symlinks, over the budget of %d", spent.hops, o.MaxSymlinkHops)
	}
	for data := range r.snap.files {
		if int64(len(r.snap.files[data])) > o.MaxFileSize {
			t.Errorf("read %s, of %d bytes, over the limit of %d", data, len(r.snap.files[data]), o.MaxFileSize)
		}
	}
	checkCodes(t, err)
	var list ErrorList
	if errors.As(err, &list) && len(list) > o.MaxFindings+2 {
		t.Errorf("returned %d errors, over the budget of %d (and the two that end a list)", len(list), o.MaxFindings)
	}
	if b != nil && err != nil && !errors.As(err, &list) {
		t.Errorf("a Bundle returned with %v, which is not the content's", err)
	}
	if b != nil {
		for _, obj := range b.Objects {
			if _, read := r.snap.files[obj.Source.File]; !read {
				t.Errorf("%s comes from %s, which the render did not read", obj.ID(), obj.Source.File)
			}
			if _, ok := obj.Object.GetAnnotations()[documentAnnotation]; ok {
				t.Errorf("%s keeps the render's own annotation %s", obj.ID(), documentAnnotation)
			}
		}
	}
	return b, err
}
