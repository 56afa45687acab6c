package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainExitCodes proves that a repository or an inventory file that
// does not render exits 2, apart from 1, which means the flow is denied.
func TestExplainExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	if err := os.Mkdir(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"broken/kustomization.yaml": "resources: [policy.yaml]\n",
		"broken/policy.yaml":        "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec: {nope: 1}\n",
		"inventory.yaml":            "apiVersion: tabby.dev/v1alpha1\nkind: Inventory\nmetadata: {name: i}\nspec: {pods: [{namespace: a, name: b, nope: 1}]}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	peers := []string{"--from", "frontend/frontend-6f7c9", "--to", "api/api-5d8b4", "--port", "80"}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"broken repository", append([]string{"explain", "--root", dir, broken, "--inventory", "../../repos-example/inventory.yaml"}, peers...)},
		{"bad inventory", append([]string{"explain", "--root", "/", "../../repos-example/clusters/prod", "--inventory", filepath.Join(dir, "inventory.yaml")}, peers...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := tabby(t, tc.args...)
			if code != exitError || !strings.Contains(out, `: error `) || !strings.Contains(out, `"nope" is not known`) || stderr != "" {
				t.Errorf("exit %d, want %d\n%s%s", code, exitError, out, stderr)
			}
		})
	}
}
