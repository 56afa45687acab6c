package validate

import (
	"strconv"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// The rules of a Tier: its default action, and the order and default
// action Calico fixes for its built-in tiers. The name (a DNS label) is
// checked with every object's metadata.

var (
	codeTierDefaultAction = define(Code{
		ID: "tier-default-action-invalid", Severity: SeverityError,
		Title: "a tier's defaultAction is not Deny or Pass",
		Example: `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: platform
spec:
  order: 100
  defaultAction: Allow
`,
	})
	codeTierBuiltinOrder = define(Code{
		ID: "tier-builtin-order", Severity: SeverityError,
		Title: "a built-in tier (default, kube-admin, kube-baseline) does not have the order Calico fixes for it",
		Example: `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: default
spec:
  order: 500
`,
	})
	codeTierBuiltinAction = define(Code{
		ID: "tier-builtin-default-action", Severity: SeverityError,
		Title: "a built-in tier does not have the default action Calico v3.33+ fixes for it",
		Example: `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: kube-admin
spec:
  order: 1000
`,
	})
)

// builtinTier is a tier Calico creates itself, with a fixed order and
// default action.
type builtinTier struct {
	order         float64
	defaultAction v3.Action
}

var builtinTiers = map[string]builtinTier{
	v3.TierDefault:      {v3.TierDefaultOrder, v3.Deny},
	v3.TierKubeAdmin:    {v3.TierKubeAdminOrder, v3.Pass},
	v3.TierKubeBaseline: {v3.TierKubeBaselineOrder, v3.Pass},
}

func init() {
	registerObjectCheck("Tier", v3.GroupName, func(r *reporter, obj any) {
		checkTier(r, obj.(*v3.Tier))
	})
}

func checkTier(r *reporter, t *v3.Tier) {
	// Render defaults a missing defaultAction to Deny.
	action := v3.Deny
	if t.Spec.DefaultAction != nil {
		action = *t.Spec.DefaultAction
	}
	switch {
	case action == v3.Deny || action == v3.Pass:
	case caseFix(string(action), string(v3.Deny), string(v3.Pass)) != "":
		r.report(codeTierDefaultAction, "spec.defaultAction", "defaultAction %q is not valid: it is case-sensitive; write %s", action, caseFix(string(action), string(v3.Deny), string(v3.Pass)))
	default:
		r.report(codeTierDefaultAction, "spec.defaultAction", "defaultAction %q is not valid: a tier's default action is Deny (drop what no policy decided) or Pass (hand it to the next tier); to allow, end the tier with a policy that allows", action)
	}

	builtin, ok := builtinTiers[t.Name]
	if !ok {
		return
	}
	want := formatOrder(builtin.order)
	switch {
	case t.Spec.Order == nil:
		r.report(codeTierBuiltinOrder, "spec.order", "the built-in tier %s has order %s, and Calico requires it to be written: set order: %s", t.Name, want, want)
	case *t.Spec.Order != builtin.order:
		r.report(codeTierBuiltinOrder, "spec.order", "the built-in tier %s has order %s, and Calico rejects any other: set order: %s (to run policies before or after it, put them in a tier of your own)", t.Name, want, want)
	}
	if action != builtin.defaultAction && (action == v3.Deny || action == v3.Pass) {
		r.report(codeTierBuiltinAction, "spec.defaultAction", "the built-in tier %s has defaultAction %s, not %s (Deny when left out): Calico v3.33+ rejects any other (earlier versions accept it); set defaultAction: %s", t.Name, builtin.defaultAction, action, builtin.defaultAction)
	}
}

// formatOrder writes an order as a manifest would: 1000000, not 1e+06.
func formatOrder(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
