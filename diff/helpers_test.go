package diff

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// renderFiles writes files (slash name → content) to a new directory and
// renders it the way a repository is rendered.
func renderFiles(t testing.TB, files map[string]string) *render.Bundle {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatalf("manifests do not render: %v", err)
	}
	return b
}

// lines renders changes one line per field: "~ ID: field", "+ ID", "- ID".
func lines(changes []Change) []string {
	var out []string
	for _, c := range changes {
		switch c.Op {
		case Added:
			out = append(out, "+ "+c.ID)
		case Removed:
			out = append(out, "- "+c.ID)
		default:
			for _, f := range c.Fields {
				out = append(out, "~ "+c.ID+": "+f.String())
			}
		}
	}
	return out
}

// fieldLines renders fields one a line.
func fieldLines(fs []Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

// checkPaths fails unless every field's path parses as a render field path
// and formats back to itself.
func checkPaths(t *testing.T, fs []Field) {
	t.Helper()
	for _, f := range fs {
		p, ok := manifest.ParseFieldPath(f.Path)
		if !ok {
			t.Errorf("path %q does not parse", f.Path)
			continue
		}
		if p.String() != f.Path {
			t.Errorf("path %q reads back as %q", f.Path, p.String())
		}
	}
}
