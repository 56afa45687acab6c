package testenv

import (
	"os"
	"path/filepath"
	"testing"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Kubeconfig writes a kubeconfig for a cluster administrator of the control
// plane into a temporary file of t and returns its path, for commands that
// read a cluster the way a user would.
func (e *Env) Kubeconfig(t testing.TB) string {
	t.Helper()
	return e.KubeconfigAs(t, "tabby-test-admin", "system:masters")
}

// KubeconfigAs is Kubeconfig for the user name, member of groups.
func (e *Env) KubeconfigAs(t testing.TB, name string, groups ...string) string {
	t.Helper()
	data, err := e.KubeconfigFor(name, groups...)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// UserConfig returns a client configuration that authenticates as the user
// name, member of groups, to tell requests of different identities apart
// (admission webhooks see the user).
func (e *Env) UserConfig(t testing.TB, name string, groups ...string) *rest.Config {
	t.Helper()
	user, err := e.env.ControlPlane.AddUser(envtest.User{Name: name, Groups: groups}, nil)
	if err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
	return user.Config()
}
