package networksync

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
	"github.com/tabbynet/tabby/render"
)

// Defaults of a NetworkSync's timing.
const (
	DefaultInterval = 5 * time.Minute
	DefaultTimeout  = 60 * time.Second
	historyLength   = 5
)

// Reconciler syncs NetworkSyncs.
type Reconciler struct {
	// Client reads from the manager's cache and writes to the API server.
	Client client.Client
	// APIReader reads Secrets straight from the API server, so that the
	// controller does not cache every Secret of the cluster.
	APIReader client.Reader
	Scheme    *runtime.Scheme
	Events    recorder.EventRecorder
	Metrics   *Metrics
	// CacheDir holds the Git clones.
	CacheDir string
	// AllowFileURLs lets NetworkSyncs name file:// repositories, on the
	// controller's own filesystem: for tests and demos only (see
	// gitsource.Source.AllowFileURLs). Off, such a NetworkSync stalls.
	AllowFileURLs bool
	// Concurrency bounds the API requests of one sync in flight.
	Concurrency int
	// Now is the controller's clock: of history records, first-seen
	// times of drift, the correction backoff and the prune guard's window.
	// Default time.Now.
	Now func() time.Time
	// RenderOptions are the budgets of each render (render.Options; the
	// zero value is render's defaults).
	RenderOptions render.Options
	// RenderTimeout is the deadline of each render; zero is
	// DefaultRenderTimeout.
	RenderTimeout time.Duration

	bundles     *bundleCache
	drift       *driftTracker
	corrections *corrections
	// inventories are the NetworkSyncs' inventories, decoded once per
	// change, where ownership asks which one lists an object.
	inventories *inventory.Cache
}

// SetupWithManager registers the controller with a manager.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.bundles = &bundleCache{}
	r.corrections = &corrections{}
	r.inventories = &inventory.Cache{}
	r.drift = newDriftTracker(mgr.GetScheme(), mgr.GetCache(), mgr.GetAPIReader(), r.now)
	if err := mgr.Add(live.WarmInformers(mgr)); err != nil {
		return err
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.NetworkSync{}, inventoryIndex, indexInventory); err != nil {
		return fmt.Errorf("index NetworkSyncs by inventory: %w", err)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.NetworkSync{}, builder.WithPredicates(predicate.Or(
			predicate.GenerationChangedPredicate{},
			predicate.AnnotationChangedPredicate{},
		))).
		// A change to a managed object enqueues the NetworkSyncs that
		// manage it or its kind, whose reconcile checks it for drift.
		WatchesRawSource(r.drift.watch()).
		WithOptions(opts).
		Named("networksync").
		Complete(r)
}

// Trigger requests an immediate sync of a NetworkSync; the push receiver
// calls it. It sets the reconcile annotation, as tabby reconcile does, so
// that the request reaches the leader whichever replica received the push.
// It does not block: the write happens in the background.
func (r *Reconciler) Trigger(namespace, name string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		obj := &v1alpha1.NetworkSync{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}
		patch := []byte(fmt.Sprintf(`{"metadata":{"annotations":{%q:%q}}}`, v1alpha1.ReconcileRequestAnnotation, r.now().UTC().Format(time.RFC3339Nano)))
		if err := r.Client.Patch(ctx, obj, client.RawPatch(types.MergePatchType, patch)); err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "request a sync after a push event", "networksync", namespace+"/"+name)
		}
	}()
}

// Reconcile syncs one NetworkSync.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	// Read from the API server, not the cache: a reconcile the drift
	// tracker enqueues right after a sync must see the status that sync
	// wrote, or it would take the sync for undone and run it again.
	obj := &v1alpha1.NetworkSync{}
	if err := r.APIReader.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) {
			r.drift.untrack(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !obj.DeletionTimestamp.IsZero() {
		r.drift.untrack(req.NamespacedName)
		return ctrl.Result{}, nil // objects are left in place; see the package doc
	}
	before := obj.DeepCopy()
	status := newStatusPatcher(r.Client, obj)
	start := r.now()
	defer func() {
		r.recordMetrics(obj, start)
		if err := status.patch(ctx, obj); err != nil {
			retErr = errors.Join(retErr, err)
		}
	}()

	if obj.Spec.Suspend {
		setReady(obj, readyStatus(before), v1alpha1.ReasonSuspended, "syncing is suspended", false)
		obj.Status.ObservedGeneration = obj.Generation
		return ctrl.Result{}, nil
	}
	result, err := r.sync(ctx, obj, status)
	r.clearBreakGlass(ctx, obj)
	return result, err
}

func (r *Reconciler) recordMetrics(obj *v1alpha1.NetworkSync, start time.Time) {
	if r.Metrics == nil {
		return
	}
	r.Metrics.ReconcileDuration.WithLabelValues("NetworkSync", obj.Namespace, obj.Name).Observe(r.now().Sub(start).Seconds())
	ready := 0.0
	if isReady(obj) {
		ready = 1
	}
	r.Metrics.Ready.WithLabelValues(obj.Namespace, obj.Name).Set(ready)
}

// interval returns the time until the next sync, with up to 10 % jitter so
// that NetworkSyncs created together do not poll together.
func interval(obj *v1alpha1.NetworkSync) time.Duration {
	d := obj.Spec.Interval.Duration
	if d <= 0 {
		d = DefaultInterval
	}
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

func timeout(obj *v1alpha1.NetworkSync) time.Duration {
	if obj.Spec.Timeout != nil && obj.Spec.Timeout.Duration > 0 {
		return obj.Spec.Timeout.Duration
	}
	return DefaultTimeout
}

// newApplyManager returns the apply manager of one sync of obj, whose
// inventory lists inventory.
func (r *Reconciler) newApplyManager(obj *v1alpha1.NetworkSync, inventory []inventory.ObjMeta) *apply.Manager {
	ids := make(map[string]bool, len(inventory))
	for _, m := range inventory {
		ids[m.ID()] = true
	}
	return &apply.Manager{
		Client: r.Client, Reader: r.Client, APIReader: r.APIReader, Scheme: r.Scheme, Concurrency: r.Concurrency,
		Sync: client.ObjectKeyFromObject(obj), Inventory: ids, Inventories: r.inventories,
	}
}

func (r *Reconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
