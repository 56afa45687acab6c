package validate

import (
	"regexp"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var codeFilter = define(Code{
	ID: "bgp-filter-invalid", Severity: SeverityError,
	Title: "a BGPFilter rule is malformed",
	Example: `apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: tor-export
spec:
  exportV4:
  - cidr: fd00::/8
    matchOperator: In
    action: Accept
`,
})

var filterInterface = regexp.MustCompile(`^[a-zA-Z0-9_.*-]{1,15}$`)

func init() {
	registerObjectCheck("BGPFilter", v3.GroupName, func(r *reporter, obj any) {
		s := obj.(*v3.BGPFilter).Spec
		checkFilterRules(r, "spec.exportV4", s.ExportV4, false)
		checkFilterRules(r, "spec.importV4", s.ImportV4, false)
		checkFilterRules(r, "spec.exportV6", s.ExportV6, true)
		checkFilterRules(r, "spec.importV6", s.ImportV6, true)
	})
}

func checkFilterRules(r *reporter, list string, rules []v3.BGPFilterRule, v6 bool) {
	family, maxLen := "IPv4", int32(32)
	if v6 {
		family, maxLen = "IPv6", 128
	}
	for i, rule := range rules {
		field := fieldPath(list, i)
		cidrLen := int32(-1)
		if rule.CIDR != "" {
			p, err := parseNet(rule.CIDR, false)
			switch {
			case err != nil:
				r.report(codeFilter, field+".cidr", "cidr %v", err)
			case p.Addr().Is6() != v6:
				r.report(codeFilter, field+".cidr", "cidr %s is not %s, but %s holds %s rules", rule.CIDR, family, list, family)
			default:
				cidrLen = int32(p.Bits())
			}
		}
		if (rule.CIDR == "") != (rule.MatchOperator == "") {
			r.report(codeFilter, field+".matchOperator", "cidr and matchOperator must both be set or both be empty")
		}
		switch rule.MatchOperator {
		case "", v3.MatchOperatorEqual, v3.MatchOperatorNotEqual, v3.MatchOperatorIn, v3.MatchOperatorNotIn:
		default:
			r.report(codeFilter, field+".matchOperator", "matchOperator %q: write Equal, NotEqual, In or NotIn", rule.MatchOperator)
		}
		if pl := rule.PrefixLength; pl != nil {
			if rule.CIDR == "" {
				r.report(codeFilter, field+".prefixLength", "prefixLength requires cidr")
			}
			for name, v := range map[string]*int32{"min": pl.Min, "max": pl.Max} {
				if v != nil && (*v < 0 || *v > maxLen) {
					r.report(codeFilter, field+".prefixLength."+name, "prefixLength.%s %d is out of range 0-%d for %s", name, *v, maxLen, family)
				}
			}
			if pl.Min != nil && pl.Max != nil && *pl.Min > *pl.Max {
				r.report(codeFilter, field+".prefixLength", "prefixLength min %d is greater than max %d", *pl.Min, *pl.Max)
			}
			if pl.Min != nil && cidrLen >= 0 && *pl.Min < cidrLen {
				r.report(codeFilter, field+".prefixLength.min", "prefixLength.min %d is shorter than the cidr's own /%d: no route inside %s is that short", *pl.Min, cidrLen, rule.CIDR)
			}
		}
		if rule.Source != "" && rule.Source != v3.BGPFilterSourceRemotePeers {
			r.report(codeFilter, field+".source", "source %q: the only value is RemotePeers", rule.Source)
		}
		if rule.Interface != "" && !filterInterface.MatchString(rule.Interface) {
			r.report(codeFilter, field+".interface", "interface %q is not an interface name or pattern (1-15 of letters, digits, '_', '.', '-', '*')", rule.Interface)
		}
		if rule.PeerType != "" && rule.PeerType != v3.BGPFilterPeerTypeEBGP && rule.PeerType != v3.BGPFilterPeerTypeIBGP {
			r.report(codeFilter, field+".peerType", "peerType %q: write eBGP or iBGP", rule.PeerType)
		}
		if c := rule.Communities; c != nil {
			if len(c.Values) != 1 {
				r.report(codeFilter, field+".communities.values", "communities.values takes exactly one community")
			}
			for j, v := range c.Values {
				if msg := communityProblem(v); msg != "" {
					r.report(codeFilter, fieldPath(field+".communities.values", j), "community %s", msg)
				}
			}
		}
		if rule.Priority != nil && (*rule.Priority < 1 || *rule.Priority > 2147483646) {
			r.report(codeFilter, field+".priority", "priority %d is out of range 1-2147483646", *rule.Priority)
		}
		switch rule.Action {
		case v3.BGPFilterAccept, v3.BGPFilterReject:
		case "":
			r.report(codeFilter, field+".action", "action is required: Accept or Reject")
		default:
			r.report(codeFilter, field+".action", "action %q: write Accept or Reject%s", rule.Action, caseHint(string(rule.Action), "Accept", "Reject"))
		}
		checkFilterOperations(r, field, rule)
	}
}

func checkFilterOperations(r *reporter, field string, rule v3.BGPFilterRule) {
	if len(rule.Operations) > 0 && rule.Action != v3.BGPFilterAccept {
		r.report(codeFilter, field+".operations", "operations only apply to routes a rule accepts: set action: Accept or remove them")
	}
	if len(rule.Operations) > 10 {
		r.report(codeFilter, field+".operations", "at most 10 operations per rule")
	}
	for j, op := range rule.Operations {
		opField := fieldPath(field+".operations", j)
		n := 0
		if op.AddCommunity != nil {
			n++
			if msg := communityProblem(op.AddCommunity.Value); msg != "" {
				r.report(codeFilter, opField+".addCommunity.value", "community %s", msg)
			}
		}
		if op.PrependASPath != nil {
			n++
			if l := len(op.PrependASPath.Prefix); l < 1 || l > 10 {
				r.report(codeFilter, opField+".prependASPath.prefix", "prependASPath.prefix takes 1-10 AS numbers")
			}
		}
		if op.SetPriority != nil {
			n++
			if v := op.SetPriority.Value; v < 1 || v > 2147483646 {
				r.report(codeFilter, opField+".setPriority.value", "priority %d is out of range 1-2147483646", v)
			}
		}
		if n != 1 {
			r.report(codeFilter, opField, "each operation sets exactly one of addCommunity, prependASPath and setPriority")
		}
	}
}
