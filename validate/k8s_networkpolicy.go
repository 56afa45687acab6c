package validate

import (
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/intstr"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The rules of a Kubernetes NetworkPolicy that the API server would reject
// and that decide what Calico enforces: its selectors, peers, ipBlocks,
// ports and policyTypes. A manifest that fails them never reaches Calico.

var (
	codeK8sSelector = define(Code{
		ID: "k8s-policy-selector-invalid", Severity: SeverityError,
		Title: "a Kubernetes NetworkPolicy's podSelector or namespaceSelector is not a valid label selector",
		Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector:
    matchExpressions:
    - key: app
      operator: In
`,
	})
	codeK8sPeer = define(Code{
		ID: "k8s-policy-peer-invalid", Severity: SeverityError,
		Title: "a Kubernetes NetworkPolicy peer is empty, or combines ipBlock with a selector",
		Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-office
  namespace: shop
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 192.0.2.0/24
      podSelector:
        matchLabels:
          app: web
`,
	})
	codeK8sIPBlock = define(Code{
		ID: "k8s-policy-ipblock-invalid", Severity: SeverityError,
		Title: "a Kubernetes NetworkPolicy ipBlock has an invalid cidr, or an except entry that is not strictly inside it",
		Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-office
  namespace: shop
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 192.0.2.0/24
        except: [198.51.100.0/24]
`,
	})
	codeK8sPort = define(Code{
		ID: "k8s-policy-port-invalid", Severity: SeverityError,
		Title: "a Kubernetes NetworkPolicy port has a protocol other than TCP, UDP or SCTP, an invalid port, or an invalid endPort",
		Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-app
  namespace: shop
spec:
  podSelector: {}
  ingress:
  - ports:
    - port: 8080
      endPort: 8000
`,
	})
	codeK8sTypes = define(Code{
		ID: "k8s-policy-types-invalid", Severity: SeverityError,
		Title: "a Kubernetes NetworkPolicy's policyTypes are not a set of Ingress and Egress",
		Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [ingress]
`,
	})
)

func init() {
	registerObjectCheck("NetworkPolicy", networkingv1.GroupName, func(r *reporter, obj any) {
		checkK8sNetworkPolicy(r, &obj.(*networkingv1.NetworkPolicy).Spec)
	})
}

func checkK8sNetworkPolicy(r *reporter, s *networkingv1.NetworkPolicySpec) {
	checkK8sSelector(r, "spec.podSelector", &s.PodSelector)
	for i, rule := range s.Ingress {
		for j := range rule.From {
			checkK8sPeer(r, fieldPath("spec.ingress", i, "from", j), &rule.From[j])
		}
		for j := range rule.Ports {
			checkK8sPort(r, fieldPath("spec.ingress", i, "ports", j), &rule.Ports[j])
		}
	}
	for i, rule := range s.Egress {
		for j := range rule.To {
			checkK8sPeer(r, fieldPath("spec.egress", i, "to", j), &rule.To[j])
		}
		for j := range rule.Ports {
			checkK8sPort(r, fieldPath("spec.egress", i, "ports", j), &rule.Ports[j])
		}
	}
	seen := map[networkingv1.PolicyType]bool{}
	for i, t := range s.PolicyTypes {
		field := fieldPath("spec.policyTypes", i)
		switch {
		case t != networkingv1.PolicyTypeIngress && t != networkingv1.PolicyTypeEgress:
			if fix := caseFix(string(t), "Ingress", "Egress"); fix != "" {
				r.report(codeK8sTypes, field, "policy type %q is not valid: it is case-sensitive; write %s", t, fix)
			} else {
				r.report(codeK8sTypes, field, "policy type %q is not valid: policy types are Ingress and Egress", t)
			}
		case seen[t]:
			r.report(codeK8sTypes, field, "policy type %s is listed twice: list each once", t)
		}
		seen[t] = true
	}
	if len(s.PolicyTypes) > 2 {
		r.report(codeK8sTypes, "spec.policyTypes", "%d policy types listed: at most two, Ingress and Egress", len(s.PolicyTypes))
	}
}

// checkK8sSelector reports what the API server finds wrong with a label
// selector, at the field it names.
func checkK8sSelector(r *reporter, path string, sel *metav1.LabelSelector) {
	if sel == nil {
		return
	}
	errs := metav1validation.ValidateLabelSelector(sel, metav1validation.LabelSelectorValidationOptions{}, field.NewPath(path))
	for _, e := range errs {
		r.report(codeK8sSelector, e.Field, "invalid label selector: %s", e.ErrorBody())
	}
	if _, err := metav1.LabelSelectorAsSelector(sel); err != nil && len(errs) == 0 {
		r.report(codeK8sSelector, path, "the selector is not valid: %v", err)
	}
}

func checkK8sPeer(r *reporter, path string, p *networkingv1.NetworkPolicyPeer) {
	switch {
	case p.IPBlock == nil && p.PodSelector == nil && p.NamespaceSelector == nil:
		r.report(codeK8sPeer, path, "the peer is empty: set podSelector, namespaceSelector or ipBlock (to match everything, leave the from/to list out)")
	case p.IPBlock != nil && (p.PodSelector != nil || p.NamespaceSelector != nil):
		r.report(codeK8sPeer, path, "a peer with ipBlock cannot also have podSelector or namespaceSelector: make them two peers of the list")
	}
	checkK8sSelector(r, fieldPath(path, "podSelector"), p.PodSelector)
	checkK8sSelector(r, fieldPath(path, "namespaceSelector"), p.NamespaceSelector)
	if p.IPBlock != nil {
		checkIPBlock(r, fieldPath(path, "ipBlock"), p.IPBlock)
	}
}

// checkIPBlock checks an ipBlock as the API server does: a CIDR (host bits
// are tolerated in this legacy field), and except entries strictly inside
// it.
func checkIPBlock(r *reporter, path string, b *networkingv1.IPBlock) {
	cidrPath := fieldPath(path, "cidr")
	if b.CIDR == "" {
		r.report(codeK8sIPBlock, cidrPath, "ipBlock has no cidr: set it, e.g. 192.0.2.0/24")
		return
	}
	outer, ok := k8sCIDR(r, cidrPath, b.CIDR)
	for i, s := range b.Except {
		p := fieldPath(path, "except", i)
		inner, innerOK := k8sCIDR(r, p, s)
		if !ok || !innerOK {
			continue
		}
		if !outer.Contains(inner.Addr()) || inner.Bits() <= outer.Bits() {
			r.report(codeK8sIPBlock, p, "except %s is not strictly inside cidr %s: an except entry must be a smaller part of the cidr", s, b.CIDR)
		}
	}
}

// k8sCIDR parses a CIDR of a legacy Kubernetes field, reporting it when the
// API server would reject it, and returns it masked.
func k8sCIDR(r *reporter, path, s string) (netip.Prefix, bool) {
	if errs := k8svalidation.IsValidCIDRForLegacyField(field.NewPath(path), s, false, nil); len(errs) > 0 {
		r.report(codeK8sIPBlock, path, "%q is not a valid CIDR: write an address with a prefix length, e.g. 192.0.2.0/24", s)
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		// Accepted by the API server's legacy parsing (leading zeros), not
		// by ours: nothing more to compare.
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

func checkK8sPort(r *reporter, path string, p *networkingv1.NetworkPolicyPort) {
	if proto := p.Protocol; proto != nil && *proto != corev1.ProtocolTCP && *proto != corev1.ProtocolUDP && *proto != corev1.ProtocolSCTP {
		if fix := caseFix(string(*proto), "TCP", "UDP", "SCTP"); fix != "" {
			r.report(codeK8sPort, fieldPath(path, "protocol"), "protocol %q is not valid: it is case-sensitive; write %s", *proto, fix)
		} else {
			r.report(codeK8sPort, fieldPath(path, "protocol"), "protocol %q is not valid: Kubernetes NetworkPolicies match TCP, UDP or SCTP; for other protocols use a Calico NetworkPolicy", *proto)
		}
	}
	portPath := fieldPath(path, "port")
	if p.Port != nil {
		switch p.Port.Type {
		case intstr.Int:
			if p.Port.IntVal < 1 || p.Port.IntVal > 65535 {
				r.report(codeK8sPort, portPath, "port %d is not valid: ports are 1-65535", p.Port.IntVal)
			}
		case intstr.String:
			if errs := k8svalidation.IsValidPortName(p.Port.StrVal); len(errs) > 0 {
				if m := dashRange.FindStringSubmatch(p.Port.StrVal); m != nil {
					r.report(codeK8sPort, portPath, "port %q is not valid: a range is written as port: %s with endPort: %s", p.Port.StrVal, m[1], m[2])
				} else {
					r.report(codeK8sPort, portPath, "port %q is not a number or a valid port name: %s", p.Port.StrVal, errs[0])
				}
			}
		}
	}
	if p.EndPort == nil {
		return
	}
	endPath := fieldPath(path, "endPort")
	switch {
	case p.Port == nil:
		r.report(codeK8sPort, endPath, "endPort %d needs a port to start the range: set port", *p.EndPort)
	case p.Port.Type == intstr.String:
		r.report(codeK8sPort, endPath, "endPort cannot be used with the named port %q: a range needs a numeric port", p.Port.StrVal)
	case *p.EndPort < p.Port.IntVal:
		r.report(codeK8sPort, endPath, "endPort %d is below port %d: the range runs from port up to endPort", *p.EndPort, p.Port.IntVal)
	case *p.EndPort > 65535:
		r.report(codeK8sPort, endPath, "endPort %d is not valid: ports are 1-65535", *p.EndPort)
	}
}
