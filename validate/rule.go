package validate

import (
	"fmt"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// The rules of one policy Rule: its action, protocol, ICMP and HTTP
// matches and annotations. Its source and destination are checked in
// entityrule.go.

var (
	codeRuleAction = define(Code{
		ID: "rule-action-invalid", Severity: SeverityError,
		Title: "a rule's action is missing or not Allow, Deny, Log or Pass",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-web
spec:
  selector: app == 'web'
  ingress:
  - action: allow
    protocol: TCP
    destination:
      ports: [443]
`,
	})
	codeRuleIPVersion = define(Code{
		ID: "rule-ipversion-invalid", Severity: SeverityError,
		Title: "a rule's ipVersion is not 4 or 6",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: v4-only
spec:
  selector: all()
  ingress:
  - action: Allow
    ipVersion: 5
`,
	})
	codeRuleProtocol = define(Code{
		ID: "rule-protocol-invalid", Severity: SeverityError,
		Title: "a rule's protocol or notProtocol is not a known name (case-sensitive) or a number 1-255",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-redis
  namespace: shop
spec:
  selector: app == 'redis'
  ingress:
  - action: Allow
    protocol: tcp
    destination:
      ports: [6379]
`,
	})
	codeRuleICMP = define(Code{
		ID: "rule-icmp-invalid", Severity: SeverityError,
		Title: "an ICMP type or code is out of range, or a code is given without a type",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-unreachable
spec:
  selector: all()
  ingress:
  - action: Allow
    protocol: ICMP
    icmp:
      code: 4
`,
	})
	codeRuleICMPProtocol = define(Code{
		ID: "rule-icmp-protocol", Severity: SeverityError,
		Title: "icmp is matched without protocol ICMP or ICMPv6",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-ping
spec:
  selector: all()
  ingress:
  - action: Allow
    icmp:
      type: 8
`,
	})
	codeRuleProtocolIPVersion = define(Code{
		ID: "rule-protocol-ipversion", Severity: SeverityError,
		Title: "ICMP is used with ipVersion 6, or ICMPv6 with ipVersion 4",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-ping6
spec:
  selector: all()
  ingress:
  - action: Allow
    ipVersion: 6
    protocol: ICMP
    icmp:
      type: 128
`,
	})
	codeRuleHTTPMisplaced = define(Code{
		ID: "rule-http-misplaced", Severity: SeverityError,
		Title: "an http match is on a rule that is not an Allow ingress rule with protocol TCP or none",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: block-admin
  namespace: shop
spec:
  selector: app == 'web'
  ingress:
  - action: Deny
    http:
      paths:
      - prefix: /admin
`,
	})
	codeRuleHTTP = define(Code{
		ID: "rule-http-invalid", Severity: SeverityError,
		Title: "an http match repeats a method, has over 20 methods or paths, or a path that is not exactly one of exact or prefix, starting with / and without ?, # or spaces",
		Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-api
  namespace: shop
spec:
  selector: app == 'api'
  ingress:
  - action: Allow
    http:
      methods: [GET, GET]
      paths:
      - prefix: api/v1
`,
	})
)

// ruleContext says where a rule is.
type ruleContext struct {
	field   string // the rule's path, e.g. spec.ingress[2]
	ingress bool   // an ingress rule (else egress)
	global  bool   // in a GlobalNetworkPolicy
}

var (
	actions       = []string{string(v3.Allow), string(v3.Deny), string(v3.Log), string(v3.Pass)}
	protocolNames = []string{numorstring.ProtocolTCP, numorstring.ProtocolUDP, numorstring.ProtocolICMP, numorstring.ProtocolICMPv6, numorstring.ProtocolSCTP, numorstring.ProtocolUDPLite}
)

// IANA numbers of the protocols rules single out.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoICMPv6 = 58
)

// Limits of http matches.
const maxHTTPItems = 20

// checkRule runs every rule of one policy rule, its source and its
// destination included.
func checkRule(r *reporter, c ruleContext, rule *v3.Rule) {
	checkAction(r, c, rule.Action)
	if v := rule.IPVersion; v != nil && *v != 4 && *v != 6 {
		r.report(codeRuleIPVersion, fieldPath(c.field, "ipVersion"), "ipVersion %d is not valid: write 4 or 6, or leave it out to match both", *v)
	}
	checkProtocol(r, fieldPath(c.field, "protocol"), "protocol", rule.Protocol)
	checkProtocol(r, fieldPath(c.field, "notProtocol"), "notProtocol", rule.NotProtocol)
	checkICMPFields(r, fieldPath(c.field, "icmp"), "icmp", rule.ICMP)
	checkICMPFields(r, fieldPath(c.field, "notICMP"), "notICMP", rule.NotICMP)
	checkICMPProtocol(r, c, rule)
	checkHTTP(r, c, rule)
	if rule.Metadata != nil {
		checkRuleAnnotations(r, fieldPath(c.field, "metadata.annotations"), rule.Metadata.Annotations)
	}
	checkEntityRule(r, c, "source", &rule.Source)
	checkEntityRule(r, c, "destination", &rule.Destination)
	checkRuleNets(r, c, rule)
	checkRulePorts(r, c, rule)
}

func checkAction(r *reporter, c ruleContext, a v3.Action) {
	field := fieldPath(c.field, "action")
	switch {
	case a == v3.Allow || a == v3.Deny || a == v3.Log || a == v3.Pass:
	case a == "":
		r.report(codeRuleAction, field, "the rule has no action: set action to Allow, Deny, Log or Pass")
	case caseFix(string(a), actions...) != "":
		r.report(codeRuleAction, field, "action %q is not valid: actions are case-sensitive; write %s", a, caseFix(string(a), actions...))
	default:
		r.report(codeRuleAction, field, "action %q is not valid: use Allow, Deny, Log or Pass", a)
	}
}

// checkProtocol reports a protocol that is neither one of Calico's names,
// spelled exactly, nor a number 1-255.
func checkProtocol(r *reporter, field, name string, p *numorstring.Protocol) {
	if p == nil {
		return
	}
	if _, ok := p.NumberOf(); ok {
		return
	}
	switch {
	case !p.IsNamed():
		r.report(codeRuleProtocol, field, "%s %d is not valid: protocol numbers are 1-255", name, p.Number)
	case caseFix(p.Name, protocolNames...) != "":
		r.report(codeRuleProtocol, field, "%s %q is not valid: protocol names are case-sensitive; write %s", name, p.Name, caseFix(p.Name, protocolNames...))
	default:
		r.report(codeRuleProtocol, field, "%s %q is not valid: use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a protocol number 1-255", name, p.Name)
	}
}

func checkICMPFields(r *reporter, field, name string, f *v3.ICMPFields) {
	if f == nil {
		return
	}
	if f.Type != nil && (*f.Type < 0 || *f.Type > 254) {
		r.report(codeRuleICMP, fieldPath(field, "type"), "%s type %d is not valid: ICMP types are 0-254", name, *f.Type)
	}
	if f.Code != nil && (*f.Code < 0 || *f.Code > 255) {
		r.report(codeRuleICMP, fieldPath(field, "code"), "%s code %d is not valid: ICMP codes are 0-255", name, *f.Code)
	}
	if f.Code != nil && f.Type == nil {
		r.report(codeRuleICMP, fieldPath(field, "code"), "%s code %d has no type: Calico can only match a code together with its type; add type (e.g. type: 3 for destination unreachable)", name, *f.Code)
	}
}

// checkICMPProtocol checks that icmp comes with an ICMP protocol, and that
// ICMP and ICMPv6 agree with ipVersion.
func checkICMPProtocol(r *reporter, c ruleContext, rule *v3.Rule) {
	if rule.ICMP != nil {
		field := fieldPath(c.field, "protocol")
		switch p := rule.Protocol; {
		case p == nil:
			r.report(codeRuleICMPProtocol, fieldPath(c.field, "icmp"), "icmp needs a protocol: set protocol: ICMP (ICMPv6 for IPv6)")
		case p.Name == numorstring.ProtocolICMP || p.Name == numorstring.ProtocolICMPv6:
		case !p.IsNamed() && (p.Number == protoICMP || p.Number == protoICMPv6):
			name := numorstring.ProtocolICMP
			if p.Number == protoICMPv6 {
				name = numorstring.ProtocolICMPv6
			}
			r.report(codeRuleICMPProtocol, field, "protocol %d with icmp is rejected by Calico ≤ v3.31, which accepts only the names here (v3.32+ accepts the number): write protocol: %s", p.Number, name)
		default:
			if _, ok := p.NumberOf(); ok {
				r.report(codeRuleICMPProtocol, field, "icmp matches ICMP packets but protocol is %s: set protocol: ICMP or ICMPv6, or remove icmp", p)
			}
		}
	}
	if rule.IPVersion == nil {
		return
	}
	for _, p := range []struct {
		field string
		p     *numorstring.Protocol
	}{{"protocol", rule.Protocol}, {"notProtocol", rule.NotProtocol}} {
		if p.p == nil {
			continue
		}
		n, _ := p.p.NumberOf()
		switch {
		case n == protoICMP && *rule.IPVersion == 6:
			r.report(codeRuleProtocolIPVersion, fieldPath(c.field, p.field), "%s %s is IPv4's ICMP but the rule has ipVersion: 6: use ICMPv6 for IPv6, or set ipVersion: 4", p.field, p.p)
		case n == protoICMPv6 && *rule.IPVersion == 4:
			r.report(codeRuleProtocolIPVersion, fieldPath(c.field, p.field), "%s %s is IPv6's ICMP but the rule has ipVersion: 4: use ICMP for IPv4, or set ipVersion: 6", p.field, p.p)
		}
	}
}

// checkHTTP checks an http match: where it may appear, and its methods and
// paths.
func checkHTTP(r *reporter, c ruleContext, rule *v3.Rule) {
	h := rule.HTTP
	if h == nil {
		return
	}
	field := fieldPath(c.field, "http")
	if rule.Action != v3.Allow && rule.Action != "" {
		r.report(codeRuleHTTPMisplaced, field, "http matches are only allowed on Allow rules, and this rule's action is %s: make it an Allow rule, or remove http", rule.Action)
	}
	if !c.ingress {
		r.report(codeRuleHTTPMisplaced, field, "http matches are only allowed in ingress rules: move the rule to the ingress rules of a policy selecting the server")
	}
	if p := rule.Protocol; p != nil && p.Name != numorstring.ProtocolTCP {
		if !p.IsNamed() && p.Number == protoTCP {
			r.report(codeRuleHTTPMisplaced, fieldPath(c.field, "protocol"), "protocol 6 with http is rejected by Calico ≤ v3.31, which accepts only the name here: write protocol: TCP")
		} else if _, ok := p.NumberOf(); ok {
			r.report(codeRuleHTTPMisplaced, fieldPath(c.field, "protocol"), "http matches need protocol TCP (or none), and this rule's protocol is %s", p)
		}
	}
	if len(h.Methods) > maxHTTPItems {
		r.report(codeRuleHTTP, fieldPath(field, "methods"), "%d methods, over Calico's limit of %d", len(h.Methods), maxHTTPItems)
	}
	seen := map[string]bool{}
	for i, m := range h.Methods {
		if seen[m] {
			r.report(codeRuleHTTP, fieldPath(field, "methods", i), "method %q is listed twice: list each method once", m)
		}
		seen[m] = true
	}
	if len(h.Paths) > maxHTTPItems {
		r.report(codeRuleHTTP, fieldPath(field, "paths"), "%d paths, over Calico's limit of %d", len(h.Paths), maxHTTPItems)
	}
	for i, p := range h.Paths {
		pf := fieldPath(field, "paths", i)
		switch {
		case p.Exact != "" && p.Prefix != "":
			r.report(codeRuleHTTP, pf, "the path sets both exact (%q) and prefix (%q): set one of them", p.Exact, p.Prefix)
		case p.Exact == "" && p.Prefix == "":
			r.report(codeRuleHTTP, pf, "the path sets neither exact nor prefix: set one of them")
		default:
			key, v := "exact", p.Exact
			if v == "" {
				key, v = "prefix", p.Prefix
			}
			if msg := httpPathProblem(v); msg != "" {
				r.report(codeRuleHTTP, fieldPath(pf, key), "path %q %s", v, msg)
			}
		}
	}
}

// httpPathProblem says what is wrong with an http path match, or "".
func httpPathProblem(p string) string {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Sprintf("does not start with /: write %q", "/"+p)
	case strings.Contains(p, "?"):
		return "contains ?: a path match cannot match the query string; remove it and what follows"
	case strings.Contains(p, "#"):
		return "contains #: a path match cannot match a fragment; remove it and what follows"
	case strings.Contains(p, " "):
		return "contains a space: percent-encode it as %20"
	}
	return ""
}

// checkRuleAnnotations applies the rules of object annotations to a rule's
// metadata annotations.
func checkRuleAnnotations(r *reporter, field string, annotations map[string]string) {
	size := 0
	for _, k := range sortedKeys(annotations) {
		size += len(k) + len(annotations[k])
		for _, msg := range k8svalidation.IsQualifiedName(strings.ToLower(k)) {
			r.report(codeAnnotation, field+fmt.Sprintf("[%q]", k), "rule annotation key %q: %s", k, msg)
		}
	}
	if size > maxAnnotationsSize {
		r.report(codeAnnotation, field, "rule annotations total %d bytes, over the limit of 256 KiB", size)
	}
}
