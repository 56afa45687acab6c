package validate

import (
	"testing"
)

// k8sNP returns a Kubernetes NetworkPolicy whose spec is the given lines.
func k8sNP(spec ...string) string {
	return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n" + specLines(append([]string{"podSelector: {}"}, spec...))
}

func TestK8sNetworkPolicy(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "default deny", yaml: k8sNP("policyTypes: [Ingress, Egress]")},
		{name: "everything", yaml: k8sNP(
			`ingress: [{from: [{podSelector: {matchLabels: {app: web}}, namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [a]}]}},`+
				` {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{port: 80}, {port: http, protocol: UDP}, {port: 8000, endPort: 8080}, {protocol: SCTP}]}]`,
			`egress: [{to: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}]}, {}]`)},
		{name: "host bits are tolerated in ipBlock", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.1/8}}]}]`)},

		{name: "In without values", yaml: k8sNP(`ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: In}]}}]}]`),
			want: []string{"k8s-policy-selector-invalid spec.ingress[0].from[0].podSelector.matchExpressions[0].values"}},
		{name: "unknown operator", yaml: k8sNP(`egress: [{to: [{namespaceSelector: {matchExpressions: [{key: app, operator: Equals, values: [a]}]}}]}]`),
			want: []string{"k8s-policy-selector-invalid spec.egress[0].to[0].namespaceSelector.matchExpressions[0].operator"}},
		{name: "bad label key", yaml: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {matchLabels: {\"a b\": x}}\n",
			want: []string{`k8s-policy-selector-invalid spec.podSelector.matchLabels`}},
		{name: "empty peer", yaml: k8sNP(`ingress: [{from: [{}]}]`),
			want: []string{"k8s-policy-peer-invalid spec.ingress[0].from[0]"}},
		{name: "ipBlock with namespaceSelector", yaml: k8sNP(`egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: {}}]}]`),
			want: []string{"k8s-policy-peer-invalid spec.egress[0].to[0]"}},
		{name: "cidr /33", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.cidr"}},
		{name: "cidr empty", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: ""}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.cidr"}},
		{name: "except outside", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.except[0]"}},
		{name: "except equal", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.except[0]"}},
		{name: "except of the other family", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: ["2001:db8::/32"]}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.except[0]"}},
		{name: "except not a CIDR", yaml: k8sNP(`ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.1.1]}}]}]`),
			want: []string{"k8s-policy-ipblock-invalid spec.ingress[0].from[0].ipBlock.except[0]"}},
		{name: "protocol ICMP", yaml: k8sNP(`ingress: [{ports: [{protocol: ICMP}]}]`),
			want: []string{"k8s-policy-port-invalid spec.ingress[0].ports[0].protocol"}},
		{name: "protocol lower case", yaml: k8sNP(`ingress: [{ports: [{protocol: udp, port: 53}]}]`),
			want: []string{"k8s-policy-port-invalid spec.ingress[0].ports[0].protocol"}, msg: "write UDP"},
		{name: "port 0", yaml: k8sNP(`egress: [{ports: [{port: 0}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].port"}},
		{name: "port 70000", yaml: k8sNP(`egress: [{ports: [{port: 70000}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].port"}},
		{name: "port range with a dash", yaml: k8sNP(`egress: [{ports: [{port: 8000-8080}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].port"}, msg: "port: 8000 with endPort: 8080"},
		{name: "endPort without port", yaml: k8sNP(`egress: [{ports: [{endPort: 8080}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].endPort"}},
		{name: "endPort with a named port", yaml: k8sNP(`egress: [{ports: [{port: http, endPort: 8080}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].endPort"}},
		{name: "endPort below port", yaml: k8sNP(`egress: [{ports: [{port: 8080, endPort: 8000}]}]`),
			want: []string{"k8s-policy-port-invalid spec.egress[0].ports[0].endPort"}},
		{name: "policyTypes lower case", yaml: k8sNP(`policyTypes: [egress]`),
			want: []string{"k8s-policy-types-invalid spec.policyTypes[0]"}, msg: "write Egress"},
		{name: "policyTypes repeated", yaml: k8sNP(`policyTypes: [Ingress, Ingress]`),
			want: []string{"k8s-policy-types-invalid spec.policyTypes[1]"}},
	})
}
