package testenv

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	"github.com/tabbynet/tabby/api"
)

// Option configures an Env.
type Option func(*options)

type options struct {
	scheme   *runtime.Scheme
	crdDirs  []string
	webhooks []string
}

// WithScheme sets the scheme of Env.Client (and of envtest, which uses it to
// find conversion webhooks). It should hold client-go's built-in kinds as well
// as the caller's own; Env.Namespace needs core/v1. The default is a new
// Scheme.
func WithScheme(s *runtime.Scheme) Option {
	return func(o *options) { o.scheme = s }
}

// WithCRDDirectory installs the CRDs in dir as well as those in
// <repo>/config/crd/bases. Unlike the default directory, dir must exist.
func WithCRDDirectory(dir string) Option {
	return func(o *options) { o.crdDirs = append(o.crdDirs, dir) }
}

// WithWebhooks installs the webhook configurations in the given files,
// rewritten to call a local server over TLS: serve them on the host, port
// and certificate directory of Env.Webhook.
func WithWebhooks(paths ...string) Option {
	return func(o *options) { o.webhooks = append(o.webhooks, paths...) }
}

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.scheme == nil {
		o.scheme = Scheme()
	}
	return o
}

// Scheme returns a new scheme holding client-go's built-in kinds and every
// kind of tabby's API: what tabby's tests and its demo read and write.
func Scheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s)) // static registrations: cannot fail
	utilruntime.Must(api.AddToScheme(s))
	return s
}
