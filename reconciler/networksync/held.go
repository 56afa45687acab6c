package networksync

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/gitsource"
	"github.com/tabbynet/tabby/render"
)

// separateDrift finds the changes of a sync that only undo drift: objects
// Git did not change since the last applied revision, which differ from
// the cluster because someone changed or deleted them there. Under
// driftPolicy Report they are held, and the cluster's version stays. Under
// Correct they are applied, and returned as "Type subject" to be recorded
// as a correction.
func (ru *run) separateDrift(ctx context.Context, src *gitsource.Source, bundle *render.Bundle, changes []apply.Change) []string {
	report := ru.obj.Spec.DriftPolicy == v1alpha1.DriftReport
	var corrected []string
	for _, i := range undone(changes, ru.previous(ctx, src, bundle, report)) {
		c := &changes[i]
		if report {
			c.Action = apply.Held
			continue
		}
		typ := drift.Modified
		if c.Action == apply.Created {
			typ = drift.Deleted
		}
		corrected = append(corrected, string(typ)+" "+c.Object.ID())
	}
	return corrected
}

// previous returns the applied objects of the last applied revision by ID,
// or nil when there was none. The tracker knows them unless the controller
// restarted since; then, when fetch is set, the revision is fetched and
// rendered again. A revision that cannot be read any more (history
// rewritten) is reported in an event, and nil returned: every difference
// is then Git's to apply.
func (ru *run) previous(ctx context.Context, src *gitsource.Source, bundle *render.Bundle, fetch bool) map[string]*manifest.Object {
	last := ru.obj.Status.LastAppliedRevision
	if last == "" {
		return nil
	}
	if d := ru.r.drift.desired(client.ObjectKeyFromObject(ru.obj), last); d != nil {
		return d
	}
	if last == ru.revision {
		return byID(bundle.Applied())
	}
	if !fetch {
		return nil
	}
	b, err := ru.renderRevision(ctx, src, last)
	if err != nil {
		ru.r.event(ru.obj, corev1.EventTypeWarning, v1alpha1.ReasonPreviousRevisionUnreadable,
			fmt.Sprintf("cannot read the last applied revision %s to tell Git's changes from drift, so revision %s is applied whole: %v", last, ru.revision, err))
		return nil
	}
	return byID(b.Applied())
}

// renderRevision fetches and renders a revision in status form,
// "branch@sha1:<commit>" or "sha1:<commit>".
func (ru *run) renderRevision(ctx context.Context, src *gitsource.Source, revision string) (*render.Bundle, error) {
	rev, err := gitsource.ParseRevision(revision)
	if err != nil {
		return nil, err
	}
	// The ref may be a branch or a tag: fetch the commit from all of them.
	prev := *src
	prev.Ref = gitsource.Ref{Commit: rev.Commit}
	co, err := prev.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	return ru.r.renderTree(ctx, co, ru.obj.Spec.Path)
}

func byID(objs []*manifest.Object) map[string]*manifest.Object {
	out := make(map[string]*manifest.Object, len(objs))
	for _, o := range objs {
		out[o.ID()] = o
	}
	return out
}
