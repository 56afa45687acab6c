package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

// bgpGolden holds every BGP finding of every input the tests know, one per
// line, so that a change to how BGP checks decide which sessions exist
// shows each finding it adds, drops or rewords.
const bgpGolden = "testdata/bgp-findings.golden"

// isBGPCode reports whether a code is about BGP: peers, nodes' peerings,
// route reflectors, BGPConfigurations, BGPFilters, Fabrics.
func isBGPCode(code string) bool {
	for _, prefix := range []string{"peer-", "node-no-peering", "node-bgp-", "route-reflector-", "bgp-", "fabric-"} {
		if strings.HasPrefix(code, prefix) {
			return true
		}
	}
	return false
}

// bgpScenarioFindings validates each multi-object BGP scenario of
// testdata/bgp by itself.
func bgpScenarioFindings(t *testing.T) []sourcedFinding {
	files, err := filepath.Glob("testdata/bgp/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no BGP scenarios in testdata/bgp: %v", err)
	}
	var out []sourcedFinding
	for _, f := range files {
		b, err := render.Dir(t.Context(), "testdata/bgp", filepath.Base(f), render.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, sourced(f, Validate(ForBundle(b)))...)
	}
	return out
}

// bgpFindingLines formats the BGP findings of fs, one line each.
func bgpFindingLines(source string, fs []sourcedFinding) []string {
	var out []string
	for _, f := range fs {
		if !isBGPCode(f.Code) {
			continue
		}
		line := fmt.Sprintf("%s | %s | %s %s %s %s | %s", source, f.input, f.Code, f.Severity, f.Position, f.Field, f.Message)
		for _, r := range f.Related {
			line += fmt.Sprintf(" | related %s: %s", r.Position, r.Message)
		}
		out = append(out, line)
	}
	return out
}

func TestBGPFindingsGolden(t *testing.T) {
	var got []string
	for _, source := range []struct {
		name     string
		findings func(t *testing.T) []sourcedFinding
	}{
		{"scenarios", bgpScenarioFindings},
		{"examples", examplesFindings},
		{"repos-example", reposExampleFindings},
		{"corpus", corpusFindings},
	} {
		got = append(got, bgpFindingLines(source.name, source.findings(t))...)
	}
	text := strings.Join(got, "\n") + "\n"
	if *update {
		if err := os.WriteFile(bgpGolden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(bgpGolden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, l := range got {
		if !slices.Contains(want, l) {
			t.Errorf("new finding:\n  %s", l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("finding gone:\n  %s", l)
		}
	}
}
