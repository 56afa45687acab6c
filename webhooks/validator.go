package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/validate"
)

// maxWarning bounds each admission warning: kubectl prints them one per
// line, and API servers truncate long ones.
const maxWarning = 120

// Validator admits or denies objects by running validate on them, in the
// context of the live cluster.
type Validator struct {
	// Reader reads live objects: the controller's cache.
	Reader client.Reader
	// Scheme decodes objects into their Go types.
	Scheme *runtime.Scheme
	// Controller are the users whose requests are the controller's own.
	// Their objects belong to a revision the controller validated as a
	// whole, and arrive one at a time (a policy's dry-run before its tier
	// exists), so they get only the checks of each object by itself.
	Controller []string
	// Guard, when set, enforces the GitOps guard.
	Guard *Guard

	live snapshot
}

// Handle implements admission.Handler.
func (v *Validator) Handle(ctx context.Context, req admission.Request) admission.Response {
	if req.Operation == admissionv1.Delete {
		return v.handleDelete(ctx, req)
	}
	obj, err := decode(v.Scheme, req)
	if err != nil {
		return admission.Errored(http.StatusBadRequest, err)
	}
	guarded := v.Guard.check(ctx, req, obj)
	if guarded.decided {
		return guarded.resp
	}
	in := validate.Input{Objects: []*manifest.Object{obj}, PerObject: slices.Contains(v.Controller, req.UserInfo.Username)}
	if !in.PerObject {
		if in.Live, err = v.liveObjects(ctx); err != nil {
			return admission.Errored(http.StatusInternalServerError, fmt.Errorf("read the cluster's objects: %w", err))
		}
	}
	findings := validate.Validate(in)
	resp := response(obj, findings)
	resp.Warnings = append(guarded.resp.Warnings, resp.Warnings...)
	if resp.Allowed {
		v.Guard.record(ctx, req, guarded.glass)
	}
	return resp
}

// liveObjects returns what the object is checked against: every managed
// kind, and the cluster's Nodes as Calico Nodes (for the BGP checks).
func (v *Validator) liveObjects(ctx context.Context) ([]*manifest.Object, error) {
	return v.live.get(func() ([]*manifest.Object, error) {
		objs, _, err := live.Objects(ctx, v.Reader)
		if err != nil {
			return nil, err
		}
		nodes, err := live.Nodes(ctx, v.Reader)
		if err != nil {
			return nil, err
		}
		return append(objs, nodes...), nil
	})
}

// response turns findings into an admission response: errors deny, naming
// the field and what to do; warnings become admission warnings.
func response(obj *manifest.Object, findings validate.Findings) admission.Response {
	var errs, warnings []string
	for _, f := range findings {
		if f.Object != obj.ID() {
			continue // a finding about another object, e.g. the other side of an overlap
		}
		line := f.Message
		if f.Field != "" {
			line = f.Field + ": " + line
		}
		switch f.Severity {
		case validate.SeverityError:
			errs = append(errs, line+" ["+f.Code+"]")
		default:
			warnings = append(warnings, shorten(f.Code+": "+f.Field+": "+f.Message, maxWarning))
		}
	}
	if len(errs) > 0 {
		resp := admission.Denied(fmt.Sprintf("tabby: %s is invalid: %s", obj.ID(), strings.Join(errs, "; ")))
		resp.Warnings = warnings
		return resp
	}
	return admission.Allowed("").WithWarnings(warnings...)
}

// shorten cuts s to at most n bytes, at a word boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n-3], ' ')
	if cut < n/2 {
		cut = n - 3
	}
	return s[:cut] + "..."
}

// kindOf returns how tabby handles the request's kind.
func kindOf(req admission.Request) (api.Kind, bool) {
	return api.LookupKind(schema.GroupVersionKind{Group: req.Kind.Group, Version: req.Kind.Version, Kind: req.Kind.Kind})
}
