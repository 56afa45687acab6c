package render

import (
	"bytes"
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
