package webhooks

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/tabbynet/tabby/internal/live"
)

// Path is where the validating webhook is served.
const Path = "/validate"

// Register serves the validating webhook, with the GitOps guard when
// identities are given, on the manager's webhook server, and starts the
// informers it reads from when the manager starts.
func Register(mgr ctrl.Manager, identities []string) error {
	if err := mgr.Add(live.WarmInformers(mgr)); err != nil {
		return err
	}
	v := &Validator{Reader: mgr.GetClient(), Scheme: mgr.GetScheme()}
	if len(identities) > 0 {
		v.Guard = &Guard{Reader: mgr.GetClient(), Identities: identities}
	}
	mgr.GetWebhookServer().Register(Path, &webhook.Admission{Handler: v})
	return nil
}
