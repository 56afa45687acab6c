package validate

import (
	"fmt"
	"sort"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// Checks of policies against the rest of the world: the tier a policy
// names must exist, and, for Calico ≤ v3.31, a tiered policy's name must
// carry its tier as a prefix.

var (
	codePolicyTierMissing = define(Code{
		ID: "policy-tier-missing", Severity: SeverityError,
		Title: "a policy names a tier that exists neither in the repository, nor in the cluster, nor among Calico's built-in tiers",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.block-metadata
spec:
  tier: security
  selector: all()
  egress:
  - action: Deny
    destination:
      nets: [169.254.169.254/32]
`,
	})
	codePolicyNameTierPrefix = define(Code{
		ID: "policy-name-tier-prefix", Severity: SeverityWarning,
		Title: "a policy's name does not carry its tier as a prefix, which Calico ≤ v3.31 requires",
		Example: `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: block-metadata
spec:
  tier: security
  selector: all()
  egress:
  - action: Deny
    destination:
      nets: [169.254.169.254/32]
`,
	})
)

func init() {
	crossChecks = append(crossChecks, checkPolicyTiers)
}

// checkPolicyTiers checks the tier of every policy being validated.
func checkPolicyTiers(v *validation) {
	tiers := map[string]*manifest.Object{} // nil for a built-in tier
	var names []string
	for name := range builtinTiers {
		tiers[name] = nil
	}
	for _, o := range v.world.of("Tier") {
		tiers[o.Object.GetName()] = o
	}
	for name := range tiers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, kind := range []string{"NetworkPolicy", "GlobalNetworkPolicy"} {
		for _, o := range v.world.of(kind) {
			if !v.world.isMine(o) {
				continue
			}
			tier := policyTier(o)
			if len(k8svalidation.IsDNS1123Label(tier)) > 0 {
				continue // policy-tier-invalid says so
			}
			if _, ok := tiers[tier]; !ok {
				v.reportMissingTier(o, tier, tiers, closest(tier, names))
			}
			if msg := tierPrefixProblem(o.Object.GetName(), tier); msg != "" {
				v.add(codePolicyNameTierPrefix, o, "metadata.name", msg, nil)
			}
		}
	}
}

// reportMissingTier reports a policy's missing tier, suggesting the tier
// it may have meant. The suggestion is a related place when the tier is
// defined in the repository, and part of the message otherwise: a built-in
// tier or a tier of the cluster has no file to point at.
func (v *validation) reportMissingTier(o *manifest.Object, tier string, tiers map[string]*manifest.Object, meant string) {
	msg := fmt.Sprintf("tier %q does not exist: Calico refuses a policy in a missing tier, and a policy whose tier disappears denies the traffic it selects", tier)
	var related []Related
	switch t := tiers[meant]; {
	case meant == "":
		msg += fmt.Sprintf("; create a Tier named %s, or use an existing tier", tier)
	case t == nil:
		msg += fmt.Sprintf("; did you mean %s, Calico's built-in tier? Otherwise create a Tier named %s", meant, tier)
	case t.Source.File == "":
		msg += fmt.Sprintf("; did you mean %s, a tier of the cluster? Otherwise create a Tier named %s", meant, tier)
	default:
		msg += fmt.Sprintf("; did you mean %s? Otherwise create a Tier named %s", meant, tier)
		related = []Related{v.related(t, "metadata.name", "tier %s is defined here", meant)}
	}
	v.add(codePolicyTierMissing, o, "spec.tier", msg, related)
}

// openStackPolicyNamePrefix is the name prefix of the policies Calico's
// OpenStack driver makes of security groups.
const openStackPolicyNamePrefix = "ossg.default."

// policyTier returns the (defaulted) tier of a Calico policy.
func policyTier(o *manifest.Object) string {
	switch p := o.Object.(type) {
	case *v3.NetworkPolicy:
		return p.Spec.Tier
	case *v3.GlobalNetworkPolicy:
		return p.Spec.Tier
	}
	return ""
}

// tierPrefixProblem says how a policy name breaks Calico ≤ v3.31's rule
// that the part of a name before its dot is the policy's tier, or "".
func tierPrefixProblem(name, tier string) string {
	if strings.HasPrefix(name, k8sPolicyNamePrefix) || strings.HasPrefix(name, openStackPolicyNamePrefix) {
		return "" // names Calico gives policies it converts, in the default tier
	}
	prefix, base, dotted := strings.Cut(name, ".")
	if !dotted {
		base = name
	}
	switch {
	case dotted && prefix == tier:
		return ""
	case tier == v3.TierDefault && !dotted:
		return ""
	case tier == v3.TierDefault:
		return fmt.Sprintf("Calico ≤ v3.31 reads the part of a policy name before the dot as its tier, and rejects %q in tier default; v3.32+ does not; name it %s or default.%s to work on both", name, base, base)
	}
	return fmt.Sprintf("Calico ≤ v3.31 requires policies of tier %s to be named %s.<name>; v3.32+ does not; name it %s.%s to work on both", tier, tier, tier, base)
}
