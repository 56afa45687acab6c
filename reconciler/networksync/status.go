package networksync

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// statusPatcher writes a NetworkSync's status to the API server when it
// changed since the last write, and only then: an unchanged poll makes no
// request. A sync writes between its phases, so that Reconciling=True
// reaches the API server while it runs, as kstatus reads it.
type statusPatcher struct {
	client client.Client
	before *v1alpha1.NetworkSync
}

func newStatusPatcher(c client.Client, obj *v1alpha1.NetworkSync) *statusPatcher {
	return &statusPatcher{client: c, before: obj.DeepCopy()}
}

// patch writes obj's status if it differs from the one last written.
func (p *statusPatcher) patch(ctx context.Context, obj *v1alpha1.NetworkSync) error {
	if equality.Semantic.DeepEqual(p.before.Status, obj.Status) {
		return nil
	}
	if err := p.client.Status().Patch(ctx, obj, client.MergeFrom(p.before)); err != nil {
		return client.IgnoreNotFound(fmt.Errorf("patch status: %w", err))
	}
	p.before = obj.DeepCopy()
	return nil
}
