package policies

import "testing"

// Rules used throughout: allow or deny everything of a direction.
const (
	allowIngress = "types: [Ingress]\ningress:\n- action: Allow\n"
	denyIngress  = "types: [Ingress]\ningress:\n- action: Deny\n"
	passIngress  = "types: [Ingress]\ningress:\n- action: Pass\n"
	// noMatchIngress selects endpoints for ingress but matches no flow of
	// the tests (UDP port 1).
	noMatchIngress = "types: [Ingress]\ningress:\n- action: Allow\n  protocol: UDP\n  destination:\n    ports: [1]\n"
)

func TestTierOrder(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name: "lower order runs first",
			objects: []string{
				tierYAML("first", "100", ""), tierYAML("second", "200", ""),
				gnp("deny-in-second", "tier: second\n"+denyIngress),
				gnp("allow-in-first", "tier: first\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow-in-first spec.ingress[0]",
		},
		{
			name: "nil order sorts after every number",
			objects: []string{
				tierYAML("aaa-unordered", "", ""), tierYAML("zzz-late", "1e9", ""),
				gnp("allow-unordered", "tier: aaa-unordered\n"+allowIngress),
				gnp("deny-late", "tier: zzz-late\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-late spec.ingress[0]",
		},
		{
			name: "equal orders break ties by name",
			objects: []string{
				tierYAML("tier-b", "100", ""), tierYAML("tier-a", "100", ""),
				gnp("deny-b", "tier: tier-b\n"+denyIngress),
				gnp("allow-a", "tier: tier-a\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow-a spec.ingress[0]",
		},
		{
			name: "built-in kube-admin (1000) runs before default (1e6)",
			objects: []string{
				gnp("deny-default", denyIngress),
				gnp("allow-admin", "tier: kube-admin\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow-admin spec.ingress[0]",
		},
		{
			name: "built-in kube-baseline (1e7) runs after default",
			objects: []string{
				gnp("pass-default", passIngress),
				gnp("deny-baseline", "tier: kube-baseline\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-baseline spec.ingress[0]",
		},
		{
			name: "a declared built-in tier keeps its fixed order",
			objects: []string{
				tierYAML("default", "1000000", ""), tierYAML("custom", "2000000", ""),
				gnp("allow-default", allowIngress),
				gnp("deny-custom", "tier: custom\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow-default spec.ingress[0]",
		},
	})
}

func TestPolicyOrder(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name: "lower order runs first",
			objects: []string{
				gnp("b-allow", "order: 20\n"+allowIngress),
				gnp("a-deny", "order: 10\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule a-deny spec.ingress[0]",
		},
		{
			name: "nil order is +inf",
			objects: []string{
				gnp("a-deny-unordered", denyIngress),
				gnp("z-allow-ordered", "order: 1e300\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule z-allow-ordered spec.ingress[0]",
		},
		{
			name: "negative and fractional orders",
			objects: []string{
				gnp("a-deny", "order: 0.5\n"+denyIngress),
				gnp("b-allow", "order: -3.25\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule b-allow spec.ingress[0]",
		},
		{
			name: "equal orders break ties by name",
			objects: []string{
				gnp("b-deny", "order: 10\n"+denyIngress),
				gnp("a-allow", "order: 10\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule a-allow spec.ingress[0]",
		},
		{
			// "same//GlobalNetworkPolicy" < "same/prod/NetworkPolicy":
			// '/' sorts before 'p'.
			name: "same name and order: name/namespace/kind puts the global policy first",
			objects: []string{
				cnp("prod", "same", "order: 10\n"+allowIngress),
				gnp("same", "order: 10\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule same spec.ingress[0]",
		},
		{
			// "same/prod/KubernetesNetworkPolicy" < "same/prod/NetworkPolicy".
			name: "same name, namespace and order: the Kubernetes policy sorts before the Calico one",
			objects: []string{
				cnp("prod", "same", "order: 1000\n"+denyIngress),
				knp("prod", "same", "podSelector: {}\ningress:\n- {}\n"),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule same spec.ingress[0]",
		},
	})
}

func TestPass(t *testing.T) {
	tiers := []string{tierYAML("first", "100", ""), tierYAML("second", "200", "")}
	runFlowCases(t, []flowCase{
		{
			name: "pass skips the rest of the tier",
			objects: append(tiers,
				gnp("a-pass", "tier: first\norder: 1\n"+passIngress),
				gnp("b-deny", "tier: first\norder: 2\n"+denyIngress),
				gnp("allow", "tier: second\n"+allowIngress)),
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow spec.ingress[0]",
		},
		{
			name: "pass goes to the next applicable tier, skipping tiers that do not apply",
			objects: append(tiers, tierYAML("third", "300", ""),
				gnp("pass", "tier: first\n"+passIngress),
				gnp("deny-other", "tier: second\nselector: app == 'nothing'\n"+denyIngress),
				gnp("deny", "tier: third\n"+denyIngress)),
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny spec.ingress[0]",
		},
		{
			name:    "pass in the last tier goes to the pod's profile",
			objects: append(tiers, gnp("pass", "tier: second\n"+passIngress)),
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name: "log continues with the next rule",
			objects: []string{gnp("log-then-deny",
				"types: [Ingress]\ningress:\n- action: Log\n- action: Deny\n")},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule log-then-deny spec.ingress[1]",
		},
		{
			name: "a policy whose rules do not match hands over to the next policy",
			objects: []string{
				gnp("a-nomatch", "order: 1\n"+noMatchIngress),
				gnp("b-deny", "order: 2\n"+denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule b-deny spec.ingress[0]",
		},
	})
}

func TestEndOfTier(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name:    "Deny tier with no matching rule denies",
			objects: []string{tierYAML("strict", "100", "Deny"), gnp("nomatch", "tier: strict\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier strict",
		},
		{
			name:    "tier without defaultAction defaults to Deny",
			objects: []string{tierYAML("strict", "100", ""), gnp("nomatch", "tier: strict\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier strict",
		},
		{
			name: "Pass tier with no matching rule goes on to the next tier",
			objects: []string{
				tierYAML("lenient", "100", "Pass"), gnp("nomatch", "tier: lenient\n"+noMatchIngress),
				gnp("deny-default", denyIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-default spec.ingress[0]",
		},
		{
			name:    "Pass tier as the last tier goes on to profiles",
			objects: []string{tierYAML("lenient", "100", "Pass"), gnp("nomatch", "tier: lenient\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name:    "kube-admin's default is Pass",
			objects: []string{gnp("nomatch", "tier: kube-admin\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name:    "default tier's default is Deny",
			objects: []string{gnp("nomatch", noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
	})
}

func TestTierSkippedWhenNothingSelected(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name:    "a tier whose policies select other endpoints is skipped, default action included",
			objects: []string{tierYAML("strict", "100", "Deny"), gnp("other", "tier: strict\nselector: app == 'db'\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name:    "a tier whose policies select the endpoint for the other direction is skipped",
			objects: []string{tierYAML("strict", "100", "Deny"), gnp("egress-only", "tier: strict\ntypes: [Egress]\negress:\n- action: Deny\n  protocol: UDP\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, egress: "Deny end of tier strict", ingress: "Allow profile kns.prod",
		},
		{
			name:    "a namespaced policy selects only its own namespace",
			objects: []string{cnp("dev", "deny-all", denyIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
	})
}

func TestInvalidTier(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name:    "a policy in a missing tier is evaluated, then its tier denies",
			objects: []string{gnp("ghostly", "tier: ghost\n"+noMatchIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier ghost",
		},
		{
			name:    "its rules still apply",
			objects: []string{gnp("ghostly", "tier: ghost\n"+allowIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule ghostly spec.ingress[0]",
		},
		{
			name: "it sorts after every valid tier, unordered ones included",
			objects: []string{
				tierYAML("zzz-unordered", "", "Pass"),
				gnp("a-ghostly", "tier: aaa-ghost\n"+noMatchIngress),
				gnp("z-allow", "tier: zzz-unordered\n"+allowIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule z-allow spec.ingress[0]",
		},
		{
			name: "a pass from a valid tier reaches it",
			objects: []string{
				gnp("pass", passIngress),
				gnp("ghostly", "tier: ghost\n"+noMatchIngress),
			},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier ghost",
		},
	})
}

func TestInvalidTierTrace(t *testing.T) {
	e := newTestEngine(t, []string{gnp("ghostly", "tier: ghost\n"+noMatchIngress)}, false)
	res := e.Evaluate(Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "prod/api"), Protocol: ProtoTCP, Port: 80})
	tiers := res.Ingress.Tiers
	if len(tiers) != 1 || !tiers[0].Invalid || tiers[0].Order != nil || tiers[0].DefaultAction != "Deny" || tiers[0].Outcome != TierEndDeny {
		t.Fatalf("tiers = %+v, want one invalid tier ghost, ending in Deny", tiers)
	}
}
