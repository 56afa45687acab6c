package networksync

import (
	"sync"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/gitsource"
	"github.com/tabbynet/tabby/render"
)

// bundleCache keeps the last Bundle rendered for each NetworkSync. Render
// is a pure function of a commit's tree and a path, so a sync of the same
// commit (a forced reconcile, a retry, a drift correction) reuses it.
type bundleCache struct {
	mu      sync.Mutex
	entries map[string]cachedBundle
}

type cachedBundle struct {
	commit, path string
	bundle       *render.Bundle
}

// render returns the Bundle of the NetworkSync's path at the fetched
// commit, rendering it only when the commit or path changed.
func (r *Reconciler) render(obj *v1alpha1.NetworkSync, co *gitsource.Checkout) (*render.Bundle, error) {
	key := obj.Namespace + "/" + obj.Name
	r.bundles.mu.Lock()
	cached, ok := r.bundles.entries[key]
	r.bundles.mu.Unlock()
	if ok && cached.commit == co.Revision.Commit && cached.path == obj.Spec.Path {
		return cached.bundle, nil
	}
	b, err := render.Tree(co.Tree, obj.Spec.Path, render.Options{})
	if err != nil {
		return nil, err
	}
	r.bundles.mu.Lock()
	if r.bundles.entries == nil {
		r.bundles.entries = map[string]cachedBundle{}
	}
	r.bundles.entries[key] = cachedBundle{commit: co.Revision.Commit, path: obj.Spec.Path, bundle: b}
	r.bundles.mu.Unlock()
	return b, nil
}
