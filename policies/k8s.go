package policies

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// kubernetesOrder is the order Calico gives every Kubernetes
// NetworkPolicy, in the default tier.
const kubernetesOrder = 1000.0

// kubernetesPolicy converts a Kubernetes NetworkPolicy as Calico's
// Kubernetes conversion does, and compiles the result: tier default, order
// 1000, a selector limited to the namespace's pods, and one Allow rule per
// peer and port.
func (c *compiler) kubernetesPolicy(o *manifest.Object, np *networkingv1.NetworkPolicy) {
	order := kubernetesOrder
	p := &policy{
		ref:      PolicyRef{Kind: KindKubernetesNetworkPolicy, Namespace: np.Namespace, Name: np.Name, Source: o.Source, Object: o},
		tierName: v3.TierDefault,
		order:    &order,
	}
	types := np.Spec.PolicyTypes
	if len(types) == 0 {
		// render defaults policyTypes; an object built by hand may not be.
		types = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(np.Spec.Egress) > 0 {
			types = append(types, networkingv1.PolicyTypeEgress)
		}
	}
	for _, t := range types {
		switch t {
		case networkingv1.PolicyTypeIngress:
			p.types[dirIngress] = true
		case networkingv1.PolicyTypeEgress:
			p.types[dirEgress] = true
		default:
			c.problem(o, "spec.policyTypes", "unknown policy type %q is ignored", t)
		}
	}

	sel := &p.selection
	sel.namespace = np.Namespace
	podSel, err := podSelector(&np.Spec.PodSelector)
	if err != nil {
		c.problem(o, "spec.podSelector", "%v; the policy selects nothing", err)
		sel.never = true
	} else {
		sel.sel = c.parse(o, "spec.podSelector", podSel, &sel.never)
	}

	for i, r := range np.Spec.Ingress {
		field := fmt.Sprintf("spec.ingress[%d]", i)
		p.rules[dirIngress] = append(p.rules[dirIngress], c.kubernetesRules(o, np.Namespace, field, "from", r.From, r.Ports, true)...)
	}
	for i, r := range np.Spec.Egress {
		field := fmt.Sprintf("spec.egress[%d]", i)
		p.rules[dirEgress] = append(p.rules[dirEgress], c.kubernetesRules(o, np.Namespace, field, "to", r.To, r.Ports, false)...)
	}
	for d := range p.rules {
		for i, r := range p.rules[d] {
			r.index = i
		}
	}
	c.addPolicy(p)
}

// kubernetesRules converts one ingress or egress rule: one Allow rule per
// peer and port. No peers means every peer; no ports means every port and
// protocol. (Calico groups ports by protocol, one rule per peer and
// protocol; a rule per port allows the same and traces to the port.)
func (c *compiler) kubernetesRules(o *manifest.Object, namespace, field, peersField string, peers []networkingv1.NetworkPolicyPeer, ports []networkingv1.NetworkPolicyPort, ingress bool) []*rule {
	// invalid says why a peer or port cannot be converted; its rules then
	// match nothing.
	type peerRule struct {
		er      v3.EntityRule
		field   string
		invalid string
	}
	var prs []peerRule
	if len(peers) == 0 {
		prs = []peerRule{{field: field}}
	}
	for j := range peers {
		pf := fmt.Sprintf("%s.%s[%d]", field, peersField, j)
		er, err := kubernetesPeer(&peers[j])
		pr := peerRule{er: er, field: pf}
		if err != nil {
			pr.invalid = err.Error()
			c.problem(o, pf, "%v; the rule matches nothing", err)
		}
		prs = append(prs, pr)
	}

	type portRule struct {
		proto   *numorstring.Protocol
		ports   []numorstring.Port
		field   string
		invalid string
	}
	prts := []portRule{{}}
	if len(ports) > 0 {
		prts = prts[:0]
	}
	for k, port := range ports {
		pf := fmt.Sprintf("%s.ports[%d]", field, k)
		proto := corev1.ProtocolTCP
		if port.Protocol != nil {
			proto = *port.Protocol
		}
		pr := portRule{proto: ptr(numorstring.ProtocolFromString(string(proto))), field: pf}
		if port.Port != nil {
			np, err := kubernetesPort(port.Port, port.EndPort)
			if err != nil {
				pr.invalid = err.Error()
				c.problem(o, pf, "%v; the rule matches nothing", err)
			} else {
				pr.ports = []numorstring.Port{np}
			}
		}
		prts = append(prts, pr)
	}

	var out []*rule
	for _, peer := range prs {
		for _, port := range prts {
			vr := v3.Rule{Action: v3.Allow, Protocol: port.proto}
			if ingress {
				vr.Source = peer.er
				vr.Destination.Ports = port.ports
			} else {
				vr.Destination = peer.er
				vr.Destination.Ports = port.ports
			}
			r := c.rule(&vr, namespace, peer.field)
			r.portField = port.field
			switch {
			case peer.invalid != "":
				r.invalid = peer.invalid
			case port.invalid != "":
				r.invalid = port.invalid
			case r.invalid != "":
				c.problem(o, peer.field, "%s; the rule matches nothing", r.invalid)
			}
			out = append(out, r)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// kubernetesPeer converts a NetworkPolicyPeer: an ipBlock becomes nets and
// notNets; a podSelector becomes a selector of Kubernetes pods; a
// namespaceSelector a namespaceSelector (empty: all namespaces), and its
// absence limits the peer to the policy's namespace.
func kubernetesPeer(peer *networkingv1.NetworkPolicyPeer) (v3.EntityRule, error) {
	var er v3.EntityRule
	if peer.IPBlock != nil {
		er.Nets = []string{peer.IPBlock.CIDR}
		er.NotNets = slices.Clone(peer.IPBlock.Except)
		return er, nil
	}
	if peer.PodSelector != nil {
		s, err := podSelector(peer.PodSelector)
		if err != nil {
			return er, fmt.Errorf("podSelector: %w", err)
		}
		er.Selector = s
	}
	if peer.NamespaceSelector != nil {
		s, err := labelSelector(peer.NamespaceSelector)
		if err != nil {
			return er, fmt.Errorf("namespaceSelector: %w", err)
		}
		if s == "" {
			s = "all()"
		}
		er.NamespaceSelector = s
	}
	return er, nil
}

// podSelector converts a pod selector: Kubernetes pods only, ANDed with the
// label selector.
func podSelector(ls *metav1.LabelSelector) (string, error) {
	s, err := labelSelector(ls)
	if err != nil {
		return "", err
	}
	k8s := labelOrchestrator + " == '" + orchestratorK8s + "'"
	if s == "" {
		return k8s, nil
	}
	return k8s + " && " + s, nil
}

// labelSelector converts a Kubernetes label selector to a Calico selector:
// matchLabels (sorted by key) become k == 'v'; In, NotIn, Exists and
// DoesNotExist become in, not in, has() and ! has(). The empty selector
// gives "".
func labelSelector(ls *metav1.LabelSelector) (string, error) {
	var terms []string
	keys := make([]string, 0, len(ls.MatchLabels))
	for k := range ls.MatchLabels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		terms = append(terms, k+" == "+quote(ls.MatchLabels[k]))
	}
	for _, e := range ls.MatchExpressions {
		switch e.Operator {
		case metav1.LabelSelectorOpIn:
			terms = append(terms, e.Key+" in "+quoteSet(e.Values))
		case metav1.LabelSelectorOpNotIn:
			terms = append(terms, e.Key+" not in "+quoteSet(e.Values))
		case metav1.LabelSelectorOpExists:
			terms = append(terms, "has("+e.Key+")")
		case metav1.LabelSelectorOpDoesNotExist:
			terms = append(terms, "! has("+e.Key+")")
		default:
			return "", fmt.Errorf("matchExpressions operator %q is not In, NotIn, Exists or DoesNotExist", e.Operator)
		}
	}
	return strings.Join(terms, " && "), nil
}

// quote quotes a label value for a selector; values have no escapes, so a
// value holding ' is quoted with ".
func quote(v string) string {
	if strings.Contains(v, "'") {
		return `"` + v + `"`
	}
	return "'" + v + "'"
}

func quoteSet(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quote(v)
	}
	return "{" + strings.Join(q, ", ") + "}"
}

// kubernetesPort converts a port: a number (with endPort, a range) or a
// name.
func kubernetesPort(port *intstr.IntOrString, endPort *int32) (numorstring.Port, error) {
	if port.Type == intstr.String {
		if endPort != nil {
			return numorstring.Port{}, fmt.Errorf("endPort cannot go with the named port %q", port.StrVal)
		}
		return numorstring.NamedPort(port.StrVal), nil
	}
	lo := port.IntVal
	if lo < 0 || lo > 65535 {
		return numorstring.Port{}, fmt.Errorf("port %d is out of range", lo)
	}
	if endPort == nil {
		return numorstring.SinglePort(uint16(lo)), nil
	}
	if *endPort < lo || *endPort > 65535 {
		return numorstring.Port{}, fmt.Errorf("endPort %d is below port %d or out of range", *endPort, lo)
	}
	return numorstring.PortRange(uint16(lo), uint16(*endPort))
}
