package policies

import "testing"

func TestKubernetesNetworkPolicy(t *testing.T) {
	const isolateAPI = "podSelector:\n  matchLabels: {app: api}\n"
	runFlowCases(t, []flowCase{
		{
			name:    "isolates the pods it selects, through the default tier's end",
			objects: []string{knp("prod", "isolate", isolateAPI+"policyTypes: [Ingress]\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "selects only pods of its namespace",
			objects: []string{knp("prod", "isolate", isolateAPI+"policyTypes: [Ingress]\n")},
			from:    "prod/frontend", to: "dev/api", port: 80,
			want: Allow, ingress: "Allow profile kns.dev",
		},
		{
			name:    "empty from allows every source",
			objects: []string{knp("prod", "open", isolateAPI+"ingress:\n- ports:\n  - port: 80\n")},
			from:    "8.8.8.8", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule open spec.ingress[0]",
		},
		{
			name:    "a rule with neither from nor ports allows everything",
			objects: []string{knp("prod", "open", isolateAPI+"ingress:\n- {}\n")},
			from:    "8.8.8.8", to: "prod/api", proto: ProtoUDP, port: 53,
			want: Allow, ingress: "Allow rule open spec.ingress[0]",
		},
		{
			name:    "a port without protocol is TCP: TCP allowed",
			objects: []string{knp("prod", "web", isolateAPI+"ingress:\n- ports:\n  - port: 80\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow,
		},
		{
			name:    "a port without protocol is TCP: UDP denied",
			objects: []string{knp("prod", "web", isolateAPI+"ingress:\n- ports:\n  - port: 80\n")},
			from:    "prod/frontend", to: "prod/api", proto: ProtoUDP, port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "an explicit protocol",
			objects: []string{knp("prod", "dns", isolateAPI+"ingress:\n- ports:\n  - port: 53\n    protocol: UDP\n")},
			from:    "prod/frontend", to: "prod/api", proto: ProtoUDP, port: 53,
			want: Allow,
		},
		{
			name:    "a protocol without port allows all its ports",
			objects: []string{knp("prod", "udp", isolateAPI+"ingress:\n- ports:\n  - protocol: UDP\n")},
			from:    "prod/frontend", to: "prod/api", proto: ProtoUDP, port: 9999,
			want: Allow,
		},
		{
			name:    "endPort makes a range: inside",
			objects: []string{knp("prod", "range", isolateAPI+"ingress:\n- ports:\n  - port: 32000\n    endPort: 32768\n")},
			from:    "prod/frontend", to: "prod/api", port: 32768,
			want: Allow,
		},
		{
			name:    "endPort makes a range: outside",
			objects: []string{knp("prod", "range", isolateAPI+"ingress:\n- ports:\n  - port: 32000\n    endPort: 32768\n")},
			from:    "prod/frontend", to: "prod/api", port: 32769,
			want: Deny,
		},
		{
			name:    "a podSelector-only peer is in the policy's namespace",
			objects: []string{knp("prod", "from-api", "podSelector: {}\ningress:\n- from:\n  - podSelector:\n      matchLabels: {app: api}\n")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Deny,
		},
		{
			name:    "a podSelector-only peer matches pods of the namespace",
			objects: []string{knp("prod", "from-api", "podSelector: {}\ningress:\n- from:\n  - podSelector:\n      matchLabels: {app: api}\n")},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule from-api spec.ingress[0].from[0]",
		},
		{
			name:    "an empty namespaceSelector is every namespace",
			objects: []string{knp("prod", "from-any-api", "podSelector: {}\ningress:\n- from:\n  - namespaceSelector: {}\n    podSelector:\n      matchLabels: {app: api}\n")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Allow,
		},
		{
			name: "namespaceSelector and podSelector in one peer are ANDed",
			objects: []string{knp("prod", "from-dev-db", "podSelector: {}\ningress:\n"+
				"- from:\n  - namespaceSelector:\n      matchLabels: {env: dev}\n    podSelector:\n      matchLabels: {app: db}\n")},
			from: "dev/api", to: "prod/frontend", port: 80,
			want: Deny,
		},
		{
			name: "peers in one rule are ORed; the rule index counts peers",
			objects: []string{knp("prod", "two-peers", "podSelector: {}\ningress:\n"+
				"- from:\n  - podSelector:\n      matchLabels: {app: nothing}\n  - namespaceSelector:\n      matchLabels: {env: dev}\n")},
			from: "dev/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule two-peers spec.ingress[0].from[1]",
		},
		{
			name: "matchExpressions: In, NotIn, Exists, DoesNotExist",
			objects: []string{knp("prod", "exprs", "podSelector:\n  matchExpressions:\n"+
				"  - {key: app, operator: In, values: [api, web]}\n"+
				"  - {key: tier, operator: NotIn, values: [frontend]}\n"+
				"  - {key: tier, operator: Exists}\n"+
				"  - {key: legacy, operator: DoesNotExist}\n"+
				"policyTypes: [Ingress]\n")},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "ipBlock allows its CIDR",
			objects: []string{knp("prod", "cidr", isolateAPI+"ingress:\n- from:\n  - ipBlock:\n      cidr: 192.0.2.0/24\n      except: [192.0.2.128/25]\n")},
			from:    "192.0.2.5", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule cidr spec.ingress[0].from[0]",
		},
		{
			name:    "ipBlock except is excluded",
			objects: []string{knp("prod", "cidr", isolateAPI+"ingress:\n- from:\n  - ipBlock:\n      cidr: 192.0.2.0/24\n      except: [192.0.2.128/25]\n")},
			from:    "192.0.2.200", to: "prod/api", port: 80,
			want: Deny,
		},
		{
			name:    "ipBlock also matches pods by address",
			objects: []string{knp("prod", "cidr", isolateAPI+"ingress:\n- from:\n  - ipBlock:\n      cidr: 10.0.2.0/24\n")},
			from:    "dev/api", to: "prod/api", port: 80,
			want: Allow,
		},
		{
			name:    "egress rules with to",
			objects: []string{knp("prod", "egress", "podSelector: {}\npolicyTypes: [Egress]\negress:\n- to:\n  - ipBlock:\n      cidr: 0.0.0.0/0\n    \n  ports:\n  - port: 443\n")},
			from:    "prod/frontend", to: "8.8.8.8", port: 443,
			want: Allow, egress: "Allow rule egress spec.egress[0].to[0]", ingress: "-",
		},
		{
			name:    "egress-only policy leaves ingress alone",
			objects: []string{knp("prod", "egress", "podSelector: {}\npolicyTypes: [Egress]\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, egress: "Deny end of tier default", ingress: "Allow profile kns.prod",
		},
		{
			name:    "a named port in a Kubernetes rule",
			objects: []string{knp("prod", "named", isolateAPI+"ingress:\n- ports:\n  - port: http\n")},
			from:    "prod/frontend", to: "prod/api", port: 8080,
			want: Allow,
		},
		{
			name:    "does not select host endpoints",
			objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", ""), knp("prod", "open", "podSelector: {}\ningress:\n- {}\n")},
			from:    "prod/frontend", to: "hep:node1-eth0", port: 22,
			want: Deny, ingress: "Deny no profile",
		},
	})
}

func TestKubernetesRuleTrace(t *testing.T) {
	e := newTestEngine(t, []string{knp("prod", "web", "podSelector: {}\ningress:\n- from:\n  - podSelector: {}\n  ports:\n  - port: 80\n  - port: 443\n")}, false)
	res := e.Evaluate(Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "prod/api"), Protocol: ProtoTCP, Port: 443})
	if res.Verdict != Allow {
		t.Fatalf("verdict %s", res.Verdict)
	}
	p := res.Ingress.Tiers[0].Policies[0]
	if p.Kind != KindKubernetesNetworkPolicy || p.Order == nil || *p.Order != 1000 {
		t.Errorf("policy %+v: want kind KubernetesNetworkPolicy, order 1000", p.PolicyRef)
	}
	if len(p.Rules) != 2 {
		t.Fatalf("rules %+v: want two consulted", p.Rules)
	}
	r0, r1 := p.Rules[0], p.Rules[1]
	if r0.Matched || r0.Field != "spec.ingress[0].from[0]" || r0.PortField != "spec.ingress[0].ports[0]" {
		t.Errorf("rule 0 = %+v", r0)
	}
	if !r1.Matched || r1.Index != 1 || r1.PortField != "spec.ingress[0].ports[1]" {
		t.Errorf("rule 1 = %+v", r1)
	}
}
