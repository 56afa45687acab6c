package policies

import (
	"strings"
	"testing"
)

// allowOnly returns a policy isolating prod/api for ingress except for one
// rule, given as YAML under "- action: Allow".
func allowOnly(rule string) []string {
	return []string{cnp("prod", "only", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n"+indent(rule))}
}

func TestRuleCriteria(t *testing.T) {
	const allowed = "Allow rule only spec.ingress[0]"
	const denied = "Deny end of tier default"
	runFlowCases(t, []flowCase{
		{name: "protocol by name", objects: allowOnly("protocol: TCP"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow, ingress: allowed},
		{name: "protocol by number", objects: allowOnly("protocol: 6"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow, ingress: allowed},
		{name: "protocol mismatch", objects: allowOnly("protocol: UDP"), from: "prod/frontend", to: "prod/api", port: 1, want: Deny, ingress: denied},
		{name: "notProtocol excludes", objects: allowOnly("notProtocol: TCP"), from: "prod/frontend", to: "prod/api", port: 1, want: Deny},
		{name: "notProtocol by number lets others through", objects: allowOnly("notProtocol: 17"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow},
		{name: "SCTP by name", objects: allowOnly("protocol: SCTP"), from: "prod/frontend", to: "prod/api", proto: ProtoSCTP, port: 1, want: Allow},
		{name: "icmp type matches", objects: allowOnly("protocol: ICMP\nicmp: {type: 8}"), from: "prod/frontend", to: "prod/api", proto: ProtoICMP, want: Deny},
		{name: "ipVersion 4 matches an IPv4 flow", objects: allowOnly("ipVersion: 4"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow},
		{name: "ipVersion 6 does not", objects: allowOnly("ipVersion: 6"), from: "prod/frontend", to: "prod/api", port: 1, want: Deny},
		{name: "source nets contain the pod", objects: allowOnly("source:\n  nets: [10.0.1.0/24]"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow},
		{name: "source nets do not contain it", objects: allowOnly("source:\n  nets: [10.9.0.0/16]"), from: "prod/frontend", to: "prod/api", port: 1, want: Deny},
		{name: "source notNets contain it", objects: allowOnly("source:\n  notNets: [10.0.0.0/8]"), from: "prod/frontend", to: "prod/api", port: 1, want: Deny},
		{name: "source notNets do not", objects: allowOnly("source:\n  notNets: [192.168.0.0/16]"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow},
		{name: "destination nets", objects: allowOnly("destination:\n  nets: [10.0.1.2/32]"), from: "8.8.8.8", to: "prod/api", port: 1, want: Allow},
		{
			name:    "IPv4-only notNets do not apply to IPv6 flows",
			objects: []string{cnp("monitoring", "only", "types: [Ingress]\ningress:\n- action: Allow\n  source:\n    notNets: [192.168.0.0/16]\n")},
			from:    "2001:db8::1", to: "monitoring/prom", port: 1, want: Deny,
		},
		{
			name:    "but do apply to IPv4 flows",
			objects: []string{cnp("monitoring", "only", "types: [Ingress]\ningress:\n- action: Allow\n  source:\n    notNets: [192.168.0.0/16]\n")},
			from:    "192.0.2.1", to: "monitoring/prom", port: 1, want: Allow,
		},
		{name: "numeric destination port", objects: allowOnly("protocol: TCP\ndestination:\n  ports: [80, 443]"), from: "prod/frontend", to: "prod/api", port: 443, want: Allow},
		{name: "destination port range", objects: allowOnly("protocol: TCP\ndestination:\n  ports: ['8000:8100']"), from: "prod/frontend", to: "prod/api", port: 8100, want: Allow},
		{name: "destination notPorts", objects: allowOnly("protocol: TCP\ndestination:\n  notPorts: ['1:1024']"), from: "prod/frontend", to: "prod/api", port: 22, want: Deny},
		{name: "source ports need the flow's source port", objects: allowOnly("protocol: TCP\nsource:\n  ports: ['1024:65535']"), from: "prod/frontend", to: "prod/api", port: 80, want: Deny},
		{name: "destination selector limits which endpoint the ingress rule is for", objects: allowOnly("destination:\n  selector: tier == 'backend'"), from: "prod/frontend", to: "prod/api", port: 1, want: Allow},
		{
			name: "services cannot be resolved offline", objects: allowOnly("source:\n  services:\n    name: frontend\n    namespace: prod"),
			from: "prod/frontend", to: "prod/api", port: 1, want: Deny,
		},
		{name: "http is not evaluated for L3/L4 flows", objects: allowOnly("http:\n  methods: [GET]"), from: "prod/frontend", to: "prod/api", port: 80, want: Deny},
		{
			name: "a rule whose selector does not parse matches nothing", objects: allowOnly("source:\n  selector: app ==="),
			from: "prod/frontend", to: "prod/api", port: 80, want: Deny, problems: true,
		},
		{
			name:    "a selector matches nothing outside the cluster unless a network set holds the address",
			objects: allowOnly("source:\n  selector: all()"),
			from:    "8.8.8.8", to: "prod/api", port: 1, want: Deny,
		},
	})
}

func TestICMP(t *testing.T) {
	e := newTestEngine(t, []string{
		cnp("prod", "ping", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: ICMP\n  icmp: {type: 8, code: 0}\n- action: Allow\n  protocol: ICMP\n  notICMP: {type: 13}\n"),
	}, false)
	u8 := func(v uint8) *uint8 { return &v }
	for _, c := range []struct {
		name       string
		typ, code  *uint8
		want       Verdict
		ruleReason string
	}{
		{"echo request", u8(8), u8(0), Allow, ""},
		{"echo request with another code", u8(8), u8(1), Allow, "icmp type 8 code 0 does not match ICMP type 8 code 1"},
		{"timestamp is excluded by notICMP", u8(13), nil, Deny, "notICMP type 13 excludes ICMP type 13"},
		{"no type given: icmp does not match, notICMP does not exclude", nil, nil, Allow, "icmp type 8 code 0 does not match ICMP with no type given"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Evaluate(Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "prod/api"), Protocol: ProtoICMP, ICMPType: c.typ, ICMPCode: c.code})
			if res.Verdict != c.want {
				t.Fatalf("verdict %s, want %s", res.Verdict, c.want)
			}
			if c.ruleReason != "" {
				var reasons []string
				for _, r := range res.Ingress.Tiers[0].Policies[0].Rules {
					reasons = append(reasons, r.Reason)
				}
				if !strings.Contains(strings.Join(reasons, "|"), c.ruleReason) {
					t.Errorf("reasons %q do not include %q", reasons, c.ruleReason)
				}
			}
		})
	}
}

func TestNamedPorts(t *testing.T) {
	namedHTTP := allowOnly("protocol: TCP\ndestination:\n  ports: [http]")
	runFlowCases(t, []flowCase{
		{name: "resolved from the destination pod", objects: namedHTTP, from: "prod/frontend", to: "prod/api", port: 8080, want: Allow},
		{name: "another port of the destination", objects: namedHTTP, from: "prod/frontend", to: "prod/api", port: 80, want: Deny},
		{
			name:    "not resolved from the source pod",
			objects: []string{cnp("dev", "only", "selector: app == 'db'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: TCP\n  destination:\n    ports: [http]\n")},
			from:    "prod/api", to: "dev/db", port: 8080, want: Deny,
		},
		{
			name:    "the protocol must match the declared port's",
			objects: []string{cnp("dev", "only", "selector: app == 'db'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: UDP\n  destination:\n    ports: [http]\n")},
			from:    "prod/api", to: "dev/db", proto: ProtoUDP, port: 8080, want: Allow,
		},
		{
			name:    "a pod without the port never matches",
			objects: []string{cnp("dev", "only", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: TCP\n  destination:\n    ports: [http]\n")},
			from:    "prod/api", to: "dev/api", port: 8080, want: Deny,
		},
		{
			name:    "an address outside the cluster never matches a named port",
			objects: []string{cnp("prod", "out", "selector: app == 'frontend'\ntypes: [Egress]\negress:\n- action: Allow\n  protocol: TCP\n  destination:\n    ports: [http]\n")},
			from:    "prod/frontend", to: "8.8.8.8", port: 8080, want: Deny, egress: "Deny end of tier default",
		},
		{
			name:    "source named ports resolve against the source pod",
			objects: []string{cnp("dev", "from-http", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: TCP\n  source:\n    ports: [http]\n")},
			from:    "prod/api", to: "dev/api", port: 1, want: Deny,
		},
	})

	t.Run("source port given", func(t *testing.T) {
		e := newTestEngine(t, []string{cnp("dev", "from-http", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: TCP\n  source:\n    ports: [http]\n")}, false)
		f := Flow{Source: peer(t, e, "prod/api"), Destination: peer(t, e, "dev/api"), Protocol: ProtoTCP, Port: 1, SourcePort: 8080}
		if res := e.Evaluate(f); res.Verdict != Allow {
			t.Errorf("verdict %s, want Allow\n%s", res.Verdict, strings.Join(TraceLines(res, nil), "\n"))
		}
	})
}

func TestProfiles(t *testing.T) {
	runFlowCases(t, []flowCase{
		{name: "a pod no policy selects is allowed by its namespace profile", from: "prod/frontend", to: "dev/api", port: 80, want: Allow, egress: "Allow profile kns.prod", ingress: "Allow profile kns.dev"},
		{
			name: "a host endpoint without profiles denies", objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "")},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22, want: Deny, ingress: "Deny no profile",
		},
		{
			name: "and denies its egress too", objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "")},
			from: "hep:node1-eth0", to: "8.8.8.8", port: 53, want: Deny, egress: "Deny no profile", ingress: "-",
		},
		{
			name: "projectcalico-default-allow allows", objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "projectcalico-default-allow")},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22, want: Allow, ingress: "Allow profile projectcalico-default-allow",
		},
		{
			name: "an unknown profile allows nothing", objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "custom")},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22, want: Deny, ingress: "Deny no profile",
		},
		{
			name: "profiles are tried in turn", objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "custom, projectcalico-default-allow")},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22, want: Allow, ingress: "Allow profile projectcalico-default-allow",
		},
		{
			name: "global policies select host endpoints",
			objects: []string{hepYAML("node1-eth0", "role=node", "192.168.0.1", "projectcalico-default-allow"),
				gnp("ssh", "selector: role == 'node'\ntypes: [Ingress]\ningress:\n- action: Deny\n  protocol: TCP\n  destination:\n    ports: [22]\n")},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22, want: Deny, ingress: "Deny rule ssh spec.ingress[0]",
		},
		{
			name:    "between host endpoints both sides apply",
			objects: []string{hepYAML("a", "", "192.168.0.1", "projectcalico-default-allow"), hepYAML("b", "", "192.168.0.2", "")},
			from:    "hep:a", to: "hep:b", port: 22, want: Deny, egress: "Allow profile projectcalico-default-allow", ingress: "Deny no profile",
		},
		{
			name: "host endpoint ports are named ports",
			objects: []string{
				"apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata:\n  name: n\n  labels: {role: node}\nspec:\n  node: n1\n  expectedIPs: [192.168.0.9]\n  ports:\n  - {name: kubelet, protocol: TCP, port: 10250}\n",
				gnp("kubelet", "selector: role == 'node'\ntypes: [Ingress]\ningress:\n- action: Allow\n  protocol: TCP\n  destination:\n    ports: [kubelet]\n"),
			},
			from: "prod/frontend", to: "hep:n", port: 10250, want: Allow, ingress: "Allow rule kubelet spec.ingress[0]",
		},
	})
}

func TestNetworkSets(t *testing.T) {
	sets := []string{
		gnsYAML("dns", "role: dns", "8.8.8.8/32, 1.1.1.1"),
		netsetYAML("prod", "partners", "role: partner", "198.51.100.0/24"),
	}
	egressTo := func(ns, sel string) string {
		return cnp(ns, "out", "types: [Egress]\negress:\n- action: Allow\n  destination:\n    "+sel+"\n")
	}
	runFlowCases(t, []flowCase{
		{
			name:    "an outside address is matched by the labels of a global network set holding it",
			objects: append(sets, egressTo("prod", "selector: role == 'dns'\n    namespaceSelector: global()")),
			from:    "prod/frontend", to: "1.1.1.1", proto: ProtoUDP, port: 53,
			want: Allow, egress: "Allow rule out spec.egress[0]", ingress: "-",
		},
		{
			name:    "not by a namespaced policy's rule without namespaceSelector",
			objects: append(sets, egressTo("prod", "selector: role == 'dns'")),
			from:    "prod/frontend", to: "1.1.1.1", proto: ProtoUDP, port: 53,
			want: Deny,
		},
		{
			name:    "a network set in the policy's namespace matches",
			objects: append(sets, egressTo("prod", "selector: role == 'partner'")),
			from:    "prod/frontend", to: "198.51.100.20", port: 443,
			want: Allow,
		},
		{
			name:    "a network set of another namespace does not",
			objects: append(sets, egressTo("dev", "selector: role == 'partner'")),
			from:    "dev/api", to: "198.51.100.20", port: 443,
			want: Deny,
		},
		{
			name:    "a global policy's selector matches every set",
			objects: append(sets, gnp("out", "selector: app == 'frontend'\ntypes: [Egress]\negress:\n- action: Allow\n  destination:\n    selector: role in {'dns', 'partner'}\n")),
			from:    "prod/frontend", to: "198.51.100.20", port: 443,
			want: Allow,
		},
		{
			name:    "an address in no set is not matched",
			objects: append(sets, egressTo("prod", "selector: role == 'dns'\n    namespaceSelector: global()")),
			from:    "prod/frontend", to: "9.9.9.9", proto: ProtoUDP, port: 53,
			want: Deny,
		},
		{
			name:    "a global notSelector matches an address in no set",
			objects: append(sets, gnp("out", "selector: app == 'frontend'\ntypes: [Egress]\negress:\n- action: Allow\n  destination:\n    notSelector: role == 'dns'\n")),
			from:    "prod/frontend", to: "9.9.9.9", port: 443,
			want: Allow,
		},
		{
			name:    "and not an address in a set it selects",
			objects: append(sets, gnp("out", "selector: app == 'frontend'\ntypes: [Egress]\negress:\n- action: Allow\n  destination:\n    notSelector: role == 'dns'\n")),
			from:    "prod/frontend", to: "8.8.8.8", port: 443,
			want: Deny,
		},
		{
			name: "a pod whose address is in a set is matched through the set",
			objects: []string{gnsYAML("pods", "zone: internal", "10.0.0.0/8"),
				gnp("from-internal", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    selector: zone == 'internal'\n")},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow,
		},
	})
}
