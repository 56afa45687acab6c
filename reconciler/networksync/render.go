package networksync

import (
	"context"
	"sync"
	"time"

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

// DefaultRenderTimeout is the deadline of one render when
// Reconciler.RenderTimeout is zero: the render of a hostile repository
// ends there, and the sync fails, rather than holding a worker.
const DefaultRenderTimeout = time.Minute

// render returns the Bundle of the NetworkSync's path at the fetched
// commit, rendering it only when the commit or path changed.
func (r *Reconciler) render(ctx context.Context, obj *v1alpha1.NetworkSync, co *gitsource.Checkout) (*render.Bundle, error) {
	key := obj.Namespace + "/" + obj.Name
	r.bundles.mu.Lock()
	cached, ok := r.bundles.entries[key]
	r.bundles.mu.Unlock()
	if ok && cached.commit == co.Revision.Commit && cached.path == obj.Spec.Path {
		return cached.bundle, nil
	}
	b, err := r.renderTree(ctx, co, obj.Spec.Path)
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

// renderTree renders the path p of a checkout within the render budgets and
// deadline, one render at a time: each render's memory is bounded by its
// budgets, and renders do not add up however many NetworkSyncs sync at
// once.
func (r *Reconciler) renderTree(ctx context.Context, co *gitsource.Checkout, p string) (*render.Bundle, error) {
	select {
	case renderSlot <- struct{}{}:
		defer func() { <-renderSlot }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	timeout := r.RenderTimeout
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return render.Tree(ctx, co.Tree, p, r.RenderOptions)
}

// renderSlot is taken by the render in progress, in the process.
var renderSlot = make(chan struct{}, 1)
