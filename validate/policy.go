package validate

import (
	"fmt"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// The rules NetworkPolicy and GlobalNetworkPolicy specs share, and the ones
// only a GlobalNetworkPolicy has (host-endpoint flags, namespaceSelector).
// Each rule of a policy is checked by checkRule (rule.go).

var (
	codePolicyTypes = define(Code{
		ID: "policy-types-invalid", Severity: SeverityError,
		Title: "a policy's types are not a set of Ingress and Egress",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-all
spec:
  selector: all()
  types: [ingress, egress]
`,
	})
	codePolicyRulesIgnored = define(Code{
		ID: "policy-rules-ignored", Severity: SeverityWarning, Stricter: true,
		Title: "a policy has rules for a direction its types leave out, so they never apply",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-dns
spec:
  selector: all()
  types: [Ingress]
  egress:
  - action: Allow
    protocol: UDP
    destination:
      ports: [53]
`,
	})
	codePolicyHostFlags = define(Code{
		ID: "policy-host-flags-invalid", Severity: SeverityError,
		Title: "preDNAT and doNotTrack are both set, or one is set without applyOnForward",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: untracked
spec:
  selector: has(host-endpoint)
  doNotTrack: true
  ingress:
  - action: Allow
    source:
      nets: [10.0.0.0/8]
`,
	})
	codePolicyPreDNATEgress = define(Code{
		ID: "policy-prednat-egress", Severity: SeverityError,
		Title: "a preDNAT policy has egress rules or the Egress type",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: nodeports
spec:
  selector: has(host-endpoint)
  preDNAT: true
  applyOnForward: true
  types: [Ingress, Egress]
  ingress:
  - action: Deny
    protocol: TCP
    destination:
      ports: ["30000:32767"]
`,
	})
	codePolicyHints = define(Code{
		ID: "policy-performance-hint-invalid", Severity: SeverityError,
		Title: "a performance hint is not AssumeNeededOnEveryNode, or is repeated",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: everywhere
spec:
  selector: all()
  performanceHints: [AssumeNeededOnAllNodes]
`,
	})
	codePolicyTooManyRules = define(Code{
		ID: "policy-too-many-rules", Severity: SeverityError,
		Title: "a policy has more than 1024 ingress or egress rules",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: huge
spec:
  selector: all()
  # 1025 rules: one, then 1024 aliases of it
  ingress: [&d {action: Deny},
` + repeatLines("*d,", maxPolicyRules, 32, "    ") + `]
`,
	})
	codePolicyTier = define(Code{
		ID: "policy-tier-invalid", Severity: SeverityError,
		Title: "a policy's tier is not a valid tier name",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.block-metadata
spec:
  tier: Security
  selector: all()
`,
	})
	codePolicyNameReserved = define(Code{
		ID: "policy-name-reserved", Severity: SeverityError,
		Title: "a NetworkPolicy uses the name prefix Calico reserves for Kubernetes NetworkPolicies",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: knp.default.allow-web
  namespace: shop
spec:
  selector: app == 'web'
`,
	})
	codeSelectorTooLong = define(Code{
		ID: "selector-too-long", Severity: SeverityError,
		Title: "a selector is longer than 1024 characters",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: long
spec:
  selector: >-
    app in {
` + repeatLines(`"app-%03d",`, 99, 8, "    ") + `    "app-100"}
`,
	})
)

// Limits of policy specs.
const (
	maxPolicyRules    = 1024
	maxSelectorLength = 1024
)

// policySpec is what NetworkPolicy and GlobalNetworkPolicy specs share.
type policySpec struct {
	global                 bool // a GlobalNetworkPolicy
	tier                   string
	selector               string
	serviceAccountSelector string
	types                  []v3.PolicyType
	ingress, egress        []v3.Rule
	hints                  []v3.PolicyPerformanceHint
}

func init() {
	registerObjectCheck("NetworkPolicy", v3.GroupName, func(r *reporter, obj any) {
		p := obj.(*v3.NetworkPolicy)
		if strings.HasPrefix(p.Name, k8sPolicyNamePrefix) {
			r.report(codePolicyNameReserved, "metadata.name",
				"NetworkPolicy name %q starts with %q, the prefix Calico gives Kubernetes NetworkPolicies; Calico refuses to create or update such a policy (\"kubernetes network policies must be managed through the kubernetes API\"): rename it, or write a networking.k8s.io/v1 NetworkPolicy",
				p.Name, k8sPolicyNamePrefix)
		}
		s := &p.Spec
		checkPolicySpec(r, policySpec{
			tier: s.Tier, selector: s.Selector, serviceAccountSelector: s.ServiceAccountSelector,
			types: s.Types, ingress: s.Ingress, egress: s.Egress, hints: s.PerformanceHints,
		})
	})
	registerObjectCheck("GlobalNetworkPolicy", v3.GroupName, func(r *reporter, obj any) {
		s := &obj.(*v3.GlobalNetworkPolicy).Spec
		checkPolicySpec(r, policySpec{
			global: true, tier: s.Tier, selector: s.Selector, serviceAccountSelector: s.ServiceAccountSelector,
			types: s.Types, ingress: s.Ingress, egress: s.Egress, hints: s.PerformanceHints,
		})
		r.checkSelectorField("spec.namespaceSelector", s.NamespaceSelector, noGlobal)
		checkHostFlags(r, s)
	})
}

// k8sPolicyNamePrefix is the name prefix of the Calico view of Kubernetes
// NetworkPolicies in Calico ≤ v3.31.
const k8sPolicyNamePrefix = "knp.default."

// checkPolicySpec runs the rules both policy kinds share. Order has none:
// Calico accepts any number, and render rejects the non-finite ones YAML
// can spell (.inf, .nan).
func checkPolicySpec(r *reporter, p policySpec) {
	if errs := k8svalidation.IsDNS1123Label(p.tier); len(errs) > 0 {
		r.report(codePolicyTier, "spec.tier", "tier %q is not a valid tier name: tier names are DNS labels (lower-case letters, digits and '-', at most 63 characters, no dots)", p.tier)
	}
	r.checkSelectorField("spec.selector", p.selector, noGlobal)
	r.checkSelectorField("spec.serviceAccountSelector", p.serviceAccountSelector, noGlobal)
	checkTypes(r, p)
	checkHints(r, p.hints)
	for _, dir := range []struct {
		name    string
		rules   []v3.Rule
		ingress bool
	}{{"ingress", p.ingress, true}, {"egress", p.egress, false}} {
		field := "spec." + dir.name
		if len(dir.rules) > maxPolicyRules {
			r.report(codePolicyTooManyRules, field, "%d %s rules, over Calico's limit of %d: split the policy in two, or merge rules that differ only in nets or ports", len(dir.rules), dir.name, maxPolicyRules)
		}
		for i := range dir.rules {
			checkRule(r, ruleContext{field: fieldPath(field, i), ingress: dir.ingress, global: p.global}, &dir.rules[i])
		}
	}
}

// checkTypes reports types other than Ingress and Egress, repeats, and
// rules of a direction the types leave out. Render has defaulted empty
// types from the rules present.
func checkTypes(r *reporter, p policySpec) {
	seen := map[v3.PolicyType]bool{}
	misspelt := false
	for i, t := range p.types {
		field := fieldPath("spec.types", i)
		switch {
		case t != v3.PolicyTypeIngress && t != v3.PolicyTypeEgress:
			misspelt = true
			if fix := caseFix(string(t), string(v3.PolicyTypeIngress), string(v3.PolicyTypeEgress)); fix != "" {
				r.report(codePolicyTypes, field, "type %q is not valid: types are case-sensitive; write %s", t, fix)
			} else {
				r.report(codePolicyTypes, field, "type %q is not valid: types are Ingress and Egress", t)
			}
		case seen[t]:
			r.report(codePolicyTypes, field, "type %s is listed twice: list each type once", t)
		}
		seen[t] = true
	}
	if len(p.types) > 2 {
		r.report(codePolicyTypes, "spec.types", "%d types listed: a policy has at most two, Ingress and Egress", len(p.types))
	}
	if misspelt {
		return // which rules apply is unclear until the types are fixed
	}
	if len(p.ingress) > 0 && !seen[v3.PolicyTypeIngress] {
		r.report(codePolicyRulesIgnored, "spec.ingress", "the policy has %d ingress %s but its types do not include Ingress, so Calico ignores %s: add Ingress to types, or remove the ingress rules", len(p.ingress), plural(len(p.ingress), "rule", "rules"), plural(len(p.ingress), "it", "them"))
	}
	if len(p.egress) > 0 && !seen[v3.PolicyTypeEgress] {
		r.report(codePolicyRulesIgnored, "spec.egress", "the policy has %d egress %s but its types do not include Egress, so Calico ignores %s: add Egress to types, or remove the egress rules", len(p.egress), plural(len(p.egress), "rule", "rules"), plural(len(p.egress), "it", "them"))
	}
}

func checkHints(r *reporter, hints []v3.PolicyPerformanceHint) {
	seen := map[v3.PolicyPerformanceHint]bool{}
	for i, h := range hints {
		field := fieldPath("spec.performanceHints", i)
		switch {
		case h != v3.PerfHintAssumeNeededOnEveryNode:
			r.report(codePolicyHints, field, "performance hint %q is not valid: the only hint is %s", h, v3.PerfHintAssumeNeededOnEveryNode)
		case seen[h]:
			r.report(codePolicyHints, field, "performance hint %s is listed twice: list it once", h)
		}
		seen[h] = true
	}
}

// checkHostFlags checks the flags of a GlobalNetworkPolicy that only apply
// to host endpoints.
func checkHostFlags(r *reporter, s *v3.GlobalNetworkPolicySpec) {
	if s.PreDNAT && s.DoNotTrack {
		r.report(codePolicyHostFlags, "spec.preDNAT", "preDNAT and doNotTrack cannot both be true: a doNotTrack policy runs before connection tracking, a preDNAT one before DNAT; write two policies")
	}
	if (s.PreDNAT || s.DoNotTrack) && !s.ApplyOnForward {
		flag := "preDNAT"
		if s.DoNotTrack {
			flag = "doNotTrack"
		}
		r.report(codePolicyHostFlags, "spec.applyOnForward", "a %s policy must also set applyOnForward: true: Calico requires it, as untracked and pre-DNAT policies see the traffic forwarded through the host too", flag)
	}
	if !s.PreDNAT {
		return
	}
	if len(s.Egress) > 0 {
		r.report(codePolicyPreDNATEgress, "spec.egress", "a preDNAT policy cannot have egress rules: preDNAT applies to traffic arriving at a host endpoint; move the egress rules to another policy")
	}
	for i, t := range s.Types {
		if t == v3.PolicyTypeEgress {
			r.report(codePolicyPreDNATEgress, fieldPath("spec.types", i), "a preDNAT policy cannot have the Egress type: remove it from types")
		}
	}
}

// checkSelectorField checks a selector field's length, then its syntax and
// its use of global() (checkSelector).
func (r *reporter) checkSelectorField(field, s string, rule selectorRule) {
	if len(s) > maxSelectorLength {
		r.report(codeSelectorTooLong, field, "selector is %d characters long, over Calico's limit of %d: select on a label the endpoints share rather than listing values", len(s), maxSelectorLength)
		return
	}
	r.checkSelector(field, s, rule)
}

// caseFix returns the value of valid that s spells in another case, or "".
func caseFix(s string, valid ...string) string {
	for _, v := range valid {
		if strings.EqualFold(s, v) {
			return v
		}
	}
	return ""
}

// repeatLines writes n items, perLine to a line, each line indented; a %
// verb in item is given the item's number, from 1. It builds the long
// examples of limits.
func repeatLines(item string, n, perLine int, indent string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if (i-1)%perLine == 0 {
			b.WriteString(indent)
		}
		if strings.Contains(item, "%") {
			fmt.Fprintf(&b, item, i)
		} else {
			b.WriteString(item)
		}
		if i%perLine == 0 || i == n {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	return b.String()
}
