package policies

import (
	"fmt"
	"strconv"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// rule is a compiled Calico rule. A Kubernetes NetworkPolicy's rules are
// converted to Calico rules first, as Calico does, and compiled alike.
type rule struct {
	index     int
	action    v3.Action
	field     string
	portField string
	// invalid, when set, says why the rule matches nothing: a field that
	// does not parse, or an unknown action.
	invalid string
	// http is set for a rule with an application-layer match.
	http      bool
	ipVersion int // 0: any
	proto     protoMatch
	notProto  protoMatch
	icmp      *icmpMatch
	notICMP   *icmpMatch
	src, dst  entity
}

type protoMatch struct {
	set  bool
	num  uint8
	text string
}

type icmpMatch struct {
	typ, code *int
}

func (m *icmpMatch) String() string {
	switch {
	case m.typ == nil:
		return "any type"
	case m.code == nil:
		return "type " + strconv.Itoa(*m.typ)
	default:
		return fmt.Sprintf("type %d code %d", *m.typ, *m.code)
	}
}

// matches reports whether the ICMP type and code of a flow match. A flow
// that does not give a type (or code) matches only a rule that does not ask
// for one.
func (m *icmpMatch) matches(typ, code *uint8) bool {
	if m.typ != nil && (typ == nil || int(*typ) != *m.typ) {
		return false
	}
	if m.code != nil && (code == nil || int(*code) != *m.code) {
		return false
	}
	return true
}

// rule compiles one Calico rule of a policy in namespace (empty for a
// global policy).
func (c *compiler) rule(r *v3.Rule, namespace, field string) *rule {
	out := &rule{action: r.Action, field: field, http: r.HTTP != nil}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	switch r.Action {
	case v3.Allow, v3.Deny, v3.Log, v3.Pass:
	default:
		bad("action: unknown action %q", r.Action)
	}
	if r.IPVersion != nil {
		if *r.IPVersion != 4 && *r.IPVersion != 6 {
			bad("ipVersion: %d is neither 4 nor 6", *r.IPVersion)
		}
		out.ipVersion = *r.IPVersion
	}
	out.proto = protocol(r.Protocol, "protocol", bad)
	out.notProto = protocol(r.NotProtocol, "notProtocol", bad)
	if r.ICMP != nil {
		out.icmp = &icmpMatch{typ: r.ICMP.Type, code: r.ICMP.Code}
	}
	if r.NotICMP != nil {
		out.notICMP = &icmpMatch{typ: r.NotICMP.Type, code: r.NotICMP.Code}
	}
	out.src = c.entity(&r.Source, "source", namespace, bad)
	out.dst = c.entity(&r.Destination, "destination", namespace, bad)
	if len(problems) > 0 {
		out.invalid = problems[0]
	}
	return out
}

func protocol(p *numorstring.Protocol, field string, bad func(string, ...any)) protoMatch {
	if p == nil {
		return protoMatch{}
	}
	n, ok := p.NumberOf()
	if !ok {
		bad("%s: %q is not a protocol Calico knows", field, p.String())
	}
	return protoMatch{set: true, num: n, text: p.String()}
}

// protoName names an IANA protocol number the way rules spell it.
func protoName(n uint8) string {
	switch n {
	case ProtoTCP:
		return "TCP"
	case ProtoUDP:
		return "UDP"
	case ProtoICMP:
		return "ICMP"
	case ProtoICMPv6:
		return "ICMPv6"
	case ProtoSCTP:
		return "SCTP"
	case 136:
		return "UDPLite"
	case 0:
		return "no protocol"
	}
	return "protocol " + strconv.Itoa(int(n))
}

// match reports whether the rule matches the flow and, when it does not and
// fc.trace is set, why: the first criterion that does not hold.
func (r *rule) match(fc *flowCtx) (bool, string) {
	f := &fc.flow
	switch {
	case r.invalid != "":
		return false, "the rule is invalid (" + r.invalid + ") and matches nothing"
	case r.http:
		return false, "http matches the application layer, which is not evaluated for L3/L4 flows; treated as not matching"
	case r.ipVersion != 0 && r.ipVersion != fc.fam:
		return false, fc.why(func() string { return fmt.Sprintf("ipVersion %d does not match the IPv%d flow", r.ipVersion, fc.fam) })
	case r.proto.set && r.proto.num != f.Protocol:
		return false, fc.why(func() string { return "protocol " + r.proto.text + " does not match " + protoName(f.Protocol) })
	case r.notProto.set && r.notProto.num == f.Protocol:
		return false, fc.why(func() string { return "notProtocol " + r.notProto.text + " excludes " + protoName(f.Protocol) })
	case r.icmp != nil && !(isICMP(f.Protocol) && r.icmp.matches(f.ICMPType, f.ICMPCode)):
		return false, fc.why(func() string { return fmt.Sprintf("icmp %s does not match %s", r.icmp, describeICMP(f)) })
	case r.notICMP != nil && isICMP(f.Protocol) && r.notICMP.matches(f.ICMPType, f.ICMPCode):
		return false, fc.why(func() string { return fmt.Sprintf("notICMP %s excludes %s", r.notICMP, describeICMP(f)) })
	}
	if ok, why := r.src.match(fc, &fc.src); !ok {
		return false, why
	}
	if ok, why := r.dst.match(fc, &fc.dst); !ok {
		return false, why
	}
	return true, ""
}

func isICMP(p uint8) bool { return p == ProtoICMP || p == ProtoICMPv6 }

func describeICMP(f *Flow) string {
	if !isICMP(f.Protocol) {
		return protoName(f.Protocol)
	}
	s := protoName(f.Protocol)
	if f.ICMPType == nil {
		return s + " with no type given"
	}
	s += " type " + strconv.Itoa(int(*f.ICMPType))
	if f.ICMPCode != nil {
		s += " code " + strconv.Itoa(int(*f.ICMPCode))
	}
	return s
}
