package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var explainExample = []string{"explain", "--root", "../../repos-example", "../../repos-example/clusters/prod", "--inventory", "../../repos-example/inventory.yaml"}

// TestExplainGolden explains frontend → api:80 in the example repository:
// allowed, with the deciding rules marked and placed in their files.
func TestExplainGolden(t *testing.T) {
	golden := filepath.Join("testdata", "explain-frontend-api.golden.txt")
	code, out, stderr := tabby(t, append(explainExample, "--from", "frontend/frontend-6f7c9", "--to", "api/api-5d8b4", "--port", "80")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tabby -update)", err)
	}
	if string(want) != out {
		t.Errorf("output differs from %s; run go test ./cmd/tabby -update and review the diff:\n%s", golden, out)
	}
	for _, want := range []string{"verdict: Allow", "=> rule 0 Allow at base/policy/application/frontend.yaml:", "=> rule 0 Allow at base/policy/application/api.yaml:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestExplainDeniedAndJSON(t *testing.T) {
	code, out, _ := tabby(t, append(explainExample, "--from", "frontend/frontend-6f7c9", "--to", "169.254.169.254", "--port", "80")...)
	if code != exitFindings || !strings.Contains(out, "verdict: Deny") || !strings.Contains(out, "=> rule 0 Deny at base/policy/security/block-metadata.yaml:") {
		t.Errorf("metadata service: exit %d\n%s", code, out)
	}
	code, out, _ = tabby(t, append(explainExample, "--from", "db/db-0", "--to", "frontend/frontend-6f7c9", "--port", "80", "-o", "json")...)
	var doc struct {
		Flow   string `json:"flow"`
		Result struct {
			Verdict string `json:"verdict"`
			Egress  struct {
				Decision struct {
					Kind string `json:"kind"`
					Tier string `json:"tier"`
				} `json:"decision"`
			} `json:"egress"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if doc.Result.Verdict != "Deny" || doc.Result.Egress.Decision.Kind != "TierDefaultAction" || doc.Result.Egress.Decision.Tier != "application" {
		t.Errorf("db → frontend: %+v", doc)
	}
	if code, _, stderr := tabby(t, append(explainExample, "--from", "frontend/nope", "--to", "api/api-5d8b4", "--port", "80")...); code != exitError || !strings.Contains(stderr, "no pod nope in namespace frontend") {
		t.Errorf("unknown pod: exit %d, %s", code, stderr)
	}
	if code, _, _ := tabby(t, append(explainExample, "--from", "frontend/frontend-6f7c9", "--to", "api/api-5d8b4")...); code != exitError {
		t.Errorf("missing port: exit %d", code)
	}
}
