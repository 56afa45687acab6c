package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestKubeconfigMissing shows that a kubeconfig that cannot be found is
// named, with what to do, instead of client-go's advice to set
// KUBERNETES_MASTER.
func TestKubeconfigMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "kubeconfig")
	t.Setenv("KUBERNETES_SERVICE_HOST", "") // not in a cluster
	for _, tc := range []struct {
		name, env string
		args      []string
		want      string
	}{
		{"KUBECONFIG", missing, nil, "kubeconfig: none found: tried $KUBECONFIG (" + missing + "), and not running in a cluster; give --kubeconfig FILE or set KUBECONFIG"},
		{"--kubeconfig", "", []string{"--kubeconfig", missing}, "kubeconfig: --kubeconfig " + missing + " does not exist; give the path of a kubeconfig file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tc.env)
			code, _, stderr := tabby(t, append([]string{"reconcile", "prod", "--timeout", "0"}, tc.args...)...)
			if code != exitError || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "KUBERNETES_MASTER") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitError, tc.want)
			}
		})
	}
}

// TestClusterFlagsHelp shows that the help of --kubeconfig says what each
// command does with the cluster, and that reconcile looks for NetworkSyncs
// where drift and the controller do.
func TestClusterFlagsHelp(t *testing.T) {
	for _, tc := range []struct {
		command, want string
	}{
		{"controller", "the controller applies, prunes and reviews objects with it"},
		{"reconcile", "reconcile annotates the NetworkSync with it"},
		{"drift", "read-only"},
		{"plan", "read-only"},
	} {
		_, out, _ := tabby(t, tc.command, "--help")
		line := flagLine(out, "--kubeconfig")
		if !strings.Contains(line, tc.want) {
			t.Errorf("tabby %s --help: --kubeconfig %q, want it to say %q", tc.command, line, tc.want)
		}
	}
	_, out, _ := tabby(t, "reconcile", "--help")
	if line := flagLine(out, "--namespace"); !strings.Contains(line, `(default "tabby-system")`) {
		t.Errorf("tabby reconcile --help: --namespace %q, want the default tabby-system, as drift's", line)
	}
}

// flagLine returns the line of a command's help describing flag.
func flagLine(help, flag string) string {
	for line := range strings.Lines(help) {
		if strings.Contains(line, flag+" ") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
