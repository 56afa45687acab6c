package webhooks

import (
	"context"
	"fmt"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	kjson "sigs.k8s.io/json"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// maxReason bounds the reason quoted in an Event or a log line.
const maxReason = 512

// breakGlass is a guarded change the guard let through.
type breakGlass struct {
	owner     *v1alpha1.NetworkSync
	object    *manifest.Object
	user      string
	group     string // the break-glass group the user is in
	reason    string // empty for a delete
	operation admissionv1.Operation
}

// newReason returns the break-glass reason the request gives: the
// annotation of a created object, or of an updated one when this update
// sets it to a value other than the old object's. A reason left on an
// object by an earlier change gives none, and neither does a delete, whose
// request carries no new object.
func newReason(req admission.Request, obj *manifest.Object) (string, error) {
	reason := strings.TrimSpace(obj.Object.GetAnnotations()[v1alpha1.BreakGlassAnnotation])
	switch {
	case reason == "" || req.Operation == admissionv1.Delete:
		return "", nil
	case req.Operation != admissionv1.Update:
		return reason, nil
	}
	var old metav1.PartialObjectMetadata
	if err := kjson.UnmarshalCaseSensitivePreserveInts(req.OldObject.Raw, &old); err != nil {
		return "", fmt.Errorf("decode the old %s: %w", req.Kind.Kind, err)
	}
	if strings.TrimSpace(old.Annotations[v1alpha1.BreakGlassAnnotation]) == reason {
		return "", nil
	}
	return reason, nil
}

func (b *breakGlass) verb() string {
	return map[admissionv1.Operation]string{admissionv1.Create: "created", admissionv1.Update: "changed", admissionv1.Delete: "deleted"}[b.operation]
}

// warning is the admission warning the user sees.
func (b *breakGlass) warning() string {
	return shorten(fmt.Sprintf("break-glass change of %s by %s (member of %s); NetworkSync %s/%s will report it as drift",
		b.object.Object.GetName(), b.user, b.group, b.owner.Namespace, b.owner.Name), maxWarning)
}

// note is the Event's message.
func (b *breakGlass) note() string {
	why := "a delete gives no reason"
	if b.reason != "" {
		why = "reason: " + shorten(b.reason, maxReason)
	}
	return fmt.Sprintf("%s %s %s, breaking glass as a member of %s (%s)", b.user, b.verb(), b.object.ID(), b.group, why)
}

// record records an admitted break-glass change: a log line with the
// request's logger, and, unless the request is a dry-run, a Warning Event
// on the NetworkSync. Recording never changes the answer: the Event is
// sent in the background, and a recorder that fails outright is logged.
func (g *Guard) record(ctx context.Context, req admission.Request, b *breakGlass) {
	if g == nil || b == nil {
		return
	}
	log := ctrl.LoggerFrom(ctx)
	dryRun := req.DryRun != nil && *req.DryRun
	log.Info("break-glass change admitted", "id", b.object.ID(), "operation", string(b.operation),
		"group", b.group, "reason", shorten(b.reason, maxReason), "networkSync", b.owner.Namespace+"/"+b.owner.Name, "dryRun", dryRun)
	if dryRun || g.Events == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			log.Error(fmt.Errorf("%v", r), "record the break-glass Event", "networkSync", b.owner.Namespace+"/"+b.owner.Name)
		}
	}()
	g.Events.Eventf(b.owner, b.object.Object, corev1.EventTypeWarning, v1alpha1.ReasonBreakGlass, "BreakGlass", "%s", b.note())
}
