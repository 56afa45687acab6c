package live

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/internal/everyreplica"
)

// Informer is a cache's informer of one kind tabby applies. A Calico
// Node's informer is its Kubernetes Node's.
type Informer struct {
	Kind api.Kind
	cache.Informer
}

// Informers returns the cache's informers of every kind tabby applies that
// the cluster serves, in api.Kinds order, once each has synced. It starts
// them all at once: started in turn, each would wait for the one before
// (about a second per kind). A kind the cluster does not serve (no Calico
// API server, no tabby CRDs) is left out. This is the one loop over the
// managed kinds' informers: the controller's drift watches, the admission
// webhook's snapshot and WarmInformers all go through it.
func Informers(ctx context.Context, c cache.Cache, scheme *runtime.Scheme) ([]Informer, error) {
	kinds := api.Kinds()
	found := make([]*Informer, len(kinds))
	errs := make([]error, len(kinds))
	var wg sync.WaitGroup
	for i, k := range kinds {
		if !k.Applied {
			continue
		}
		gvk := k.Stored() // Calico Nodes are Kubernetes Nodes
		obj, err := scheme.New(gvk)
		if err != nil {
			continue // a kind the caller's scheme does not hold
		}
		wg.Go(func() {
			inf, err := c.GetInformer(ctx, obj.(client.Object))
			switch {
			case meta.IsNoMatchError(err):
			case err != nil:
				errs[i] = fmt.Errorf("start informer of %s: %w", gvk.Kind, err)
			default:
				found[i] = &Informer{Kind: k, Informer: inf}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []Informer
	for _, inf := range found {
		if inf != nil {
			out = append(out, *inf)
		}
	}
	return out, nil
}

// WarmInformers starts the cache's informers for every kind tabby applies,
// all at once, when the manager starts, on every replica. Syncs and
// admission requests read these kinds from the cache; without this the
// first of them would start each informer in turn and wait for it, past an
// admission webhook's timeout.
func WarmInformers(mgr ctrl.Manager) manager.Runnable {
	return everyreplica.Runnable(func(ctx context.Context) error {
		if _, err := Informers(ctx, mgr.GetCache(), mgr.GetScheme()); err != nil && ctx.Err() == nil {
			ctrl.LoggerFrom(ctx).WithName("informers").Error(err, "start informers")
		}
		<-ctx.Done()
		return nil
	})
}
