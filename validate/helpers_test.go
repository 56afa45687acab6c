package validate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// validateYAML renders manifests (one or more YAML documents) the way a
// repository is rendered, validates them, and returns the findings. Each
// setup function may add to the Input what the manifests cannot say: live
// objects, the cluster's CIDRs, a node inventory.
func validateYAML(t *testing.T, yaml string, setup ...func(*Input)) Findings {
	t.Helper()
	b, err := renderYAML(t.TempDir(), yaml)
	if err != nil {
		t.Fatalf("manifests do not render: %v\n%s", err, yaml)
	}
	in := ForBundle(b)
	for _, f := range setup {
		f(&in)
	}
	return Validate(in)
}

// validateFuzzYAML is validateYAML for fuzz tests: manifests that do not
// render are skipped (ok is false) rather than failing the test.
func validateFuzzYAML(dir, yaml string) (fs Findings, ok bool) {
	b, err := renderYAML(dir, yaml)
	if err != nil {
		return nil, false
	}
	return Validate(ForBundle(b)), true
}

// renderYAML writes yaml to a file in dir and renders dir.
func renderYAML(dir, yaml string) (*render.Bundle, error) {
	if err := os.WriteFile(filepath.Join(dir, "manifests.yaml"), []byte(yaml), 0o644); err != nil {
		return nil, err
	}
	return render.Dir(context.Background(), dir, ".", render.Options{})
}

// codesOf returns the code of each finding, in the findings' order.
func codesOf(fs Findings) []string {
	codes := make([]string, 0, len(fs))
	for _, f := range fs {
		codes = append(codes, f.Code)
	}
	return codes
}

// keysOf returns "code field" for each finding, in the findings' order.
func keysOf(fs Findings) []string {
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		keys = append(keys, f.Code+" "+f.Field)
	}
	return keys
}

// liveYAML returns a setup function adding the objects rendered from yaml
// to the Input's live objects.
func liveYAML(t *testing.T, yaml string) func(*Input) {
	t.Helper()
	b, err := renderYAML(t.TempDir(), yaml)
	if err != nil {
		t.Fatalf("live objects do not render: %v", err)
	}
	return func(in *Input) {
		for _, o := range b.Objects {
			live := *o
			live.Source = manifest.Source{} // live objects have no source file
			in.Live = append(in.Live, &live)
		}
	}
}

// findingCase is a table test of Validate: manifests and the findings they
// must produce, as "code field" in any order (none when want is empty).
// When msg is set, some finding's message must contain it.
type findingCase struct {
	name string
	yaml string
	want []string
	msg  string
}

// runFindingCases runs each case as a subtest.
func runFindingCases(t *testing.T, cases []findingCase, setup ...func(*Input)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := validateYAML(t, tc.yaml, setup...)
			got := keysOf(fs)
			want := append([]string(nil), tc.want...)
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings differ\n got: %q\nwant: %q", got, want)
				for _, f := range fs {
					t.Logf("  %s", f)
				}
			}
			if tc.msg != "" && !slices.ContainsFunc(fs, func(f Finding) bool { return strings.Contains(f.Message, tc.msg) }) {
				t.Errorf("no finding message contains %q", tc.msg)
				for _, f := range fs {
					t.Logf("  %s", f)
				}
			}
		})
	}
}
