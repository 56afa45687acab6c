package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// Guard is the GitOps guard: an object a NetworkSync with spec.guard
// manages may be changed only by the controller. Anyone else is denied and
// told where in Git to make the change, unless they break glass.
//
// Breaking glass takes a member of a break-glass group (the NetworkSync's
// spec.guard.breakGlassGroups, or Groups) and, for a create or an update,
// a reason for that change: the request must set the tabby.dev/break-glass
// annotation, on an update to a value other than the old object's (both
// without surrounding space). A reason left on the object by an earlier
// change lets nothing through, and the controller removes it after its next
// successful sync, unless Git itself sets it. A delete
// carries no new annotations: membership is enough. A break-glass change is
// still validated, admitted with a warning, recorded as an Event on the
// NetworkSync and a log line, and shows up as drift.
type Guard struct {
	// Reader reads NetworkSyncs: the controller's cache.
	Reader client.Reader
	// Identities are the users whose requests are the controller's own.
	Identities []string
	// Groups may break glass on the objects of every guarded NetworkSync.
	Groups []string
	// Events, when set, records admitted break-glass changes.
	Events recorder.EventRecorder

	inventories inventory.Cache
}

// verdict is the guard's answer to a request.
type verdict struct {
	// resp is the answer when decided; otherwise its warnings join those
	// of the checks that follow.
	resp    admission.Response
	decided bool
	// glass is the break-glass change let through, to be recorded if the
	// request is admitted.
	glass *breakGlass
}

func decided(resp admission.Response) verdict { return verdict{resp: resp, decided: true} }

// check applies the guard to a request on obj: the new object of a create
// or update, the old one of a delete.
func (g *Guard) check(ctx context.Context, req admission.Request, obj *manifest.Object) verdict {
	if g == nil || slices.Contains(g.Identities, req.UserInfo.Username) {
		return verdict{}
	}
	owner, err := g.manager(ctx, obj)
	if err != nil {
		return decided(admission.Errored(http.StatusInternalServerError, err))
	}
	if owner == nil {
		return verdict{}
	}
	reason, err := newReason(req, obj)
	if err != nil {
		return decided(admission.Errored(http.StatusBadRequest, err))
	}
	groups := g.breakGlassGroups(owner)
	group, member := memberOf(req.UserInfo.Groups, groups)
	managed := fmt.Sprintf("tabby: %s is managed by NetworkSync %s/%s", obj.ID(), owner.Namespace, owner.Name)
	switch {
	case member && (reason != "" || req.Operation == admissionv1.Delete):
		b := &breakGlass{owner: owner, object: obj, user: req.UserInfo.Username, group: group, reason: reason, operation: req.Operation}
		return verdict{resp: admission.Allowed("").WithWarnings(b.warning()), glass: b}
	case member:
		stale := ""
		if old := strings.TrimSpace(obj.Object.GetAnnotations()[v1alpha1.BreakGlassAnnotation]); old != "" {
			stale = fmt.Sprintf(" (the reason %q was given for an earlier change)", shorten(old, 60))
		}
		return decided(admission.Denied(fmt.Sprintf("%s: to break glass as a member of %s, set the annotation %s to the reason for this change%s",
			managed, groupsText([]string{group}), v1alpha1.BreakGlassAnnotation, stale)))
	case reason != "":
		return decided(admission.Denied(fmt.Sprintf("%s: the annotation %s is honoured only for members of %s, and %s is in none: change %s (path %s), or ask a member to break glass",
			managed, v1alpha1.BreakGlassAnnotation, groupsText(groups), req.UserInfo.Username, owner.Spec.URL, pathOr(owner.Spec.Path))))
	}
	verb := map[admissionv1.Operation]string{admissionv1.Create: "created", admissionv1.Update: "changed", admissionv1.Delete: "deleted"}[req.Operation]
	return decided(admission.Denied(fmt.Sprintf("%s and may only be %s through Git: change %s (path %s, now at %s)%s",
		managed, verb, owner.Spec.URL, pathOr(owner.Spec.Path), revisionOr(owner.Status.LastAppliedRevision), breakGlassHint(req.Operation, groups))))
}

// breakGlassHint says how to break glass, and who may.
func breakGlassHint(op admissionv1.Operation, groups []string) string {
	switch {
	case len(groups) == 0:
		return fmt.Sprintf("; breaking glass is off: no break-glass group is configured (spec.guard.breakGlassGroups, --break-glass-group), so %s is not honoured", v1alpha1.BreakGlassAnnotation)
	case op == admissionv1.Delete:
		return fmt.Sprintf(", or, in an emergency, delete it as a member of %s (the deletion will be reported as drift)", groupsText(groups))
	}
	return fmt.Sprintf(", or, in an emergency and as a member of %s, set the annotation %s: <reason for this change> (the change will be reported as drift)",
		groupsText(groups), v1alpha1.BreakGlassAnnotation)
}

// breakGlassGroups returns the groups that may break glass on owner's
// objects: its own, then the controller-wide ones.
func (g *Guard) breakGlassGroups(owner *v1alpha1.NetworkSync) []string {
	var out []string
	for _, group := range append(slices.Clone(owner.Spec.Guard.BreakGlassGroups), g.Groups...) {
		if group != "" && !slices.Contains(out, group) {
			out = append(out, group)
		}
	}
	return out
}

// memberOf returns the first of groups the user is in.
func memberOf(userGroups, groups []string) (string, bool) {
	for _, group := range groups {
		if slices.Contains(userGroups, group) {
			return group, true
		}
	}
	return "", false
}

// groupsText names groups for a message: "group a", "groups a or b".
func groupsText(groups []string) string {
	switch len(groups) {
	case 0:
		return "a break-glass group (none is configured: spec.guard.breakGlassGroups, --break-glass-group)"
	case 1:
		return "group " + groups[0]
	}
	return "groups " + strings.Join(groups[:len(groups)-1], ", ") + " or " + groups[len(groups)-1]
}

// manager returns the guarded NetworkSync whose inventory holds obj, if any.
func (g *Guard) manager(ctx context.Context, obj *manifest.Object) (*v1alpha1.NetworkSync, error) {
	var syncs v1alpha1.NetworkSyncList
	if err := g.Reader.List(ctx, &syncs); err != nil {
		return nil, fmt.Errorf("list NetworkSyncs: %w", err)
	}
	id := inventory.MetaOf(obj).ID()
	for i := range syncs.Items {
		s := &syncs.Items[i]
		if s.Spec.Guard == nil || s.Status.Inventory == nil {
			continue
		}
		ids, err := g.inventories.IDs(s)
		if err != nil {
			return nil, fmt.Errorf("NetworkSync %s/%s: %w", s.Namespace, s.Name, err)
		}
		if ids[id] {
			return s, nil
		}
	}
	return nil, nil
}

func pathOr(p string) string {
	if p == "" {
		return "."
	}
	return p
}

func revisionOr(r string) string {
	if r == "" {
		return "no revision yet"
	}
	return r
}
