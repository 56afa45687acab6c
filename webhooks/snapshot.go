package webhooks

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
)

// snapshot keeps the live objects an admission request is checked against,
// converted and defaulted once and reused until an informer reports a
// change: admission requests outnumber writes, and converting thousands of
// objects per request would dominate its latency.
type snapshot struct {
	changes atomic.Uint64 // bumped by every informer event

	mu      sync.Mutex
	built   uint64 // the value of changes the objects were built at
	objects []*manifest.Object
	valid   bool
}

// watch registers the snapshot's invalidation on the informers of every
// kind it holds. Until it has run, every request rebuilds.
func (s *snapshot) watch(ctx context.Context, mgr ctrl.Manager) error {
	bump := toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { s.changes.Add(1) },
		UpdateFunc: func(any, any) { s.changes.Add(1) },
		DeleteFunc: func(any) { s.changes.Add(1) },
	}
	informers, err := live.Informers(ctx, mgr.GetCache(), mgr.GetScheme())
	if err != nil {
		return err
	}
	for _, inf := range informers {
		if _, err := inf.AddEventHandler(bump); err != nil {
			return fmt.Errorf("watch %s: %w", inf.Kind.Kind, err)
		}
	}
	s.mu.Lock()
	s.valid = false // events before the handlers were registered are unseen
	s.mu.Unlock()
	s.changes.Add(1)
	return nil
}

// get returns the live objects, rebuilding them with build when something
// changed since they were built. Callers must not modify them.
func (s *snapshot) get(build func() ([]*manifest.Object, error)) ([]*manifest.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.changes.Load()
	if s.valid && s.built == now {
		return s.objects, nil
	}
	objs, err := build()
	if err != nil {
		return nil, err
	}
	s.objects, s.built, s.valid = objs, now, true
	return objs, nil
}
