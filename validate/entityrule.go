package validate

import (
	"net/netip"
	"regexp"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/policies/selector"
)

// The rules of a rule's source and destination (EntityRule): nets, ports,
// selectors and services, and how ports and nets agree with the rule's
// protocol and ipVersion.

var (
	codeRuleNet = define(Code{
		ID: "rule-net-invalid", Severity: SeverityError,
		Title: "a rule's nets or notNets entry is not a strictly masked CIDR, or there are over 256",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-office
spec:
  selector: all()
  ingress:
  - action: Allow
    source:
      nets: [192.0.2.10/24]
`,
	})
	codeRuleNetFamily = define(Code{
		ID: "rule-net-family", Severity: SeverityError,
		Title: "a rule mixes IPv4 and IPv6 networks, or its networks disagree with its ipVersion",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-office
spec:
  selector: all()
  ingress:
  - action: Allow
    source:
      nets: [192.0.2.0/24, 2001:db8::/32]
`,
	})
	codeRuleNotNetsCatchAll = define(Code{
		ID: "rule-notnets-catch-all", Severity: SeverityError,
		Title: "a rule's notNets contains 0.0.0.0/0 or ::/0, so the rule never matches",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-external
spec:
  selector: all()
  egress:
  - action: Deny
    destination:
      notNets: [0.0.0.0/0]
`,
	})
	codeRulePort = define(Code{
		ID: "rule-port-invalid", Severity: SeverityError,
		Title: "a port is 0, is not a valid port name, or a list has over 50 ports",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-app
spec:
  selector: all()
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: [8000-8080]
`,
	})
	codeRulePortsProtocol = define(Code{
		ID: "rule-ports-protocol", Severity: SeverityError,
		Title: "a rule matches ports without protocol TCP, UDP or SCTP",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-dns
spec:
  selector: all()
  egress:
  - action: Allow
    destination:
      ports: [53]
`,
	})
	codeRuleServicesMisplaced = define(Code{
		ID: "rule-services-misplaced", Severity: SeverityError,
		Title: "services is used outside an ingress rule's source or an egress rule's destination",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-to-api
  namespace: shop
spec:
  selector: app == 'web'
  ingress:
  - action: Allow
    destination:
      services:
        name: api
`,
	})
	codeRuleServicesCombined = define(Code{
		ID: "rule-services-combined", Severity: SeverityError,
		Title: "services is combined with selectors, nets or service accounts, or with ports in a destination",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-to-api
  namespace: shop
spec:
  selector: app == 'web'
  egress:
  - action: Allow
    protocol: TCP
    destination:
      services:
        name: api
      ports: [8080]
`,
	})
	codeRuleServicesIncomplete = define(Code{
		ID: "rule-services-incomplete", Severity: SeverityError,
		Title: "services has no name, or no namespace in a GlobalNetworkPolicy",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-to-dns
spec:
  selector: all()
  egress:
  - action: Allow
    destination:
      services:
        name: kube-dns
`,
	})
)

// Limits of entity rules.
const (
	maxRuleNets  = 256
	maxRulePorts = 50
)

// checkEntityRule checks the selectors, services and ports of a rule's
// source or destination (side). Nets are checked across both sides by
// checkRuleNets, the ports' protocol by checkRulePorts.
func checkEntityRule(r *reporter, c ruleContext, side string, e *v3.EntityRule) {
	field := fieldPath(c.field, side)
	r.checkSelectorField(fieldPath(field, "selector"), e.Selector, noGlobal)
	r.checkSelectorField(fieldPath(field, "notSelector"), e.NotSelector, noGlobal)
	r.checkSelectorField(fieldPath(field, "namespaceSelector"), e.NamespaceSelector, wholeGlobal)
	if sa := e.ServiceAccounts; sa != nil && sa.Selector != "" {
		// Calico limits neither the length nor global() here (where it
		// matches every service account); only the syntax is checked.
		if sel, err := selector.Parse(sa.Selector); err != nil || !sel.UsesGlobal() {
			r.checkSelector(fieldPath(field, "serviceAccounts.selector"), sa.Selector, noGlobal)
		}
	}
	checkServices(r, c, side, e)
	checkPortList(r, fieldPath(field, "ports"), e.Ports)
	checkPortList(r, fieldPath(field, "notPorts"), e.NotPorts)
}

// checkServices checks a services match: where it appears, what it is
// combined with, and that it names a service.
func checkServices(r *reporter, c ruleContext, side string, e *v3.EntityRule) {
	if e.Services == nil {
		return
	}
	field := fieldPath(c.field, side, "services")
	direction := "an egress"
	if c.ingress {
		direction = "an ingress"
	}
	placed := c.ingress == (side == "source")
	if !placed {
		r.report(codeRuleServicesMisplaced, field, "services is only allowed in an ingress rule's source or an egress rule's destination, and this is %s rule's %s, which is the policy's own endpoint: to apply the rule to the service's pods, select them with the policy's selector", direction, side)
	}
	var with []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"selector", e.Selector != ""},
		{"notSelector", e.NotSelector != ""},
		{"namespaceSelector", e.NamespaceSelector != ""},
		{"nets", len(e.Nets) > 0},
		{"notNets", len(e.NotNets) > 0},
		{"serviceAccounts", e.ServiceAccounts != nil},
	} {
		if f.set {
			with = append(with, f.name)
		}
	}
	if len(with) > 0 {
		r.report(codeRuleServicesCombined, field, "services cannot be combined with %s: the service's endpoints are what the %s matches; move the other criteria to a separate rule", andList(with), side)
	}
	if side == "destination" && (len(e.Ports) > 0 || len(e.NotPorts) > 0) {
		r.report(codeRuleServicesCombined, field, "a destination with services cannot have ports or notPorts: the service's ports are matched; remove them, or match the pods with a selector and ports instead")
	}
	if e.Services.Name == "" {
		r.report(codeRuleServicesIncomplete, field, "services has no name: set name to the Kubernetes Service's name")
	}
	if c.global && placed && e.Services.Namespace == "" {
		r.report(codeRuleServicesIncomplete, field, "services in a GlobalNetworkPolicy needs a namespace: set namespace to the Service's namespace")
	}
}

// dashRange matches a port range written with a dash, which Calico reads
// as a port name.
var dashRange = regexp.MustCompile(`^\s*(\d+)\s*-\s*(\d+)\s*$`)

// checkPortList checks the count of a ports or notPorts list and each port.
func checkPortList(r *reporter, field string, ports []numorstring.Port) {
	if len(ports) > maxRulePorts {
		r.report(codeRulePort, field, "%d ports, over Calico's limit of %d: merge adjacent ports into ranges (\"min:max\") or split the rule", len(ports), maxRulePorts)
	}
	for i, p := range ports {
		f := fieldPath(field, i)
		switch {
		case p.IsNamed():
			errs := k8svalidation.IsValidPortName(p.PortName)
			if len(errs) == 0 {
				continue
			}
			if m := dashRange.FindStringSubmatch(p.PortName); m != nil {
				r.report(codeRulePort, f, "port %q is not valid: a range is written with a colon: \"%s:%s\"", p.PortName, m[1], m[2])
			} else if lower := strings.ToLower(p.PortName); len(k8svalidation.IsValidPortName(lower)) == 0 {
				r.report(codeRulePort, f, "port %q is not a valid port name: port names are lower-case; write %s", p.PortName, lower)
			} else {
				r.report(codeRulePort, f, "port %q is not a number, a \"min:max\" range or a valid port name: %s", p.PortName, errs[0])
			}
		case p.MinPort == 0:
			r.report(codeRulePort, f, "port %s is not valid: port numbers start at 1", p)
		}
	}
}

// checkRulePorts checks that a rule with ports has a protocol that has
// ports: TCP, UDP or SCTP.
func checkRulePorts(r *reporter, c ruleContext, rule *v3.Rule) {
	lists := []struct {
		field string
		ports []numorstring.Port
	}{
		{"source.ports", rule.Source.Ports},
		{"source.notPorts", rule.Source.NotPorts},
		{"destination.ports", rule.Destination.Ports},
		{"destination.notPorts", rule.Destination.NotPorts},
	}
	if p := rule.Protocol; p != nil {
		if _, known := p.NumberOf(); !known || p.SupportsPorts() {
			return // an unknown protocol is reported by itself
		}
		note := ""
		if n, _ := p.NumberOf(); n == 136 {
			note = " (Calico does not match UDPLite ports)"
		}
		for _, l := range lists {
			if len(l.ports) > 0 {
				r.report(codeRulePortsProtocol, fieldPath(c.field, l.field), "%s needs protocol TCP, UDP or SCTP, and the rule's protocol is %s%s: remove the ports or change the protocol", l.field, p, note)
			}
		}
		return
	}
	for _, l := range lists {
		var numeric, named []string
		for _, port := range l.ports {
			if port.IsNamed() {
				named = append(named, port.String())
			} else {
				numeric = append(numeric, port.String())
			}
		}
		field := fieldPath(c.field, l.field)
		switch {
		case len(numeric) > 0:
			r.report(codeRulePortsProtocol, field, "%s %s without a protocol: Calico matches port numbers only for a given protocol; set protocol: TCP or UDP (or SCTP)", plural(len(numeric), "port", "ports"), portList(numeric))
		case len(named) > 0:
			r.report(codeRulePortsProtocol, field, "named %s %s without a protocol: Calico ≤ v3.31 rejects this (v3.32+ accepts it); set protocol: TCP or UDP to work on both", plural(len(named), "port", "ports"), portList(named))
		}
	}
}

func portList(ports []string) string {
	return strings.Join(ports, ", ")
}

// isIP reports whether s is a bare IP address.
func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// andList joins words for a message: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// plural returns one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkRuleNets checks the four net lists of a rule: each entry a strictly
// masked CIDR, no catch-all in notNets, one address family, agreeing with
// ipVersion.
func checkRuleNets(r *reporter, c ruleContext, rule *v3.Rule) {
	type seen struct{ field, net string }
	first := map[int]seen{} // by family: the rule's first net of it
	mixed := false
	for _, l := range []struct {
		field   string
		nets    []string
		negated bool
	}{
		{"source.nets", rule.Source.Nets, false},
		{"source.notNets", rule.Source.NotNets, true},
		{"destination.nets", rule.Destination.Nets, false},
		{"destination.notNets", rule.Destination.NotNets, true},
	} {
		field := fieldPath(c.field, l.field)
		if len(l.nets) > maxRuleNets {
			r.report(codeRuleNet, field, "%d networks, over Calico's limit of %d: put them in a GlobalNetworkSet and select it", len(l.nets), maxRuleNets)
		}
		for i, s := range l.nets {
			f := fieldPath(field, i)
			if !strings.Contains(s, "/") && !isIP(s) {
				r.report(codeRuleNet, f, "%q is not a CIDR: write a network with a prefix length, e.g. 192.0.2.0/24 (to match a set of networks by name, label a GlobalNetworkSet and use a selector)", s)
				continue
			}
			p, err := parseNet(s, false)
			if err != nil {
				r.report(codeRuleNet, f, "%v", err)
				continue
			}
			family, other := 4, 6
			if p.Addr().Is6() {
				family, other = 6, 4
			}
			if l.negated && p.Bits() == 0 {
				r.report(codeRuleNotNetsCatchAll, f, "notNets %s excludes every IPv%d address, so the rule can never match; Calico rejects a catch-all in notNets: remove it", s, family)
			}
			if v := rule.IPVersion; v != nil && (*v == 4 || *v == 6) && *v != family {
				r.report(codeRuleNetFamily, f, "%s is an IPv%d network but the rule has ipVersion: %d: write one rule per address family", s, family, *v)
			}
			if o, ok := first[other]; ok && !mixed {
				mixed = true
				r.report(codeRuleNetFamily, f, "%s is an IPv%d network but %s is IPv%d (%s): a rule cannot mix IPv4 and IPv6 networks; write one rule per address family", s, family, o.field, other, o.net)
			}
			if _, ok := first[family]; !ok {
				first[family] = seen{f, s}
			}
		}
	}
}
