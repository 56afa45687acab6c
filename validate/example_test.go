package validate

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// copyTree copies a directory into a new temporary one.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// edit replaces old with new in a file of dir and returns the 1-based line
// of the replacement.
func edit(t *testing.T, dir, file, old, new string) int {
	t.Helper()
	p := filepath.Join(dir, file)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), old)
	if i < 0 {
		t.Fatalf("%s does not contain %q", file, old)
	}
	out := string(data[:i]) + new + string(data[i+len(old):])
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

func TestExampleRepositoryIsClean(t *testing.T) {
	for _, cluster := range []string{"clusters/prod", "clusters/staging"} {
		b, err := render.Dir(t.Context(), "../repos-example", cluster, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if fs := Validate(ForBundle(b)); len(fs) > 0 {
			t.Errorf("%s: %d findings, want none:\n%v", cluster, len(fs), fs)
		}
	}
}

// TestBrokenExampleReportsEverything breaks the example repository four ways
// and expects one run to report each problem at the line it was made.
func TestBrokenExampleReportsEverything(t *testing.T) {
	dir := copyTree(t, "../repos-example")
	asnLine := edit(t, dir, "base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64512")
	poolLine := edit(t, dir, "base/ipam/pool-db-ipv4.yaml", "cidr: 10.245.0.0/24", "cidr: 10.244.7.0/24")
	selLine := edit(t, dir, "base/bgp/peer-tor-rack6.yaml", "nodeSelector: rack == 'rack6'", "nodeSelector: rack = 'rack6'")
	tierLine := edit(t, dir, "base/policy/application/frontend.yaml", "tier: application", "tier: aplication")

	b, err := render.Dir(t.Context(), dir, "clusters/prod", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings := Validate(ForBundle(b))
	want := map[string]manifest.Position{
		"peer-asn-fabric-mismatch": {File: "base/bgp/peer-tor-rack7.yaml", Line: asnLine},
		"pool-overlap":             {File: "base/ipam/pool-db-ipv4.yaml", Line: poolLine},
		"selector-invalid":         {File: "base/bgp/peer-tor-rack6.yaml", Line: selLine},
		"policy-tier-missing":      {File: "base/policy/application/frontend.yaml", Line: tierLine},
	}
	for code, pos := range want {
		found := false
		for _, f := range findings {
			if f.Code == code && f.Position.File == pos.File && f.Position.Line == pos.Line {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s at %s in:\n%v", code, pos, findings)
		}
	}
}

// TestConnectivityTestFailureNamesTheRule turns frontend's egress Allow into
// a Deny: validation must fail on the ConnectivityTest case that expects
// frontend to reach the api, with a trace pointing at the rule.
func TestConnectivityTestFailureNamesTheRule(t *testing.T) {
	dir := copyTree(t, "../repos-example")
	data, err := os.ReadFile(filepath.Join(dir, "base/policy/application/frontend.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	egress := strings.Index(string(data), "egress:")
	ruleLine := edit(t, dir, "base/policy/application/frontend.yaml", string(data[egress:strings.Index(string(data[egress:]), "- action: Allow")+egress])+"- action: Allow",
		string(data[egress:strings.Index(string(data[egress:]), "- action: Allow")+egress])+"- action: Deny")
	ruleLine += strings.Count(string(data[egress:strings.Index(string(data[egress:]), "- action: Allow")+egress]), "\n")

	b, err := render.Dir(t.Context(), dir, "clusters/prod", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var failed []Finding
	for _, f := range Validate(ForBundle(b)) {
		if f.Code == "connectivity-test-failed" {
			failed = append(failed, f)
		}
	}
	if len(failed) != 1 {
		t.Fatalf("want one failed case (frontend-to-api), got %v", failed)
	}
	f := failed[0]
	if f.Position.File != "base/tests/shop-flows.yaml" || !strings.Contains(f.Message, "case frontend-to-api expects Allow, but the policies give Deny") {
		t.Errorf("finding %s", f)
	}
	want := "=> rule 0 Deny at base/policy/application/frontend.yaml:" + strconv.Itoa(ruleLine)
	found := false
	for _, line := range f.Trace {
		if strings.Contains(line, want) {
			found = true
		}
	}
	if !found || len(f.Related) != 1 || f.Related[0].Position.Line != ruleLine {
		t.Errorf("trace does not mark the rule (%q):\n%s\nrelated %v", want, strings.Join(f.Trace, "\n"), f.Related)
	}
}
