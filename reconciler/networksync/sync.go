package networksync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/gitsource"
	"github.com/tabbynet/tabby/reconciler/inventory"
	"github.com/tabbynet/tabby/validate"
)

// maxFindingsInStatus bounds the findings listed in status and events.
const maxFindingsInStatus = 10

// run is one sync of a NetworkSync.
type run struct {
	r        *Reconciler
	obj      *v1alpha1.NetworkSync
	revision string
	started  time.Time
	// reviewOnly are the entries of review-only kinds in the inventory
	// read, which the inventory written leaves out.
	reviewOnly []inventory.ObjMeta
	// status writes the status between phases.
	status *statusPatcher
}

// sync runs the pipeline for the NetworkSync's current revision. Each step
// either succeeds or ends the run with the reason of the condition it owns;
// no step changes anything live until every earlier one succeeded.
func (r *Reconciler) sync(ctx context.Context, obj *v1alpha1.NetworkSync, status *statusPatcher) (ctrl.Result, error) {
	log := ctrl.LoggerFrom(ctx)
	obj.Status.ObservedGeneration = obj.Generation
	src, err := r.source(ctx, obj)
	if err != nil {
		return r.fail(obj, "", v1alpha1.ReasonFetchFailed, err, false)
	}
	rev, err := src.Resolve(ctx)
	if err != nil {
		return r.fail(obj, "", v1alpha1.ReasonFetchFailed, fmt.Errorf("resolve %s: %w", refName(obj), err), errors.Is(err, gitsource.ErrInvalid))
	}
	revision := rev.String()
	requested := obj.Annotations[v1alpha1.ReconcileRequestAnnotation]
	if revision == obj.Status.LastAppliedRevision && observed(obj) &&
		requested == obj.Status.LastHandledReconcileAt && isReady(obj) &&
		r.drift.tracking(client.ObjectKeyFromObject(obj), revision) {
		// Nothing new in Git: no clone, no render; only drift to report
		// or correct, and no writes when it did not change.
		return r.handleDrift(ctx, obj, ctrl.Result{RequeueAfter: interval(obj)})
	}
	if wait := stalledWait(obj, revision, requested, r.now()); wait > 0 &&
		r.drift.tracking(client.ObjectKeyFromObject(obj), obj.Status.LastAppliedRevision) {
		// The revision failed in a way only a change can fix, and is
		// retried once per interval: a drift report in between keeps the
		// last applied revision's state, and does not retry it.
		return r.handleDrift(ctx, obj, ctrl.Result{RequeueAfter: wait})
	}
	obj.Status.LastHandledReconcileAt = requested
	obj.Status.LastAttemptedRevision = revision
	setReconciling(obj, "syncing revision "+revision)
	log.V(1).Info("syncing", "revision", revision)
	if err := status.patch(ctx, obj); err != nil {
		return ctrl.Result{}, err
	}

	ru := &run{r: r, obj: obj, revision: revision, started: r.now(), status: status}
	return ru.execute(ctx, src)
}

func (ru *run) execute(ctx context.Context, src *gitsource.Source) (ctrl.Result, error) {
	r, obj := ru.r, ru.obj
	co, err := src.Fetch(ctx)
	if err != nil {
		return ru.fail(v1alpha1.ReasonFetchFailed, fmt.Errorf("fetch %s: %w", ru.revision, err), false)
	}
	if _, err := r.verify(ctx, obj, co); err != nil {
		return ru.fail(v1alpha1.ReasonVerifyFailed, fmt.Errorf("verify %s: %w", ru.revision, err), true)
	}
	bundle, err := r.render(ctx, obj, co)
	if err != nil {
		return ru.fail(v1alpha1.ReasonRenderFailed, fmt.Errorf("render %s: %w", pathOf(obj), firstLinesError{err, maxFindingsInStatus}), true)
	}

	listed, reviewOnly, err := currentInventory(obj)
	if err != nil {
		return ru.fail(v1alpha1.ReasonApplyFailed, err, true)
	}
	ru.reviewOnly = reviewOnly
	liveObjs, _, err := live.Objects(ctx, r.Client)
	if err != nil {
		return ru.fail(v1alpha1.ReasonValidationFailed, fmt.Errorf("read live objects: %w", err), false)
	}
	in := validate.ForBundle(bundle)
	in.Live = withoutInventory(liveObjs, listed)
	findings := validate.Validate(in)
	obj.Status.Findings = summarise(findings)
	if findings.HasErrors() {
		return ru.fail(v1alpha1.ReasonValidationFailed, fmt.Errorf("revision %s has %d validation error(s); nothing was applied:\n%s",
			ru.revision, findings.Errors(), strings.Join(obj.Status.Findings.Items, "\n")), true)
	}

	objs := bundle.Applied()
	var stale []inventory.ObjMeta
	if obj.Spec.Prune {
		stale = staleEntries(listed, objs)
		if err := pruneGuard(obj, len(listed), stale, len(objs), r.now()); err != nil {
			return ru.fail(v1alpha1.ReasonPruneRefused, err, true)
		}
	}

	m := r.newApplyManager(obj, listed)
	changes, err := m.Diff(ctx, objs)
	if err != nil {
		return ru.fail(v1alpha1.ReasonApplyFailed, err, false)
	}
	if own := ownershipFindings(changes); len(own) > 0 {
		if kept := ru.withoutLost(listed, changes); len(kept) < len(listed) {
			ru.setInventory(toInventory(byMeta(kept)), len(listed), 0)
		}
		return ru.fail(v1alpha1.ReasonOwnershipConflict, ru.refuseOwnership(findings, own), true)
	}
	corrected := ru.separateDrift(ctx, src, bundle, changes)
	if err := m.DryRun(ctx, changes); err != nil {
		return ru.fail(v1alpha1.ReasonDryRunFailed, fmt.Errorf("the server rejects revision %s; nothing was applied:\n%w", ru.revision, err), false)
	}
	setReconciling(obj, fmt.Sprintf("applying revision %s: %d object(s)", ru.revision, len(changes)))
	if err := ru.status.patch(ctx, obj); err != nil {
		return ctrl.Result{}, err
	}
	key := client.ObjectKeyFromObject(obj)
	applied, err := m.Apply(ctx, changes)
	ru.count(applied)
	ru.announceAdopted(applied)
	if err != nil {
		ru.setInventory(mergeInventory(listed, applied), len(listed), 0)
		r.drift.untrack(key) // the cluster holds part of two revisions
		return ru.fail(v1alpha1.ReasonApplyFailed, fmt.Errorf("apply %s: %w", ru.revision, err), false)
	}

	pruned, released, pruneErr := m.Prune(ctx, stale)
	if r.Metrics != nil && len(pruned) > 0 {
		r.Metrics.ObjectsPruned.WithLabelValues(obj.Namespace, obj.Name).Add(float64(len(pruned)))
	}
	ru.announceReleased(released)
	ru.setInventory(newInventory(changes, stale, pruned, released), len(listed), len(pruned))
	if pruneErr != nil {
		r.drift.untrack(key)
		return ru.fail(v1alpha1.ReasonPruneFailed, fmt.Errorf("prune: %w (the objects stay in the inventory and are retried)", pruneErr), false)
	}
	if len(corrected) > 0 {
		r.recordCorrection(obj, ru.revision, corrected, r.now())
	}
	result, err := ru.succeed(changes, pruned)
	if err != nil {
		return result, err
	}
	// The tracker now follows this revision; what it marks is checked
	// in handleDrift, so that this sync's status reports the drift it left
	// (held objects, unmanaged ones).
	if err := r.drift.track(ctx, key, ru.revision, changes, obj.Status.Drift.FirstSeen()); err != nil {
		return ctrl.Result{}, fmt.Errorf("track drift: %w", err)
	}
	return r.handleDrift(ctx, obj, result)
}

// setInventory sets the inventory a sync leaves, and records the change
// for the prune guard's window. The entries of review-only kinds the
// inventory read held are not in it: they are released.
func (ru *run) setInventory(inv *v1alpha1.ResourceInventory, before, pruned int) {
	ru.obj.Status.Inventory = inv
	recordInventory(ru.obj, ru.r.now(), before, inv.Count, pruned)
	ru.announceReviewOnly()
}

// count adds applied objects to the metrics.
func (ru *run) count(applied []apply.Change) {
	if ru.r.Metrics == nil {
		return
	}
	for _, c := range applied {
		ru.r.Metrics.ObjectsApplied.WithLabelValues(ru.obj.Namespace, ru.obj.Name, string(c.Action)).Inc()
	}
}

func (ru *run) succeed(changes []apply.Change, pruned []inventory.ObjMeta) (ctrl.Result, error) {
	obj := ru.obj
	counts := map[apply.Action]int{}
	for _, c := range changes {
		counts[c.Action]++
	}
	msg := fmt.Sprintf("Applied revision %s: %d created, %d configured, %d unchanged, %d pruned",
		ru.revision, counts[apply.Created], counts[apply.Configured], counts[apply.Unchanged], len(pruned))
	if n := counts[apply.Held]; n > 0 {
		msg += fmt.Sprintf(", %d held", n)
	}
	if n := counts[apply.Skipped]; n > 0 {
		msg += fmt.Sprintf(", %d skipped", n)
		for _, c := range changes {
			if c.Action == apply.Skipped {
				ru.r.event(obj, corev1.EventTypeWarning, "Skipped", c.Reason)
			}
		}
	}
	obj.Status.LastAppliedRevision = ru.revision
	setReady(obj, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, msg, false)
	ru.record(v1alpha1.ReasonSucceeded)
	if counts[apply.Created]+counts[apply.Configured]+len(pruned) > 0 {
		ru.r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonSucceeded, msg)
	}
	if ru.r.Metrics != nil {
		ru.r.Metrics.LastSuccess.WithLabelValues(obj.Namespace, obj.Name).SetToCurrentTime()
	}
	return ctrl.Result{RequeueAfter: interval(obj)}, nil
}

// fail ends the run: Ready=False with reason, an event, a history record.
// A stalled failure waits for the next interval (a new commit or spec may
// fix it). Any other is retried: at spec.retryInterval when it is set,
// otherwise with the controller's exponential backoff.
func (ru *run) fail(reason string, err error, stalled bool) (ctrl.Result, error) {
	ru.record(reason)
	return ru.r.fail(ru.obj, ru.revision, reason, err, stalled)
}

func (r *Reconciler) fail(obj *v1alpha1.NetworkSync, revision, reason string, err error, stalled bool) (ctrl.Result, error) {
	msg := err.Error()
	setReady(obj, metav1.ConditionFalse, reason, msg, stalled)
	r.event(obj, corev1.EventTypeWarning, reason, msg)
	switch {
	case stalled:
		return ctrl.Result{RequeueAfter: interval(obj)}, nil
	case obj.Spec.RetryInterval != nil && obj.Spec.RetryInterval.Duration > 0:
		return ctrl.Result{RequeueAfter: obj.Spec.RetryInterval.Duration}, nil
	default:
		return ctrl.Result{}, fmt.Errorf("%s: %w", reason, err)
	}
}

// record adds the run to the history, newest first.
func (ru *run) record(result string) {
	h := v1alpha1.SyncRecord{
		Revision:  ru.revision,
		StartedAt: metav1.NewTime(ru.started.Truncate(time.Second)),
		Duration:  metav1.Duration{Duration: ru.r.now().Sub(ru.started).Round(time.Millisecond)},
		Result:    result,
	}
	ru.obj.Status.History = append([]v1alpha1.SyncRecord{h}, ru.obj.Status.History...)
	if len(ru.obj.Status.History) > historyLength {
		ru.obj.Status.History = ru.obj.Status.History[:historyLength]
	}
}

func (r *Reconciler) event(obj *v1alpha1.NetworkSync, typ, reason, msg string) {
	if r.Events == nil {
		return
	}
	if len(msg) > 1024 {
		msg = msg[:1021] + "..."
	}
	r.Events.Eventf(obj, nil, typ, reason, "Sync", "%s", msg)
}

// summarise returns the findings summary status carries.
func summarise(fs validate.Findings) *v1alpha1.FindingsSummary {
	s := &v1alpha1.FindingsSummary{Errors: fs.Errors(), Warnings: fs.Warnings()}
	for i, f := range fs {
		if i == maxFindingsInStatus {
			break
		}
		s.Items = append(s.Items, f.String())
	}
	return s
}

func refName(obj *v1alpha1.NetworkSync) string {
	if r := obj.Spec.Ref; r != nil {
		for _, s := range []string{r.Commit, r.SemVer, r.Tag, r.Branch} {
			if s != "" {
				return s
			}
		}
	}
	return gitsource.DefaultBranch
}

func pathOf(obj *v1alpha1.NetworkSync) string {
	if obj.Spec.Path == "" {
		return "."
	}
	return obj.Spec.Path
}

// firstLinesError shows the first n lines of an error whose message can be
// long (one line per render problem), and unwraps to it whole.
type firstLinesError struct {
	err error
	n   int
}

func (e firstLinesError) Error() string { return firstLines(e.err.Error(), e.n) }
func (e firstLinesError) Unwrap() error { return e.err }

// firstLines returns at most n lines of s, saying how many were left out.
func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... and %d more", len(lines)-n)
}

// stalledWait returns how long a Stalled NetworkSync waits before it tries
// revision again, or zero when it is not stalled on that revision or may
// try now: a stalled revision is retried once per interval, or at once when
// the spec changed or a sync was requested.
func stalledWait(obj *v1alpha1.NetworkSync, revision, requested string, now time.Time) time.Duration {
	if !meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionStalled) ||
		revision != obj.Status.LastAttemptedRevision || !observed(obj) ||
		requested != obj.Status.LastHandledReconcileAt || len(obj.Status.History) == 0 {
		return 0
	}
	last := obj.Status.History[0]
	return max(last.StartedAt.Add(last.Duration.Duration).Add(interval(obj)).Sub(now), 0)
}
