package validate

import (
	"fmt"
	"strings"
	"testing"
)

// ingress returns a GlobalNetworkPolicy with one ingress rule, written in
// YAML flow style; egress likewise.
func ingress(rule string) string { return gnp("selector: all()", "ingress: ["+rule+"]") }
func egress(rule string) string  { return gnp("selector: all()", "egress: ["+rule+"]") }

// npEgress returns a NetworkPolicy with one egress rule.
func npEgress(rule string) string { return np("web", "egress: ["+rule+"]") }

// numbered returns n YAML flow items made by item from 1 to n.
func numbered(n int, item func(int) string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = item(i + 1)
	}
	return strings.Join(items, ", ")
}

func TestRule(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "Log and Pass", yaml: gnp("ingress: [{action: Log}, {action: Pass}]")},
		{name: "TCP with everything", yaml: ingress(`{action: Allow, ipVersion: 4, protocol: TCP, notProtocol: UDP,
			source: {nets: [10.0.0.0/8], notNets: [10.1.0.0/16], selector: "app == 'a'", notSelector: "app == 'b'",
			namespaceSelector: global(), serviceAccounts: {names: [a], selector: "role == 'x'"}, ports: [1024], notPorts: ["1:1023"]},
			destination: {nets: [192.0.2.0/24], ports: [80, "8000:8080", http], notPorts: [81]},
			metadata: {annotations: {owner: netops, "example.com/ticket": "NET-1"}}}`)},
		{name: "protocol as a string of digits", yaml: ingress(`{action: Allow, protocol: "6", destination: {ports: [80]}}`)},
		{name: "SCTP by number", yaml: ingress(`{action: Allow, protocol: 132, destination: {ports: [9]}}`)},
		{name: "empty ports without protocol", yaml: ingress(`{action: Allow, destination: {ports: []}}`)},
		{name: "ICMP", yaml: ingress(`{action: Allow, ipVersion: 4, protocol: ICMP, icmp: {type: 8, code: 0}}`)},
		{name: "ICMPv6 with notICMP", yaml: ingress(`{action: Allow, ipVersion: 6, protocol: ICMPv6, notICMP: {type: 128}}`)},
		{name: "namespaceSelector global with spaces", yaml: ingress(`{action: Allow, source: {namespaceSelector: " global() "}}`)},
		{name: "serviceAccounts selector global", yaml: ingress(`{action: Allow, source: {serviceAccounts: {selector: global()}}}`)},
		{name: "IPv6 nets", yaml: ingress(`{action: Allow, ipVersion: 6, source: {nets: ["2001:db8::/32"]}, destination: {notNets: ["2001:db8:1::/48"]}}`)},
		{name: "http", yaml: ingress(`{action: Allow, protocol: TCP, http: {methods: [GET, POST], paths: [{exact: /healthz}, {prefix: /api/}]}}`)},

		{name: "no action", yaml: ingress(`{protocol: TCP}`),
			want: []string{"rule-action-invalid spec.ingress[0].action"}, msg: "the rule has no action"},
		{name: "action lower case", yaml: ingress(`{action: deny}`),
			want: []string{"rule-action-invalid spec.ingress[0].action"}, msg: "write Deny"},
		{name: "action unknown", yaml: egress(`{action: jumpupanddown}`),
			want: []string{"rule-action-invalid spec.egress[0].action"}, msg: "use Allow, Deny, Log or Pass"},
		{name: "ipVersion 5", yaml: ingress(`{action: Allow, ipVersion: 5}`),
			want: []string{"rule-ipversion-invalid spec.ingress[0].ipVersion"}},
		{name: "protocol lower case", yaml: ingress(`{action: Allow, protocol: tcp}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].protocol"}, msg: `protocol "tcp" is not valid: protocol names are case-sensitive; write TCP`},
		{name: "notProtocol icmpv6", yaml: ingress(`{action: Allow, notProtocol: icmpv6}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].notProtocol"}, msg: "write ICMPv6"},
		{name: "protocol 0", yaml: ingress(`{action: Allow, protocol: 0}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].protocol"}, msg: "1-255"},
		{name: "protocol 256", yaml: ingress(`{action: Allow, protocol: "256"}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].protocol"}},
		{name: "protocol unknown", yaml: ingress(`{action: Allow, protocol: GRE}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].protocol"}},
		{name: "invalid protocol with ports reports the protocol only", yaml: ingress(`{action: Allow, protocol: tcp, destination: {ports: [80]}}`),
			want: []string{"rule-protocol-invalid spec.ingress[0].protocol"}},
		{name: "icmp type 255", yaml: ingress(`{action: Allow, protocol: ICMP, icmp: {type: 255}}`),
			want: []string{"rule-icmp-invalid spec.ingress[0].icmp.type"}},
		{name: "icmp code 256", yaml: ingress(`{action: Allow, protocol: ICMP, icmp: {type: 3, code: 256}}`),
			want: []string{"rule-icmp-invalid spec.ingress[0].icmp.code"}},
		{name: "notICMP code without type", yaml: ingress(`{action: Allow, protocol: ICMP, notICMP: {code: 1}}`),
			want: []string{"rule-icmp-invalid spec.ingress[0].notICMP.code"}},
		{name: "icmp without protocol", yaml: ingress(`{action: Allow, icmp: {type: 8}}`),
			want: []string{"rule-icmp-protocol spec.ingress[0].icmp"}},
		{name: "icmp with TCP", yaml: ingress(`{action: Allow, protocol: TCP, icmp: {type: 8}}`),
			want: []string{"rule-icmp-protocol spec.ingress[0].protocol"}},
		{name: "icmp with protocol 1", yaml: ingress(`{action: Allow, protocol: 1, icmp: {type: 8}}`),
			want: []string{"rule-icmp-protocol spec.ingress[0].protocol"}, msg: "Calico ≤ v3.31"},
		{name: "ICMP with ipVersion 6", yaml: ingress(`{action: Allow, ipVersion: 6, protocol: ICMP}`),
			want: []string{"rule-protocol-ipversion spec.ingress[0].protocol"}},
		{name: "notProtocol ICMPv6 with ipVersion 4", yaml: ingress(`{action: Allow, ipVersion: 4, notProtocol: ICMPv6}`),
			want: []string{"rule-protocol-ipversion spec.ingress[0].notProtocol"}},
		{name: "protocol 58 with ipVersion 4", yaml: ingress(`{action: Allow, ipVersion: 4, protocol: 58}`),
			want: []string{"rule-protocol-ipversion spec.ingress[0].protocol"}},
		{name: "http on Deny", yaml: ingress(`{action: Deny, http: {methods: [GET]}}`),
			want: []string{"rule-http-misplaced spec.ingress[0].http"}},
		{name: "http on egress", yaml: egress(`{action: Allow, http: {methods: [GET]}}`),
			want: []string{"rule-http-misplaced spec.egress[0].http"}},
		{name: "http with UDP", yaml: ingress(`{action: Allow, protocol: UDP, http: {methods: [GET]}}`),
			want: []string{"rule-http-misplaced spec.ingress[0].protocol"}},
		{name: "http with protocol 6", yaml: ingress(`{action: Allow, protocol: 6, http: {methods: [GET]}}`),
			want: []string{"rule-http-misplaced spec.ingress[0].protocol"}, msg: "write protocol: TCP"},
		{name: "http method repeated", yaml: ingress(`{action: Allow, http: {methods: [GET, PUT, GET]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.methods[2]"}},
		{name: "21 methods", yaml: ingress(`{action: Allow, http: {methods: [` + numbered(21, func(i int) string { return fmt.Sprintf("M%d", i) }) + `]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.methods"}},
		{name: "21 paths", yaml: ingress(`{action: Allow, http: {paths: [` + numbered(21, func(i int) string { return fmt.Sprintf("{exact: /p%d}", i) }) + `]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths"}},
		{name: "path exact and prefix", yaml: ingress(`{action: Allow, http: {paths: [{exact: /a, prefix: /b}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0]"}},
		{name: "path neither", yaml: ingress(`{action: Allow, http: {paths: [{}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0]"}},
		{name: "path without slash", yaml: ingress(`{action: Allow, http: {paths: [{prefix: api}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0].prefix"}, msg: `write "/api"`},
		{name: "path with query", yaml: ingress(`{action: Allow, http: {paths: [{exact: "/a?b=c"}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0].exact"}},
		{name: "path with fragment", yaml: ingress(`{action: Allow, http: {paths: [{exact: "/a#b"}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0].exact"}},
		{name: "path with space", yaml: ingress(`{action: Allow, http: {paths: [{exact: "/a b"}]}}`),
			want: []string{"rule-http-invalid spec.ingress[0].http.paths[0].exact"}},
		{name: "rule annotation key", yaml: ingress(`{action: Allow, metadata: {annotations: {"not a key": x}}}`),
			want: []string{`annotation-invalid spec.ingress[0].metadata.annotations["not a key"]`}},
		{name: "rule annotations too large", yaml: ingress(`{action: Allow, metadata: {annotations: {a: "` + strings.Repeat("x", 256<<10) + `"}}}`),
			want: []string{"annotation-invalid spec.ingress[0].metadata.annotations"}},
	})
}

func TestEntityRule(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "ingress source services in an NP, with ports", yaml: np("web", "ingress: [{action: Allow, protocol: TCP, source: {services: {name: api}, ports: [1024]}}]")},
		{name: "egress destination services in a GNP", yaml: egress(`{action: Allow, destination: {services: {name: kube-dns, namespace: kube-system}}}`)},
		{name: "egress destination services in an NP", yaml: npEgress(`{action: Allow, destination: {services: {name: api}}}`)},
		{name: "50 ports", yaml: ingress(`{action: Allow, protocol: TCP, destination: {ports: [` + numbered(50, func(i int) string { return fmt.Sprint(i) }) + `]}}`)},
		{name: "256 nets", yaml: ingress(`{action: Allow, source: {nets: [` + numbered(256, func(i int) string { return fmt.Sprintf("10.0.%d.0/24", i-1) }) + `]}}`)},

		{name: "bare IP", yaml: ingress(`{action: Allow, source: {nets: [192.0.2.10]}}`),
			want: []string{"rule-net-invalid spec.ingress[0].source.nets[0]"}, msg: "192.0.2.10/32"},
		{name: "host bits", yaml: ingress(`{action: Allow, destination: {notNets: [192.0.2.10/24]}}`),
			want: []string{"rule-net-invalid spec.ingress[0].destination.notNets[0]"}, msg: "did you mean 192.0.2.0/24"},
		{name: "not an address", yaml: ingress(`{action: Allow, source: {nets: [office]}}`),
			want: []string{"rule-net-invalid spec.ingress[0].source.nets[0]"}},
		{name: "257 nets", yaml: ingress(`{action: Allow, source: {nets: [` + numbered(257, func(i int) string { return fmt.Sprintf("10.%d.%d.0/24", i/256, i%256) }) + `]}}`),
			want: []string{"rule-net-invalid spec.ingress[0].source.nets"}},
		{name: "notNets 0.0.0.0/0", yaml: egress(`{action: Deny, destination: {notNets: [0.0.0.0/0]}}`),
			want: []string{"rule-notnets-catch-all spec.egress[0].destination.notNets[0]"}},
		{name: "notNets ::/0", yaml: egress(`{action: Deny, source: {notNets: ["0::0/0"]}}`),
			want: []string{"rule-notnets-catch-all spec.egress[0].source.notNets[0]"}},
		{name: "nets catch-all is fine", yaml: egress(`{action: Deny, destination: {nets: [0.0.0.0/0]}}`)},
		{name: "families mixed across source and destination", yaml: ingress(`{action: Allow, source: {nets: [10.0.0.0/8]}, destination: {notNets: ["2001:db8::/32"]}}`),
			want: []string{"rule-net-family spec.ingress[0].destination.notNets[0]"}, msg: "spec.ingress[0].source.nets[0] is IPv4"},
		{name: "nets against ipVersion", yaml: ingress(`{action: Allow, ipVersion: 6, source: {nets: [10.0.0.0/8]}}`),
			want: []string{"rule-net-family spec.ingress[0].source.nets[0]"}},
		{name: "selector global", yaml: ingress(`{action: Allow, source: {selector: global()}}`),
			want: []string{"selector-global-misplaced spec.ingress[0].source.selector"}},
		{name: "notSelector syntax", yaml: ingress(`{action: Allow, destination: {notSelector: "app = 'a'"}}`),
			want: []string{"selector-invalid spec.ingress[0].destination.notSelector"}},
		{name: "namespaceSelector global combined", yaml: ingress(`{action: Allow, source: {namespaceSelector: "global() && a == 'b'"}}`),
			want: []string{"selector-global-misplaced spec.ingress[0].source.namespaceSelector"}},
		{name: "serviceAccounts selector syntax", yaml: ingress(`{action: Allow, source: {serviceAccounts: {selector: "role =="}}}`),
			want: []string{"selector-invalid spec.ingress[0].source.serviceAccounts.selector"}},
		{name: "services in an ingress destination", yaml: ingress(`{action: Allow, destination: {services: {name: api, namespace: shop}}}`),
			want: []string{"rule-services-misplaced spec.ingress[0].destination.services"}},
		{name: "services in an egress source", yaml: npEgress(`{action: Allow, source: {services: {name: api}}}`),
			want: []string{"rule-services-misplaced spec.egress[0].source.services"}},
		{name: "services with a selector", yaml: npEgress(`{action: Allow, destination: {services: {name: api}, selector: "app == 'api'"}}`),
			want: []string{"rule-services-combined spec.egress[0].destination.services"}},
		{name: "services with nets and service accounts", yaml: np("web", "ingress: [{action: Allow, source: {services: {name: api}, nets: [10.0.0.0/8], serviceAccounts: {names: [a]}}}]"),
			want: []string{"rule-services-combined spec.ingress[0].source.services"}, msg: "nets and serviceAccounts"},
		{name: "destination services with ports", yaml: npEgress(`{action: Allow, protocol: TCP, destination: {services: {name: api}, notPorts: [22]}}`),
			want: []string{"rule-services-combined spec.egress[0].destination.services"}},
		{name: "services without a name", yaml: npEgress(`{action: Allow, destination: {services: {namespace: shop}}}`),
			want: []string{"rule-services-incomplete spec.egress[0].destination.services"}},
		{name: "services without a namespace in a GNP", yaml: ingress(`{action: Allow, source: {services: {name: api}}}`),
			want: []string{"rule-services-incomplete spec.ingress[0].source.services"}},
		{name: "port 0", yaml: ingress(`{action: Allow, protocol: TCP, destination: {ports: [0]}}`),
			want: []string{"rule-port-invalid spec.ingress[0].destination.ports[0]"}, msg: "start at 1"},
		{name: "range from 0", yaml: ingress(`{action: Allow, protocol: UDP, source: {notPorts: ["0:1023"]}}`),
			want: []string{"rule-port-invalid spec.ingress[0].source.notPorts[0]"}},
		{name: "range with a dash", yaml: ingress(`{action: Allow, protocol: TCP, destination: {ports: [80, 8000-8080]}}`),
			want: []string{"rule-port-invalid spec.ingress[0].destination.ports[1]"}, msg: `a range is written with a colon: "8000:8080"`},
		{name: "port name upper case", yaml: ingress(`{action: Allow, protocol: TCP, destination: {ports: [Http]}}`),
			want: []string{"rule-port-invalid spec.ingress[0].destination.ports[0]"}},
		{name: "51 ports", yaml: ingress(`{action: Allow, protocol: TCP, destination: {ports: [` + numbered(51, func(i int) string { return fmt.Sprint(i) }) + `]}}`),
			want: []string{"rule-port-invalid spec.ingress[0].destination.ports"}},
		{name: "ports with ICMP", yaml: ingress(`{action: Allow, protocol: ICMP, destination: {ports: [80]}}`),
			want: []string{"rule-ports-protocol spec.ingress[0].destination.ports"}},
		{name: "named ports with UDPLite", yaml: ingress(`{action: Allow, protocol: UDPLite, source: {notPorts: [dns]}}`),
			want: []string{"rule-ports-protocol spec.ingress[0].source.notPorts"}, msg: "UDPLite"},
		{name: "numeric ports without protocol", yaml: egress(`{action: Allow, destination: {ports: [53, dns]}}`),
			want: []string{"rule-ports-protocol spec.egress[0].destination.ports"}, msg: "set protocol: TCP or UDP"},
		{name: "named ports without protocol", yaml: egress(`{action: Allow, source: {ports: [dns]}, destination: {notPorts: [metrics]}}`),
			want: []string{"rule-ports-protocol spec.egress[0].source.ports", "rule-ports-protocol spec.egress[0].destination.notPorts"}, msg: "Calico ≤ v3.31 rejects this (v3.32+ accepts it)"},
	})
}

// FuzzPolicy validates arbitrary policy specs: whatever renders must
// validate without panicking, and every finding must name a defined code.
func FuzzPolicy(f *testing.F) {
	for _, seed := range []string{
		"selector: all()",
		"ingress: [{action: Allow, protocol: TCP, destination: {ports: [80, \"8000:8080\", http]}}]",
		"egress: [{action: Allow, destination: {services: {name: a}, ports: [1]}, http: {paths: [{}]}}]",
		"types: [Egress, Egress, x]\npreDNAT: true\negress: [{action: Pass, ipVersion: 6, protocol: 1, icmp: {code: 9}}]",
		"ingress: [{action: Allow, source: {nets: [\"::/0\", 10.0.0.1], notNets: [0.0.0.0/0]}}]",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		dir := t.TempDir()
		doc := "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: p\nspec:\n" + indentLines(spec)
		fs, ok := validateFuzzYAML(dir, doc)
		if !ok {
			return
		}
		for _, f := range fs {
			if registry[f.Code] == nil {
				t.Errorf("finding with undefined code %q", f.Code)
			}
		}
	})
}

func indentLines(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
