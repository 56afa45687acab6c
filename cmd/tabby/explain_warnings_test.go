package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainReportsBadSelector proves a policy whose selector does not
// parse is reported, in the text and in the JSON, not silently skipped.
func TestExplainReportsBadSelector(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"kustomization.yaml": "resources: [policy.yaml]\n",
		"policy.yaml":        "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: broken}\nspec:\n  selector: app == \n  types: [Ingress]\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"explain", "--root", dir, dir, "--from", "10.0.0.1", "--to", "10.0.0.2", "--port", "80"}
	_, out, stderr := tabby(t, args...)
	if !strings.Contains(out, "warning: ") || !strings.Contains(out, "GlobalNetworkPolicy broken: spec.selector") {
		t.Errorf("text lacks the warning:\n%s%s", out, stderr)
	}
	_, out, _ = tabby(t, append(args, "-o", "json")...)
	var doc struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "spec.selector") {
		t.Errorf("json warnings %q, %v\n%s", doc.Warnings, err, out)
	}
}
