package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/render"
)

// Guard is the GitOps guard: an object a NetworkSync with spec.guard
// manages may be changed only by the controller. Anyone else is denied and
// told where in Git to make the change, unless they break glass: they
// belong to one of the NetworkSync's breakGlassGroups, or the object
// carries the tabby.dev/break-glass annotation with a reason. A
// break-glass change is admitted with a warning and shows up as drift.
type Guard struct {
	// Reader reads NetworkSyncs: the controller's cache.
	Reader client.Reader
	// Identities are the users whose requests are the controller's own.
	Identities []string

	inventories apply.InventoryCache
}

// check applies the guard to a request on obj. decided is true when the
// guard has answered (denied, or admitted a break-glass change); otherwise
// the request goes on to validation.
func (g *Guard) check(ctx context.Context, req admission.Request, obj *render.Object) (resp admission.Response, decided bool) {
	if g == nil || slices.Contains(g.Identities, req.UserInfo.Username) {
		return admission.Response{}, false
	}
	owner, err := g.manager(ctx, obj)
	if err != nil {
		return admission.Errored(http.StatusInternalServerError, err), true
	}
	if owner == nil {
		return admission.Response{}, false
	}
	for _, group := range owner.Spec.Guard.BreakGlassGroups {
		if slices.Contains(req.UserInfo.Groups, group) {
			return breakGlass(req, obj, owner, "member of "+group), false
		}
	}
	if reason := strings.TrimSpace(obj.Object.GetAnnotations()[v1alpha1.BreakGlassAnnotation]); reason != "" {
		return breakGlass(req, obj, owner, "reason: "+reason), false
	}
	verb := map[admissionv1.Operation]string{admissionv1.Create: "created", admissionv1.Update: "changed", admissionv1.Delete: "deleted"}[req.Operation]
	return admission.Denied(fmt.Sprintf(
		"tabby: %s is managed by NetworkSync %s/%s and may only be %s through Git: change %s (path %s, now at %s), or, in an emergency, set the annotation %s: <reason> (the change will be reported as drift)",
		obj.ID(), owner.Namespace, owner.Name, verb, owner.Spec.URL, pathOr(owner.Spec.Path), revisionOr(owner.Status.LastAppliedRevision), v1alpha1.BreakGlassAnnotation)), true
}

// breakGlass records that a guarded change was let through. The response
// is not final: the change is still validated.
func breakGlass(req admission.Request, obj *render.Object, owner *v1alpha1.NetworkSync, why string) admission.Response {
	return admission.Allowed("").WithWarnings(shorten(fmt.Sprintf("break-glass change of %s by %s (%s); NetworkSync %s/%s will report it as drift",
		obj.Object.GetName(), req.UserInfo.Username, why, owner.Namespace, owner.Name), maxWarning))
}

// manager returns the guarded NetworkSync whose inventory holds obj, if any.
func (g *Guard) manager(ctx context.Context, obj *render.Object) (*v1alpha1.NetworkSync, error) {
	var syncs v1alpha1.NetworkSyncList
	if err := g.Reader.List(ctx, &syncs); err != nil {
		return nil, fmt.Errorf("list NetworkSyncs: %w", err)
	}
	id := apply.MetaOf(obj).ID()
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
