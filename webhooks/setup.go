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

// DefaultBreakGlassGroup is the controller-wide break-glass group: its
// members may break glass on the objects of every guarded NetworkSync.
const DefaultBreakGlassGroup = "tabby:break-glass"

// Options configure the webhook.
type Options struct {
	// Identities are the controller's users: their writes get only
	// per-object checks, and when given the GitOps guard is on.
	Identities []string
	// BreakGlassGroups may break glass on the objects of every guarded
	// NetworkSync, in addition to its spec.guard.breakGlassGroups.
	BreakGlassGroups []string
}

// Register serves the validating webhook on the manager's webhook server,
// and starts the informers it reads from when the manager starts.
func Register(mgr ctrl.Manager, o Options) error {
	if err := mgr.Add(live.WarmInformers(mgr)); err != nil {
		return err
	}
	v := &Validator{Reader: mgr.GetClient(), Scheme: mgr.GetScheme(), Controller: o.Identities}
	if len(o.Identities) > 0 {
		v.Guard = &Guard{
			Reader:     mgr.GetClient(),
			Identities: o.Identities,
			Groups:     o.BreakGlassGroups,
			Events:     mgr.GetEventRecorder("tabby-webhook"),
		}
	}
	mgr.GetWebhookServer().Register(Path, &webhook.Admission{Handler: v})
	return mgr.Add(everyreplica.Runnable(func(ctx context.Context) error {
		return v.live.watch(ctx, mgr)
	}))
}
