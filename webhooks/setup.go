package webhooks

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/tabbynet/tabby/internal/everyreplica"
	"github.com/tabbynet/tabby/internal/live"
)

// Path is where the validating webhook is served.
const Path = "/validate"

// Register serves the validating webhook on the manager's webhook server,
// and starts the informers it reads from when the manager starts.
// identities are the controller's users: their writes get only per-object
// checks, and when given the GitOps guard is on.
func Register(mgr ctrl.Manager, identities []string) error {
	if err := mgr.Add(live.WarmInformers(mgr)); err != nil {
		return err
	}
	v := &Validator{Reader: mgr.GetClient(), Scheme: mgr.GetScheme(), Controller: identities}
	if len(identities) > 0 {
		v.Guard = &Guard{Reader: mgr.GetClient(), Identities: identities}
	}
	mgr.GetWebhookServer().Register(Path, &webhook.Admission{Handler: v})
	return mgr.Add(everyreplica.Runnable(func(ctx context.Context) error {
		return v.live.watch(ctx, mgr)
	}))
}
