package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderBudgetFlags renders with the budget flags set low: a budget
// hit is the repository's problem (exit 1, located), a deadline passed is
// the command's (exit 2).
func TestRenderBudgetFlags(t *testing.T) {
	dir := t.TempDir()
	doc := "---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t%d}\n"
	var b strings.Builder
	for i := 0; i < 3; i++ {
		b.WriteString(strings.ReplaceAll(doc, "%d", string(rune('0'+i))))
	}
	if err := os.WriteFile(filepath.Join(dir, "tiers.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := tabby(t, "validate", "--render-max-documents", "2", dir)
	if want := "this document takes the YAML documents decoded past the render's budget of 2; render a smaller path, or raise --render-max-documents"; code != exitFindings || !strings.Contains(out, "tiers.yaml:10: error ") || !strings.Contains(out, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and %q", code, out, want)
	}
	code, out, _ = tabby(t, "validate", "--render-max-file-size", "64", dir)
	if want := ": file is 207 B, over the limit of 64 B"; code != exitFindings || !strings.Contains(out, "tiers.yaml: error ") || !strings.Contains(out, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and %q", code, out, want)
	}
	code, _, stderr := tabby(t, "validate", "--render-timeout", "1ns", dir)
	if want := "past the render's deadline (raise it with --render-timeout): context deadline exceeded"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and %q", code, stderr, want)
	}
}
