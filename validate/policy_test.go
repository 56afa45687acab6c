package validate

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
)

// gnp returns a GlobalNetworkPolicy named p whose spec is the given lines.
func gnp(spec ...string) string {
	return namedGNP("p", spec...)
}

func namedGNP(name string, spec ...string) string {
	return "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: " + name + "\nspec:\n" + specLines(spec)
}

// np returns a NetworkPolicy named name in namespace shop whose spec is the
// given lines.
func np(name string, spec ...string) string {
	return "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: " + name + "\n  namespace: shop\nspec:\n" + specLines(spec)
}

func specLines(spec []string) string {
	var b strings.Builder
	for _, l := range spec {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func TestPolicySpec(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "minimal GNP", yaml: gnp("selector: all()")},
		{name: "no spec", yaml: "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: p\n"},
		{name: "full NP", yaml: np("web",
			"order: -1.5",
			"selector: app == 'web'",
			"serviceAccountSelector: role == 'frontend'",
			"types: [Ingress, Egress]",
			"performanceHints: [AssumeNeededOnEveryNode]",
			"ingress: [{action: Allow, protocol: TCP, destination: {ports: [443]}}]",
			"egress: [{action: Allow}]")},
		{name: "GNP namespaceSelector", yaml: gnp("namespaceSelector: team == 'a'", "selector: all()")},
		{name: "preDNAT with applyOnForward", yaml: gnp("preDNAT: true", "applyOnForward: true",
			"ingress: [{action: Deny, protocol: TCP, destination: {ports: ['30000:32767']}}]")},
		{name: "doNotTrack both directions", yaml: gnp("doNotTrack: true", "applyOnForward: true",
			"ingress: [{action: Allow}]", "egress: [{action: Allow}]")},

		{name: "types lower case", yaml: gnp("types: [ingress]"),
			want: []string{"policy-types-invalid spec.types[0]"}, msg: "write Ingress"},
		{name: "types unknown", yaml: gnp("types: [Inbound]"),
			want: []string{"policy-types-invalid spec.types[0]"}, msg: "types are Ingress and Egress"},
		{name: "misspelt types do not also say rules are ignored", yaml: gnp("types: [egress]", "egress: [{action: Deny}]"),
			want: []string{"policy-types-invalid spec.types[0]"}},
		{name: "types repeated", yaml: gnp("types: [Ingress, Ingress]"),
			want: []string{"policy-types-invalid spec.types[1]"}},
		{name: "three types", yaml: gnp("types: [Ingress, Egress, Ingress]"),
			want: []string{"policy-types-invalid spec.types[2]", "policy-types-invalid spec.types"}},
		{name: "egress rules without Egress type", yaml: gnp("types: [Ingress]", "egress: [{action: Deny}]"),
			want: []string{"policy-rules-ignored spec.egress"}, msg: "so Calico ignores it"},
		{name: "ingress rules without Ingress type", yaml: gnp("types: [Egress]", "ingress: [{action: Deny}, {action: Log}]"),
			want: []string{"policy-rules-ignored spec.ingress"}, msg: "2 ingress rules"},
		{name: "preDNAT and doNotTrack", yaml: gnp("preDNAT: true", "doNotTrack: true", "applyOnForward: true"),
			want: []string{"policy-host-flags-invalid spec.preDNAT"}},
		{name: "preDNAT without applyOnForward", yaml: gnp("preDNAT: true"),
			want: []string{"policy-host-flags-invalid spec.applyOnForward"}, msg: "a preDNAT policy must also set applyOnForward: true"},
		{name: "doNotTrack without applyOnForward", yaml: gnp("doNotTrack: true"),
			want: []string{"policy-host-flags-invalid spec.applyOnForward"}, msg: "doNotTrack"},
		{name: "preDNAT with egress rules", yaml: gnp("preDNAT: true", "applyOnForward: true", "egress: [{action: Deny}]"),
			// types default to [Egress] from the rules present
			want: []string{"policy-prednat-egress spec.egress", "policy-prednat-egress spec.types[0]"}},
		{name: "preDNAT with Egress type", yaml: gnp("preDNAT: true", "applyOnForward: true", "types: [Ingress, Egress]"),
			want: []string{"policy-prednat-egress spec.types[1]"}},
		{name: "performance hint unknown", yaml: gnp("performanceHints: [Fast]"),
			want: []string{"policy-performance-hint-invalid spec.performanceHints[0]"}},
		{name: "performance hint repeated", yaml: gnp("performanceHints: [AssumeNeededOnEveryNode, AssumeNeededOnEveryNode]"),
			want: []string{"policy-performance-hint-invalid spec.performanceHints[1]"}},
		{name: "selector global", yaml: gnp("selector: global()"),
			want: []string{"selector-global-misplaced spec.selector"}},
		{name: "serviceAccountSelector syntax", yaml: np("web", "serviceAccountSelector: role = 'x'"),
			want: []string{"selector-invalid spec.serviceAccountSelector"}},
		{name: "GNP namespaceSelector global", yaml: gnp("namespaceSelector: global()"),
			want: []string{"selector-global-misplaced spec.namespaceSelector"}},
		{name: "selector too long", yaml: gnp("selector: app in {" + strings.Repeat("'x',", 256) + "'y'}"),
			want: []string{"selector-too-long spec.selector"}},
		{name: "tier not a label", yaml: namedGNP("security.p", "tier: Security"),
			want: []string{"policy-tier-invalid spec.tier"}},
		{name: "reserved NP name", yaml: np("knp.default.web"),
			want: []string{"policy-name-reserved metadata.name"}, msg: "managed through the kubernetes API"},
		{name: "too many rules", yaml: gnp("egress:\n" + strings.Repeat("  - action: Deny\n", 1025)),
			want: []string{"policy-too-many-rules spec.egress"}},
		{name: "1024 rules", yaml: gnp("egress:\n" + strings.Repeat("  - action: Deny\n", 1024))},
	})
}

func TestPolicyTiers(t *testing.T) {
	const securityTier = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
---
`
	runFindingCases(t, []findingCase{
		{name: "default tier", yaml: gnp("selector: all()")},
		{name: "tier in the repository", yaml: securityTier + namedGNP("security.p", "tier: security")},
		{name: "built-in tier", yaml: namedGNP("kube-admin.p", "tier: kube-admin")},
		{name: "default. prefix in default tier", yaml: np("default.web")},
		{name: "missing tier", yaml: namedGNP("security.p", "tier: security"),
			want: []string{"policy-tier-missing spec.tier"}, msg: `tier "security" does not exist`},
		{name: "missing tier of an NP", yaml: np("security.web", "tier: security"),
			want: []string{"policy-tier-missing spec.tier"}},
		{name: "no tier prefix", yaml: securityTier + np("web", "tier: security"),
			want: []string{"policy-name-tier-prefix metadata.name"}, msg: "name it security.web to work on both"},
		{name: "another tier's prefix", yaml: securityTier + namedGNP("ops.p", "tier: security"),
			want: []string{"policy-name-tier-prefix metadata.name"}, msg: "name it security.p"},
		{name: "dotted name in default tier", yaml: np("security.web"),
			want: []string{"policy-name-tier-prefix metadata.name"}, msg: "name it web or default.web"},
	})

	t.Run("tier in the cluster", func(t *testing.T) {
		live := liveYAML(t, securityTier)
		if fs := validateYAML(t, namedGNP("security.p", "tier: security"), live); len(fs) > 0 {
			t.Errorf("want no findings, got %v", fs)
		}
	})
	t.Run("live policy in a missing tier is not reported", func(t *testing.T) {
		live := liveYAML(t, namedGNP("gone.p", "tier: gone"))
		if fs := validateYAML(t, gnp("selector: all()"), live); len(fs) > 0 {
			t.Errorf("want no findings, got %v", fs)
		}
	})
	t.Run("missing tier says what to do", func(t *testing.T) {
		fs := validateYAML(t, namedGNP("security.p", "tier: security"))
		if len(fs) != 1 || len(fs[0].Related) != 0 || !strings.Contains(fs[0].Message, "create a Tier named security") {
			t.Errorf("want one finding saying to create the tier, with no related place, got %#v", fs)
		}
	})
	t.Run("misspelt tier points at the tier meant", func(t *testing.T) {
		fs := validateYAML(t, securityTier+namedGNP("securty.p", "tier: securty"))
		want := manifest.Position{File: "manifests.yaml", Line: 4, Column: 3}
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "did you mean security?") ||
			len(fs[0].Related) != 1 || fs[0].Related[0].Position != want || fs[0].Related[0].Object != "projectcalico.org/Tier security" {
			t.Errorf("want one finding suggesting tier security, related to its metadata.name at %s, got %#v", want, fs)
		}
	})
	t.Run("misspelt built-in or live tier is named in the message", func(t *testing.T) {
		live := liveYAML(t, securityTier)
		for tier, want := range map[string]string{
			"defualt": "did you mean default, Calico's built-in tier?",
			"securty": "did you mean security, a tier of the cluster?",
		} {
			fs := validateYAML(t, namedGNP(tier+".p", "tier: "+tier), live)
			if len(fs) != 1 || !strings.Contains(fs[0].Message, want) || len(fs[0].Related) != 0 {
				t.Errorf("tier %s: want one finding saying %q, with no related place, got %#v", tier, want, fs)
			}
		}
	})
}
