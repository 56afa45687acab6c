package policies

import (
	"strings"
	"testing"
)

// hepYAML returns a HostEndpoint with labels (k=v,...), expected IPs and
// profiles.
func hepYAML(name, labels, ips, profiles string) string {
	s := "apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata:\n  name: " + name + "\n"
	if labels != "" {
		s += "  labels:\n"
		for _, kv := range strings.Split(labels, ",") {
			k, v, _ := strings.Cut(kv, "=")
			s += "    " + k + ": " + v + "\n"
		}
	}
	s += "spec:\n  node: node1\n  interfaceName: eth0\n"
	if ips != "" {
		s += "  expectedIPs: [" + ips + "]\n"
	}
	if profiles != "" {
		s += "  profiles: [" + profiles + "]\n"
	}
	return s
}

func gnsYAML(name, labels, nets string) string {
	return "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: " + name +
		"\n  labels: {" + labels + "}\nspec:\n  nets: [" + nets + "]\n"
}

func netsetYAML(ns, name, labels, nets string) string {
	return "apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
		"\n  labels: {" + labels + "}\nspec:\n  nets: [" + nets + "]\n"
}

func TestTypes(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name:    "a policy with no rules and no types is an ingress default deny",
			objects: []string{cnp("prod", "isolate", "selector: app == 'api'\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, egress: "Allow profile kns.prod", ingress: "Deny end of tier default",
		},
		{
			name:    "the same policy does not touch the endpoint's egress",
			objects: []string{cnp("prod", "isolate", "selector: app == 'api'\n")},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Allow, egress: "Allow profile kns.prod", ingress: "Allow profile kns.prod",
		},
		{
			name:    "egress rules only: types default to Egress, ingress is untouched",
			objects: []string{cnp("prod", "egress", "selector: app == 'api'\negress:\n- action: Deny\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name:    "rules of a direction not in types are ignored",
			objects: []string{cnp("prod", "ingress-only", "types: [Ingress]\ningress:\n- action: Allow\negress:\n- action: Deny\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Allow, egress: "Allow profile kns.prod", ingress: "Allow rule ingress-only spec.ingress[0]",
		},
		{
			name:    "both directions in types",
			objects: []string{cnp("prod", "both", "types: [Ingress, Egress]\n")},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, egress: "Deny end of tier default", ingress: "Deny end of tier default",
		},
	})
}

func TestNamespaceScoping(t *testing.T) {
	allowFromAPI := func(extra string) string {
		return cnp("prod", "allow-api", "selector: app == 'frontend'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    selector: app == 'api'\n"+extra)
	}
	runFlowCases(t, []flowCase{
		{
			name:    "a namespaced policy's rule selector matches its own namespace",
			objects: []string{allowFromAPI("")},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule allow-api spec.ingress[0]",
		},
		{
			name:    "and not the same labels in another namespace",
			objects: []string{allowFromAPI("")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "a namespaceSelector opens it to the namespaces it selects",
			objects: []string{allowFromAPI("    namespaceSelector: env == 'dev'\n")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule allow-api spec.ingress[0]",
		},
		{
			name:    "and closes it to the policy's own namespace when that is not selected",
			objects: []string{allowFromAPI("    namespaceSelector: env == 'dev'\n")},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "namespaceSelector by name with projectcalico.org/name",
			objects: []string{allowFromAPI("    namespaceSelector: projectcalico.org/name == 'dev'\n")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule allow-api spec.ingress[0]",
		},
		{
			name:    "namespaceSelector by the kubernetes.io/metadata.name label every namespace has",
			objects: []string{allowFromAPI("    namespaceSelector: kubernetes.io/metadata.name == 'dev'\n")},
			from:    "dev/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule allow-api spec.ingress[0]",
		},
		{
			name: "a namespaced policy's notSelector is limited to its namespace",
			objects: []string{cnp("prod", "allow-not-api",
				"types: [Ingress]\ningress:\n- action: Allow\n  source:\n    notSelector: app == 'api'\n")},
			from: "dev/db", to: "prod/frontend", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name: "a global policy's rule selector matches every namespace",
			objects: []string{gnp("allow-api",
				"selector: app == 'frontend'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    selector: app == 'api'\n")},
			from: "dev/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule allow-api spec.ingress[0]",
		},
		{
			name: "a global policy's namespaceSelector limits what it selects",
			objects: []string{gnp("deny-dev",
				"namespaceSelector: env == 'dev'\n"+denyIngress)},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name: "a global policy's namespaceSelector all() selects pods",
			objects: []string{gnp("deny-pods",
				"namespaceSelector: all()\n"+denyIngress)},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-pods spec.ingress[0]",
		},
		{
			name: "but not host endpoints",
			objects: []string{hepYAML("node1-eth0", "", "192.168.0.1", "projectcalico-default-allow"), gnp("deny-pods",
				"namespaceSelector: all()\n"+denyIngress)},
			from: "prod/frontend", to: "hep:node1-eth0", port: 22,
			want: Allow, ingress: "Allow profile projectcalico-default-allow",
		},
		{
			name:    "a serviceAccountSelector selects over service-account labels",
			objects: []string{cnp("prod", "deny-backend-sa", "serviceAccountSelector: role == 'backend'\n"+denyIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-backend-sa spec.ingress[0]",
		},
		{
			name:    "selectors see the namespace's labels as pcns. labels",
			objects: []string{gnp("deny-team-a", "selector: pcns.team == 'a'\n"+denyIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-team-a spec.ingress[0]",
		},
		{
			name:    "selectors see the special endpoint labels",
			objects: []string{gnp("deny", "selector: projectcalico.org/namespace == 'prod' && projectcalico.org/orchestrator == 'k8s' && projectcalico.org/serviceaccount == 'api-sa'\n"+denyIngress)},
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny spec.ingress[0]",
		},
		{
			name: "serviceAccounts names and selector are ANDed",
			objects: []string{cnp("prod", "from-api-sa",
				"selector: app == 'frontend'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    serviceAccounts:\n      names: [api-sa]\n      selector: role == 'backend'\n")},
			from: "prod/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow rule from-api-sa spec.ingress[0]",
		},
		{
			name: "a pod without a service account runs as default",
			objects: []string{cnp("prod", "from-default-sa",
				"selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    serviceAccounts:\n      names: [default]\n")},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule from-default-sa spec.ingress[0]",
		},
	})
}

func TestAbsentLabels(t *testing.T) {
	runFlowCases(t, []flowCase{
		{
			name:    "!= matches an endpoint without the label",
			objects: []string{gnp("deny-not-web", "selector: tier != 'web'\n"+denyIngress)},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Deny, ingress: "Deny rule deny-not-web spec.ingress[0]",
		},
		{
			name:    "not in matches an endpoint without the label",
			objects: []string{gnp("deny-not-web", "selector: tier not in {'web', 'edge'}\n"+denyIngress)},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Deny, ingress: "Deny rule deny-not-web spec.ingress[0]",
		},
		{
			name:    "== does not",
			objects: []string{gnp("deny-web", "selector: tier == 'web'\n"+denyIngress)},
			from:    "prod/api", to: "prod/frontend", port: 80,
			want: Allow, ingress: "Allow profile kns.prod",
		},
		{
			name: "!= in a rule selector matches a peer without the label",
			objects: []string{gnp("deny-from-non-backend",
				"types: [Ingress]\ningress:\n- action: Deny\n  source:\n    selector: tier != 'backend'\n")},
			from: "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny rule deny-from-non-backend spec.ingress[0]",
		},
	})
}

func TestGlobalNamespaceSelector(t *testing.T) {
	objs := func(nsSel string) []string {
		return []string{
			hepYAML("node1-eth0", "role=node", "192.168.0.1", "projectcalico-default-allow"),
			gnsYAML("corp", "zone: corp", "203.0.113.0/24"),
			netsetYAML("prod", "partners", "zone: corp", "198.51.100.0/24"),
			cnp("prod", "allow", "selector: app == 'api'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    namespaceSelector: "+nsSel+"\n"),
		}
	}
	runFlowCases(t, []flowCase{
		{
			name:    "global() matches host endpoints",
			objects: objs("global()"),
			from:    "hep:node1-eth0", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow spec.ingress[0]",
		},
		{
			name:    "global() matches addresses in global network sets",
			objects: objs("global()"),
			from:    "203.0.113.7", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow spec.ingress[0]",
		},
		{
			name:    "global() does not match pods",
			objects: objs("global()"),
			from:    "prod/frontend", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "global() does not match namespaced network sets",
			objects: objs("global()"),
			from:    "198.51.100.7", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "global() does not match addresses in no set",
			objects: objs("global()"),
			from:    "8.8.8.8", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "all() matches pods of every namespace",
			objects: objs("all()"),
			from:    "monitoring/prom", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow spec.ingress[0]",
		},
		{
			name:    "all() matches namespaced network sets",
			objects: objs("all()"),
			from:    "198.51.100.7", to: "prod/api", port: 80,
			want: Allow, ingress: "Allow rule allow spec.ingress[0]",
		},
		{
			name:    "all() does not match host endpoints",
			objects: objs("all()"),
			from:    "hep:node1-eth0", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
		{
			name:    "all() does not match global network sets",
			objects: objs("all()"),
			from:    "203.0.113.7", to: "prod/api", port: 80,
			want: Deny, ingress: "Deny end of tier default",
		},
	})
}

func TestHypotheticalPods(t *testing.T) {
	e := newTestEngine(t, []string{
		cnp("prod", "from-api", "selector: app == 'frontend'\ntypes: [Ingress]\ningress:\n- action: Allow\n  source:\n    selector: app == 'api'\n"),
		gnp("deny-shadowed", "namespaceSelector: env == 'shadow'\n"+denyIngress),
	}, false)
	frontend := peer(t, e, "prod/frontend")
	for _, c := range []struct {
		name string
		src  Pod
		want Verdict
	}{
		{"matched by labels, without a name or addresses", Pod{Namespace: "prod", Labels: map[string]string{"app": "api"}}, Allow},
		{"in another namespace", Pod{Namespace: "dev", Labels: map[string]string{"app": "api"}}, Deny},
		{"in a namespace missing from the inventory", Pod{Namespace: "ghost", Labels: map[string]string{"app": "api"}}, Deny},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Evaluate(Flow{Source: Peer{Pod: &c.src}, Destination: frontend, Protocol: ProtoTCP, Port: 80})
			if res.Verdict != c.want {
				t.Errorf("verdict %s, want %s\n%s", res.Verdict, c.want, strings.Join(TraceLines(res, nil), "\n"))
			}
		})
	}
	t.Run("a pod label overrides an inherited namespace label", func(t *testing.T) {
		// Felix merges profile labels under the endpoint's own labels, so a
		// pod labelled pcns.env=shadow is seen in a namespace with
		// env=shadow.
		p := Pod{Namespace: "prod", Name: "odd", Labels: map[string]string{"pcns.env": "shadow"}}
		res := e.Evaluate(Flow{Source: frontend, Destination: Peer{Pod: &p}, Protocol: ProtoTCP, Port: 80})
		if got := decisionOf(res.Ingress); got != "Deny rule deny-shadowed spec.ingress[0]" {
			t.Errorf("ingress decided by %q", got)
		}
	})
}

// TestIndexNarrowsCandidates: evaluating a flow does not test every policy.
func TestIndexNarrowsCandidates(t *testing.T) {
	g := generate(genSpec{namespaces: 20, apps: 10, replicas: 1, tiers: 5, globalPolicies: 300, policies: 1500, k8sPolicies: 100, seed: 3})
	e := g.engine(t)
	total, tested := 0, 0
	for i := range e.pods {
		ep := e.podEndpoints[&e.pods[i]]
		for d := range e.index {
			total += len(e.policies)
			tested += len(e.index[d].candidates(ep.all, nil))
		}
	}
	if ratio := float64(tested) / float64(total); ratio > 0.05 {
		t.Errorf("the index leaves %.1f%% of policies to test per endpoint; want at most 5%%", 100*ratio)
	}
}
