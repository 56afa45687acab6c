package networksync

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
)

// Bounds of the drift status.
const (
	maxDriftItems  = 20
	maxDriftFields = 10
)

// Correction backoff: drift that comes back within correctionWindow of the
// time the last correction's delay ended waits twice as long as that one,
// from minCorrectionDelay up to maxCorrectionDelay, so that tabby and
// another writer fighting over an object cannot make a hot loop.
const (
	correctionWindow   = time.Minute
	minCorrectionDelay = time.Second
	maxCorrectionDelay = 5 * time.Minute
)

// corrections remembers, per NetworkSync, the last correction and the
// current delay.
type corrections struct {
	mu   sync.Mutex
	last map[types.NamespacedName]correction
}

type correction struct {
	at    time.Time
	delay time.Duration
}

// wait returns how long a correction of key must wait, zero when it may run
// now.
func (c *corrections) wait(key types.NamespacedName, now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	last, ok := c.last[key]
	if !ok {
		return 0
	}
	return max(last.at.Add(last.delay).Sub(now), 0)
}

// recurs reports whether drift at now comes back soon after the last
// correction: within correctionWindow of the end of its delay.
func (c correction) recurs(now time.Time) bool {
	return now.Sub(c.at) < c.delay+correctionWindow
}

// done records a correction of key at now.
func (c *corrections) done(key types.NamespacedName, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		c.last = map[types.NamespacedName]correction{}
	}
	last, ok := c.last[key]
	delay := minCorrectionDelay
	if ok && last.recurs(now) {
		delay = min(2*last.delay, maxCorrectionDelay)
	}
	c.last[key] = correction{at: now, delay: delay}
}

// handleDrift is the last step of every reconcile: it checks the objects
// the tracker marked since the last one, reports the drift and, under
// driftPolicy Correct, restores Git's state of modified and deleted
// objects. Unmanaged objects are reported, never deleted.
func (r *Reconciler) handleDrift(ctx context.Context, obj *v1alpha1.NetworkSync, result ctrl.Result) (ctrl.Result, error) {
	key := client.ObjectKeyFromObject(obj)
	if err := r.drift.check(ctx, key); err != nil {
		return ctrl.Result{}, fmt.Errorf("check drift: %w", err)
	}
	rep := r.drift.report(key)
	if obj.Spec.DriftPolicy != v1alpha1.DriftReport && correctable(rep) > 0 {
		if wait := r.corrections.wait(key, r.now()); wait > 0 {
			ctrl.LoggerFrom(ctx).V(1).Info("drift recurs; correction backs off", "after", wait)
			result = soonest(result, wait)
		} else {
			var err error
			if rep, err = r.correct(ctx, obj, rep); err != nil {
				r.setDrift(obj, rep, false)
				return ctrl.Result{}, err
			}
			r.setDrift(obj, rep, true)
			return result, nil
		}
	}
	r.setDrift(obj, rep, false)
	return result, nil
}

// correctable counts the items a correction restores.
func correctable(rep drift.Report) int {
	m, d, _ := rep.Counts()
	return m + d
}

func soonest(r ctrl.Result, d time.Duration) ctrl.Result {
	if r.RequeueAfter == 0 || d < r.RequeueAfter {
		r.RequeueAfter = d
	}
	return r
}

// correct re-applies the modified and deleted objects of a report, dry-run
// first, and returns the drift that remains.
func (r *Reconciler) correct(ctx context.Context, obj *v1alpha1.NetworkSync, rep drift.Report) (drift.Report, error) {
	key := client.ObjectKeyFromObject(obj)
	byID := r.drift.desired(key, obj.Status.LastAppliedRevision)
	if byID == nil {
		return rep, nil // the tracker follows another revision; the next sync reports
	}
	var objs []*manifest.Object
	var restored []string
	for _, it := range rep.Items {
		if o := byID[it.Subject]; o != nil && it.Type != drift.Unmanaged {
			objs = append(objs, o)
			restored = append(restored, string(it.Type)+" "+it.Subject)
		}
	}
	if len(objs) == 0 {
		return rep, nil
	}
	inventory, _, err := currentInventory(obj)
	if err != nil {
		return rep, err
	}
	m := r.newApplyManager(obj, inventory)
	// An object someone else owns now (Conflict, Lost) is not applied: the
	// next sync reports it.
	changes, err := m.Diff(ctx, objs)
	if err == nil {
		err = m.DryRun(ctx, changes)
	}
	if err == nil {
		_, err = m.Apply(ctx, changes)
	}
	r.drift.written(key, changes)
	now := r.now()
	r.corrections.done(key, now)
	if err != nil {
		err = fmt.Errorf("correct drift of %d object(s): %w", len(objs), err)
		r.event(obj, corev1.EventTypeWarning, "DriftCorrectionFailed", err.Error())
		return rep, err
	}
	if restored = withoutForeign(restored, changes); len(restored) > 0 {
		r.recordCorrection(obj, obj.Status.LastAppliedRevision, restored, now)
	}
	// What was applied now matches Git; the rest (found unchanged: someone
	// undid their change meanwhile) is checked again.
	r.drift.restored(key, changes)
	if err := r.drift.check(ctx, key); err != nil {
		return rep, fmt.Errorf("check drift: %w", err)
	}
	return r.drift.report(key), nil
}

// withoutForeign returns the "Type subject" entries of restored but those
// of objects a correction did not apply because someone else owns them now.
func withoutForeign(restored []string, changes []apply.Change) []string {
	foreign := map[string]bool{}
	for _, c := range changes {
		if c.Action == apply.Conflict || c.Action == apply.Lost {
			foreign[c.Object.ID()] = true
		}
	}
	if len(foreign) == 0 {
		return restored
	}
	var out []string
	for _, r := range restored {
		if _, subject, _ := strings.Cut(r, " "); !foreign[subject] {
			out = append(out, r)
		}
	}
	return out
}

// recordCorrection records restored objects in status and an event.
func (r *Reconciler) recordCorrection(obj *v1alpha1.NetworkSync, revision string, restored []string, at time.Time) {
	c := &v1alpha1.DriftCorrection{Time: metav1.NewTime(at.UTC().Truncate(time.Second)), Revision: revision, Count: len(restored)}
	c.Objects = restored
	if len(c.Objects) > maxDriftItems {
		c.Objects = c.Objects[:maxDriftItems]
	}
	if obj.Status.Drift == nil {
		obj.Status.Drift = &v1alpha1.DriftStatus{}
	}
	obj.Status.Drift.LastCorrection = c
	r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonDriftCorrected,
		fmt.Sprintf("restored %d object(s) to revision %s: %s", len(restored), revision, strings.Join(c.Objects, ", ")))
	if r.Metrics != nil {
		r.Metrics.DriftCorrected.WithLabelValues(obj.Namespace, obj.Name).Add(float64(len(restored)))
	}
}

// setDrift writes a drift report into status: the summary, the Drifted
// condition, a DriftDetected event naming what newly drifted, and the
// metric.
func (r *Reconciler) setDrift(obj *v1alpha1.NetworkSync, rep drift.Report, corrected bool) {
	var last *v1alpha1.DriftCorrection
	var before []v1alpha1.DriftItem
	if obj.Status.Drift != nil {
		last, before = obj.Status.Drift.LastCorrection, obj.Status.Drift.Items
	}
	modified, deleted, unmanaged := rep.Counts()
	st := &v1alpha1.DriftStatus{Modified: modified, Deleted: deleted, Unmanaged: unmanaged, LastCorrection: last}
	for i, it := range rep.Items {
		if i == maxDriftItems {
			break
		}
		st.Items = append(st.Items, statusItem(it))
	}
	obj.Status.Drift = st
	if st.Modified+st.Deleted+st.Unmanaged == 0 && st.LastCorrection == nil {
		obj.Status.Drift = nil
	}

	switch {
	case !rep.Empty():
		set(obj, v1alpha1.ConditionDrifted, metav1.ConditionTrue, v1alpha1.ReasonDriftDetected, rep.Summary())
	case corrected:
		set(obj, v1alpha1.ConditionDrifted, metav1.ConditionFalse, v1alpha1.ReasonDriftCorrected, "drift corrected: the cluster matches Git")
	default:
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionDrifted); c == nil || c.Status != metav1.ConditionFalse {
			set(obj, v1alpha1.ConditionDrifted, metav1.ConditionFalse, v1alpha1.ReasonNoDrift, "no drift: the cluster matches Git")
		}
	}
	if fresh := newlyDrifted(before, rep); len(fresh) > 0 {
		r.event(obj, corev1.EventTypeWarning, v1alpha1.ReasonDriftDetected, strings.Join(fresh, "; "))
	}
	if r.Metrics != nil {
		for typ, n := range map[drift.Type]int{drift.Modified: modified, drift.Deleted: deleted, drift.Unmanaged: unmanaged} {
			r.Metrics.DriftObjects.WithLabelValues(obj.Namespace, obj.Name, string(typ)).Set(float64(n))
		}
	}
}

// newlyDrifted describes the items of rep that before did not list.
func newlyDrifted(before []v1alpha1.DriftItem, rep drift.Report) []string {
	seen := make(map[string]bool, len(before))
	for _, it := range before {
		seen[it.Type+" "+it.Subject] = true
	}
	var out []string
	for _, it := range rep.Items {
		if seen[string(it.Type)+" "+it.Subject] || len(out) == 5 {
			continue
		}
		s := strings.ToLower(string(it.Type)) + " " + it.Subject
		if len(it.Fields) > 0 {
			s += ": " + it.Fields[0].String()
			if n := len(it.Fields) - 1; n > 0 {
				s += fmt.Sprintf(" (and %d more)", n)
			}
		}
		if it.Manager != "" {
			s += " by " + it.Manager
		}
		out = append(out, s)
	}
	return out
}

// statusItem is a drift item as status carries it.
func statusItem(it drift.Item) v1alpha1.DriftItem {
	out := v1alpha1.DriftItem{Subject: it.Subject, Type: string(it.Type), Source: it.Source, Manager: it.Manager, Operation: it.Operation}
	if it.ChangedAt != nil {
		t := metav1.NewTime(*it.ChangedAt)
		out.ChangedAt = &t
	}
	if it.FirstSeen != nil {
		out.FirstSeen = metav1.NewTime(it.FirstSeen.Truncate(time.Second))
	}
	for i, f := range it.Fields {
		if i == maxDriftFields {
			break
		}
		out.Fields = append(out.Fields, v1alpha1.DriftField{Path: f.Path, Desired: drift.Value(f.Desired), Live: drift.Value(f.Live)})
	}
	return out
}

// undone splits the changes of a sync into those Git made since the
// previous revision and those that only undo drift: objects Git did not
// change, which differ from the cluster because someone else changed or
// deleted them. prev is nil when the previous revision is unknown: then
// every change is Git's.
func undone(changes []apply.Change, prev map[string]*manifest.Object) []int {
	if prev == nil {
		return nil
	}
	var out []int
	for i, c := range changes {
		if c.Action != apply.Created && c.Action != apply.Configured || c.MarkOnly {
			continue // applying only marks the object: no drift to undo
		}
		if p := prev[c.Object.ID()]; p != nil && sameObject(p, c.Object) {
			out = append(out, i)
		}
	}
	return out
}

// sameObject reports whether two versions of an object mean the same.
func sameObject(a, b *manifest.Object) bool {
	return len(diff.Object(a, b)) == 0
}
