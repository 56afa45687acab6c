package live

import (
	"context"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/internal/everyreplica"
)

// WarmInformers starts the cache's informers for every kind tabby applies,
// all at once, when the manager starts. Syncs and admission requests read
// these kinds from the cache; without this the first of them would start
// each informer in turn and wait for it (about a second per kind), past an
// admission webhook's timeout.
func WarmInformers(mgr ctrl.Manager) manager.Runnable {
	return everyreplica.Runnable(func(ctx context.Context) error {
		log := ctrl.LoggerFrom(ctx).WithName("informers")
		var wg sync.WaitGroup
		for _, k := range api.Kinds() {
			if !k.Applied {
				continue
			}
			gvk := k.Stored() // Calico Nodes are Kubernetes Nodes
			obj, err := mgr.GetScheme().New(gvk)
			if err != nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := mgr.GetCache().GetInformer(ctx, obj.(client.Object)); err != nil && !meta.IsNoMatchError(err) {
					log.Error(err, "start informer", "kind", gvk.Kind)
				}
			}()
		}
		wg.Wait()
		<-ctx.Done()
		return nil
	})
}
