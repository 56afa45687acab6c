package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// tabby runs the CLI in-process and returns its exit code and output.
func tabby(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestRenderGolden proves `tabby render repos-example/clusters/prod` prints
// the same canonical YAML on every run, equal to the reviewed golden file.
func TestRenderGolden(t *testing.T) {
	golden := filepath.Join("testdata", "render-prod.golden.yaml")
	code, first, stderr := tabby(t, "render", "--root", "../../repos-example", "../../repos-example/clusters/prod")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, again, _ := tabby(t, "render", "--root", "../../repos-example", "../../repos-example/clusters/prod"); again != first {
		t.Fatal("two runs print different output")
	}
	if *update {
		if err := os.WriteFile(golden, []byte(first), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tabby -update)", err)
	}
	if string(want) != first {
		t.Errorf("output differs from %s; run go test ./cmd/tabby -update and review the diff", golden)
	}
}

func TestRenderExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\nspec: {Order: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := tabby(t, "render", "--root", dir, bad)
	if code != exitFindings || !strings.Contains(out, `# `+bad+`:4:8: error `) || !strings.Contains(out, `: spec.Order: field "Order" is not known; did you mean "order"?`) || stderr != "" {
		t.Errorf("bad content: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if code, _, _ := tabby(t, "render"); code != exitError {
		t.Errorf("missing argument: exit %d, want %d", code, exitError)
	}
	if code, _, _ := tabby(t, "render", "-o", "xml", "--root", "../../repos-example", "../../repos-example/clusters/prod"); code != exitError {
		t.Errorf("unknown output: exit %d, want %d", code, exitError)
	}
	code, out, _ = tabby(t, "render", "-o", "json", "--root", "../../repos-example", "../../repos-example/clusters/prod")
	if code != exitOK || !strings.Contains(out, `"file": "base/bgp/peer-tor-rack7.yaml"`) {
		t.Errorf("json: exit %d", code)
	}
	if code, out, _ := tabby(t, "version"); code != exitOK || !strings.HasPrefix(out, "tabby ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
