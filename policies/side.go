package policies

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/tabbynet/tabby/api/numorstring"
	"github.com/tabbynet/tabby/policies/selector"
)

// flowCtx is a flow resolved for evaluation.
type flowCtx struct {
	flow     Flow
	fam      int
	src, dst side
	// trace asks for reasons; without it, rule matching skips building
	// them.
	trace bool
}

// why returns reason() when tracing, and "" otherwise.
func (fc *flowCtx) why(reason func() string) string {
	if !fc.trace {
		return ""
	}
	return reason()
}

// side is one end of a flow as rules see it.
type side struct {
	// ep is the Calico endpoint, nil for an address outside the cluster.
	ep *endpoint
	// addr is the address the flow uses at this end; invalid when unknown.
	addr netip.Addr
	// sets are the network sets holding addr. Calico matches a rule
	// selector by IP set membership, and a selector's IP set holds the
	// nets of the network sets it selects as well as endpoint addresses.
	sets []*labelSet
	port uint16
	// desc, nsDesc and addrDesc cache descriptions for trace reasons.
	desc, nsDesc, addrDesc string
}

// matchesSelector reports whether the endpoint, or a network set holding
// its address, satisfies a rule's positive selector.
func (s *side) matchesSelector(m *entitySelector) bool {
	if s.ep != nil && m.matches(&s.ep.labelSet) {
		return true
	}
	for _, ls := range s.sets {
		if m.matches(ls) {
			return true
		}
	}
	return false
}

// matchesNotSelector reports whether anything the end is (the endpoint, or a
// network set holding its address) is selected by a notSelector, which then
// excludes the end.
func (s *side) matchesNotSelector(sel *selector.Selector) bool {
	if s.ep != nil && sel.Matches(s.ep.all) {
		return true
	}
	for _, ls := range s.sets {
		if sel.Matches(ls.all) {
			return true
		}
	}
	return false
}

// portIn reports whether the end's port, under protocol proto, is one of
// ports. A named port matches when the endpoint declares a port of that
// name, protocol and number: it never matches an end without one.
func (s *side) portIn(ports []numorstring.Port, proto uint8) bool {
	for _, p := range ports {
		if !p.IsNamed() {
			if p.Contains(s.port) {
				return true
			}
			continue
		}
		if s.ep == nil {
			continue
		}
		for _, np := range s.ep.ports {
			if np.Name == p.PortName && np.Protocol == proto && np.Port == s.port {
				return true
			}
		}
	}
	return false
}

// describe names the end for trace reasons.
func (s *side) describe() string {
	if s.desc != "" {
		return s.desc
	}
	var b strings.Builder
	if s.ep != nil {
		b.WriteString(s.ep.describe())
	} else if s.addr.IsValid() {
		b.WriteString("address ")
		b.WriteString(s.addr.String())
	} else {
		b.WriteString("an unknown address")
	}
	switch {
	case len(s.sets) > 0:
		if s.ep != nil {
			b.WriteString(", whose address " + s.addr.String() + " is")
		}
		b.WriteString(" in ")
		for i, ls := range s.sets {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ls.describe())
		}
	case s.ep == nil && s.addr.IsValid():
		b.WriteString(" (in no network set)")
	}
	s.desc = b.String()
	return s.desc
}

// describeAddr names the end's address: "10.0.1.2 of pod prod/api" or
// "8.8.8.8".
func (s *side) describeAddr() string {
	if s.addrDesc == "" {
		s.addrDesc = s.addr.String()
		if s.ep != nil {
			s.addrDesc += " of " + s.ep.name
		}
	}
	return s.addrDesc
}

// describeWithNamespace describes the end with its namespace's labels, for
// namespaceSelector mismatches.
func (s *side) describeWithNamespace() string {
	if s.nsDesc == "" {
		s.nsDesc = s.describe()
		if s.ep != nil {
			if ns := s.ep.describeNamespace(); ns != "" {
				s.nsDesc += ", " + ns
			}
		}
	}
	return s.nsDesc
}

// describePort says which port of the end the flow uses, and which named
// ports the endpoint declares.
func (s *side) describePort(proto uint8) string {
	d := protoName(proto) + " port " + strconv.Itoa(int(s.port))
	if s.ep == nil {
		return d + " of " + s.describe()
	}
	var named []string
	for _, np := range s.ep.ports {
		named = append(named, np.Name+"="+protoName(np.Protocol)+"/"+strconv.Itoa(int(np.Port)))
	}
	d += " of " + s.ep.name
	if len(named) == 0 {
		return d + " (it declares no named ports)"
	}
	return d + " (its named ports: " + strings.Join(named, ", ") + ")"
}
