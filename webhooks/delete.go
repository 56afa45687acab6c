package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
)

// builtinTiers cannot be deleted: Calico recreates them, and its own
// policies live in them.
var builtinTiers = map[string]bool{v3.TierDefault: true, v3.TierKubeAdmin: true, v3.TierKubeBaseline: true}

// handleDelete refuses the deletes that would break the cluster's network
// configuration: a tier that still holds policies, a built-in tier, the
// default BGPConfiguration; a Fabric live BGPPeers are checked against,
// unless the controller prunes it (its revision was validated as a whole,
// and peers are pruned before Fabrics); and, under the GitOps guard, a
// managed object.
func (v *Validator) handleDelete(ctx context.Context, req admission.Request) admission.Response {
	if len(req.OldObject.Raw) == 0 {
		return admission.Allowed("")
	}
	old, err := decodeRaw(v.Scheme, req, req.OldObject.Raw)
	if err != nil {
		return admission.Errored(http.StatusBadRequest, err)
	}
	guarded := v.Guard.check(ctx, req, old)
	if guarded.decided {
		return guarded.resp
	}
	if resp := v.deletion(ctx, req, old.Object); !resp.Allowed {
		return resp
	}
	v.Guard.record(ctx, req, guarded.glass)
	return admission.Allowed("").WithWarnings(guarded.resp.Warnings...)
}

// deletion applies the rules of deletes to the old object.
func (v *Validator) deletion(ctx context.Context, req admission.Request, old manifest.TypedObject) admission.Response {
	switch o := old.(type) {
	case *v3.Tier:
		if builtinTiers[o.Name] {
			return admission.Denied(fmt.Sprintf("tabby: tier %s is built in: Calico creates it and its policies depend on it; it cannot be deleted", o.Name))
		}
		policies, err := v.policiesIn(ctx, o.Name)
		if err != nil {
			return admission.Errored(http.StatusInternalServerError, err)
		}
		if len(policies) > 0 {
			return admission.Denied(fmt.Sprintf("tabby: tier %s still holds %d polic%s (%s); delete them or move them to another tier first: without the tier they would fall into Calico's invalid tier and deny all traffic they select",
				o.Name, len(policies), plural(len(policies), "y", "ies"), strings.Join(first(policies, 5), ", ")))
		}
	case *v3.BGPConfiguration:
		if o.Name == v3.BGPConfigurationNameDefault {
			return admission.Denied("tabby: the default BGPConfiguration cannot be deleted: every node takes its AS number and mesh setting from it; change its fields instead")
		}
	case *v1alpha1.Fabric:
		if slices.Contains(v.Controller, req.UserInfo.Username) {
			break
		}
		msg, err := v.fabricDeletion(ctx, o)
		if err != nil {
			return admission.Errored(http.StatusInternalServerError, err)
		}
		if msg != "" {
			return admission.Denied(msg)
		}
	}
	return admission.Allowed("")
}

// policiesIn lists the policies of a tier, by ID.
func (v *Validator) policiesIn(ctx context.Context, tier string) ([]string, error) {
	objs, _, err := live.Objects(ctx, v.Reader)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range objs {
		switch p := o.Object.(type) {
		case *v3.NetworkPolicy:
			if p.Spec.Tier == tier {
				out = append(out, p.Namespace+"/"+p.Name)
			}
		case *v3.GlobalNetworkPolicy:
			if p.Spec.Tier == tier {
				out = append(out, p.Name)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func first(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
