package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// startTimeout bounds how long etcd and kube-apiserver each get to become
// ready. It is generous because `go test ./...` starts several control planes
// at once, next to the compiler, on small CI machines.
const startTimeout = 90 * time.Second

// Env is a running control plane: a real kube-apiserver backed by a real etcd,
// with tabby's CRDs installed.
type Env struct {
	// Config reaches the API server as a cluster administrator.
	Config *rest.Config
	// Client is a controller-runtime client for Config, using Scheme.
	Client client.Client
	// Scheme is the scheme given by WithScheme.
	Scheme *runtime.Scheme
	// Webhook is where the webhooks of WithWebhooks must be served.
	Webhook WebhookServing

	env *envtest.Environment
}

// Start starts a control plane for t alone and stops it when t ends. It fails
// t if the control plane cannot start, and skips t only if TABBY_SKIP_ENVTEST=1.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	if reason, skip := skipReason(); skip {
		t.Skip(reason)
	}
	e, err := start(newOptions(opts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Error(err)
		}
	})
	return e
}

func start(o options) (*Env, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, fmt.Errorf("start control plane: %w", err)
	}
	apiserverPath, etcdPath, err := binaries(root)
	if err != nil {
		return nil, fmt.Errorf("start control plane: %w", err)
	}

	log := newTail(64 << 10)
	env := &envtest.Environment{
		Scheme:                   o.scheme,
		CRDDirectoryPaths:        crdDirectories(root, o.crdDirs),
		ErrorIfCRDPathMissing:    true,
		ControlPlaneStartTimeout: startTimeout,
		WebhookInstallOptions:    envtest.WebhookInstallOptions{Paths: o.webhooks},
	}
	apiserver := env.ControlPlane.GetAPIServer()
	apiserver.Path = apiserverPath
	apiserver.Out, apiserver.Err = log, log
	env.ControlPlane.Etcd = &envtest.Etcd{Path: etcdPath, Out: log, Err: log}

	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("start control plane: %w\n--- control plane output (tail) ---\n%s", err, log)
	}
	c, err := client.New(cfg, client.Options{Scheme: o.scheme})
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("start control plane: new client: %w", err)
	}
	w := env.WebhookInstallOptions
	return &Env{Config: cfg, Client: c, Scheme: o.scheme, env: env,
		Webhook: WebhookServing{Host: w.LocalServingHost, Port: w.LocalServingPort, CertDir: w.LocalServingCertDir}}, nil
}

// WebhookServing is where the API server calls the installed webhooks.
type WebhookServing struct {
	Host    string
	Port    int
	CertDir string
}

func (e *Env) stop() error {
	if err := e.env.Stop(); err != nil {
		return fmt.Errorf("stop control plane: %w", err)
	}
	return nil
}

// Namespace creates a namespace with a unique name for t and returns the name.
// The namespace is deleted when t ends; the control plane runs no namespace
// controller, so it stays Terminating, but nothing else uses its name.
func (e *Env) Namespace(t testing.TB) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "test-"}}
	if err := e.Client.Create(context.Background(), ns); err != nil {
		t.Fatalf("create test namespace: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Client.Delete(context.Background(), ns); client.IgnoreNotFound(err) != nil {
			t.Errorf("delete test namespace %s: %v", ns.Name, err)
		}
	})
	return ns.Name
}
