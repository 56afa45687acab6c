package policies

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/policies/selector"
)

// entity is a compiled EntityRule: what one end of a flow must be.
type entity struct {
	role string // "source" or "destination"

	nets, notNets          []netip.Prefix
	netFams, notNetFams    families
	netsText, notNetsText  string
	pos                    *entitySelector // nil: no positive selector
	notSel                 *selector.Selector
	notSelText             string
	ports, notPorts        []numorstring.Port
	portsText, notPortText string
	services               *v3.ServiceMatch
}

// nsScope is how an EntityRule's selectors are limited by namespace.
type nsScope uint8

const (
	scopeNone     nsScope = iota // no limit (a global policy without namespaceSelector)
	scopeOwn                     // the policy's own namespace
	scopeGlobal                  // namespaceSelector global(): outside every namespace
	scopeAll                     // namespaceSelector all(): in any namespace
	scopeSelector                // namespaceSelector over namespace labels
)

// entitySelector is the positive selector criterion of an EntityRule:
// libcalico-go's GetEntityRuleSelector kept in parts. A peer matches when
// one of its label sets (the endpoint itself, or a network set holding its
// address) satisfies every part.
type entitySelector struct {
	scope   nsScope
	ownNS   string
	nsSel   *selector.Selector
	saNames []string // nil: no constraint
	saSel   *selector.Selector
	sel     *selector.Selector
	text    string
}

func (m *entitySelector) matches(ls *labelSet) bool {
	switch m.scope {
	case scopeOwn:
		if v, ok := ls.all[labelNamespace]; !ok || v != m.ownNS {
			return false
		}
	case scopeGlobal:
		if _, ok := ls.all[labelNamespace]; ok {
			return false
		}
	case scopeAll:
		if _, ok := ls.all[labelNamespace]; !ok {
			return false
		}
	case scopeSelector:
		if !m.nsSel.Matches(ls.ns) {
			return false
		}
	}
	if m.saNames != nil {
		v, ok := ls.all[labelServiceAccount]
		if !ok || !slices.Contains(m.saNames, v) {
			return false
		}
	}
	if m.saSel != nil && !m.saSel.Matches(ls.sa) {
		return false
	}
	return m.sel == nil || m.sel.Matches(ls.all)
}

// entity compiles an EntityRule of a rule in a policy of namespace.
func (c *compiler) entity(er *v3.EntityRule, role, namespace string, bad func(string, ...any)) entity {
	en := entity{role: role, services: er.Services}
	en.nets, en.netFams = parseNets(er.Nets, role+".nets", bad)
	en.notNets, en.notNetFams = parseNets(er.NotNets, role+".notNets", bad)
	en.netsText = listText(er.Nets)
	en.notNetsText = listText(er.NotNets)
	en.ports, en.notPorts = er.Ports, er.NotPorts
	en.portsText = portsText(er.Ports)
	en.notPortText = portsText(er.NotPorts)

	parse := func(field, s string) *selector.Selector {
		if s == "" {
			return nil
		}
		sel, err := selector.Parse(s)
		if err != nil {
			bad("%s.%s: %v", role, field, err)
			return nil
		}
		return sel
	}
	if er.NotSelector != "" {
		en.notSel = parse("notSelector", er.NotSelector)
		en.notSelText = en.notSel.String()
	}

	m := &entitySelector{sel: parse("selector", er.Selector)}
	combined := er.Selector != ""
	if sa := er.ServiceAccounts; sa != nil {
		if len(sa.Names) > 0 {
			m.saNames = slices.Clone(sa.Names)
			combined = true
		}
		if sa.Selector != "" {
			m.saSel = parse("serviceAccounts.selector", sa.Selector)
			combined = true
		}
	}
	switch {
	case er.NamespaceSelector != "":
		ns := parse("namespaceSelector", er.NamespaceSelector)
		switch {
		case ns == nil: // did not parse; the rule is invalid already
		case ns.IsGlobal():
			m.scope = scopeGlobal
		case ns.IsAll():
			m.scope = scopeAll
		default:
			m.scope, m.nsSel = scopeSelector, ns
		}
	case namespace != "":
		// A namespaced policy's selectors (and notSelector) are limited
		// to its namespace; libcalico-go adds the limit only when one of
		// them is present.
		if combined || er.NotSelector != "" {
			m.scope, m.ownNS = scopeOwn, namespace
		}
	}
	if combined || m.scope != scopeNone {
		m.text = m.describe(er)
		en.pos = m
	}
	return en
}

// describe says what the positive selector asks for, for trace reasons:
// `selector app == "api" (limited to namespace prod)`,
// `selector app == "api" with namespaceSelector env == "dev"`.
func (m *entitySelector) describe(er *v3.EntityRule) string {
	var parts []string
	if m.sel != nil {
		parts = append(parts, "selector "+m.sel.String())
	}
	if m.saNames != nil {
		parts = append(parts, "serviceAccounts.names "+listText(m.saNames))
	}
	if m.saSel != nil {
		parts = append(parts, "serviceAccounts.selector "+m.saSel.String())
	}
	switch m.scope {
	case scopeOwn:
		if len(parts) == 0 {
			// Only a notSelector: libcalico-go still limits the rule to
			// the policy's namespace.
			return "notSelector " + er.NotSelector + " is limited to namespace " + m.ownNS + ", and that"
		}
		return strings.Join(parts, " with ") + " (limited to namespace " + m.ownNS + ")"
	case scopeGlobal:
		parts = append(parts, "namespaceSelector global() (outside every namespace)")
	case scopeAll:
		parts = append(parts, "namespaceSelector all() (in any namespace)")
	case scopeSelector:
		parts = append(parts, "namespaceSelector "+m.nsSel.String())
	}
	return strings.Join(parts, " with ")
}

// parseNets parses rule nets: CIDRs, with a bare address taken as a host
// network as libcalico-go does, masked.
func parseNets(nets []string, field string, bad func(string, ...any)) ([]netip.Prefix, families) {
	if len(nets) == 0 {
		return nil, 0
	}
	out := make([]netip.Prefix, 0, len(nets))
	var fams families
	for i, s := range nets {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				bad("%s[%d]: %q is not a CIDR", field, i, s)
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		p = p.Masked()
		fams |= families(1) << family(p.Addr())
		out = append(out, p)
	}
	return out, fams
}

func containsAddr(nets []netip.Prefix, a netip.Addr) bool {
	for _, p := range nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func listText(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

func portsText(ports []numorstring.Port) string {
	if len(ports) == 0 {
		return ""
	}
	items := make([]string, len(ports))
	for i, p := range ports {
		items[i] = p.String()
	}
	return listText(items)
}

// match reports whether the end s of the flow matches the entity.
func (en *entity) match(fc *flowCtx, s *side) (bool, string) {
	fam := families(1) << fc.fam
	if len(en.nets) > 0 {
		switch {
		case en.netFams&fam == 0:
			// Felix renders a rule per IP version, without the nets of
			// the other version; a rule whose nets are all of the other
			// version is not rendered at all.
			return false, fc.why(func() string {
				return en.role + " nets " + en.netsText + " hold no IPv" + strconv.Itoa(fc.fam) + " network: the rule does not apply to IPv" + strconv.Itoa(fc.fam) + " flows"
			})
		case !s.addr.IsValid():
			return false, fc.why(func() string {
				return en.role + " nets " + en.netsText + " match addresses, and " + s.describe() + " has no IPv" + strconv.Itoa(fc.fam) + " address"
			})
		case !containsAddr(en.nets, s.addr):
			return false, fc.why(func() string {
				return en.role + " nets " + en.netsText + " do not contain " + s.describeAddr()
			})
		}
	}
	if len(en.notNets) > 0 {
		switch {
		case en.notNetFams&fam == 0:
			return false, fc.why(func() string {
				return en.role + " notNets " + en.notNetsText + " hold no IPv" + strconv.Itoa(fc.fam) + " network: the rule does not apply to IPv" + strconv.Itoa(fc.fam) + " flows"
			})
		case s.addr.IsValid() && containsAddr(en.notNets, s.addr):
			return false, fc.why(func() string {
				return en.role + " notNets " + en.notNetsText + " contain " + s.describeAddr()
			})
		}
	}
	if en.services != nil {
		return false, fc.why(func() string {
			svc := en.services.Name
			if en.services.Namespace != "" {
				svc = en.services.Namespace + "/" + svc
			}
			return en.role + " services " + svc + ": the endpoints of a Kubernetes Service cannot be resolved offline; treated as not matching"
		})
	}
	if en.pos != nil && !s.matchesSelector(en.pos) {
		return false, fc.why(func() string {
			if en.pos.scope == scopeSelector {
				return en.role + " " + en.pos.text + " does not match " + s.describeWithNamespace()
			}
			return en.role + " " + en.pos.text + " does not match " + s.describe()
		})
	}
	if en.notSel != nil && s.matchesNotSelector(en.notSel) {
		return false, fc.why(func() string {
			return en.role + " notSelector " + en.notSelText + " matches " + s.describe()
		})
	}
	proto := fc.flow.Protocol
	if len(en.ports) > 0 && !s.portIn(en.ports, proto) {
		return false, fc.why(func() string {
			return en.role + " ports " + en.portsText + " do not include " + s.describePort(proto)
		})
	}
	if len(en.notPorts) > 0 && s.portIn(en.notPorts, proto) {
		return false, fc.why(func() string {
			return en.role + " notPorts " + en.notPortText + " include " + s.describePort(proto)
		})
	}
	return true, ""
}
