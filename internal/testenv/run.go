package testenv

import (
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Run starts a control plane for a program rather than a test (the demo);
// the caller stops it with Stop.
func Run(opts ...Option) (*Env, error) {
	if _, _, err := binaries(mustRoot()); err != nil {
		return nil, err
	}
	return start(newOptions(opts))
}

// Stop stops a control plane started by Run.
func (e *Env) Stop() error { return e.stop() }

// KubeconfigFor returns a kubeconfig for the user name, member of groups.
func (e *Env) KubeconfigFor(name string, groups ...string) ([]byte, error) {
	user, err := e.env.ControlPlane.AddUser(envtest.User{Name: name, Groups: groups}, nil)
	if err != nil {
		return nil, fmt.Errorf("add user %s: %w", name, err)
	}
	return user.KubeConfig()
}

func mustRoot() string {
	root, err := repoRoot()
	if err != nil {
		return "."
	}
	return root
}
