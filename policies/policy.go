package policies

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies/selector"
)

// Direction indexes.
const (
	dirIngress = 0
	dirEgress  = 1
)

func dirIndex(d Direction) int {
	if d == Egress {
		return dirEgress
	}
	return dirIngress
}

// policy is a compiled Calico or Kubernetes network policy.
type policy struct {
	ref       PolicyRef
	tierName  string
	tier      *tier
	order     *float64
	types     [2]bool
	rules     [2][]*rule
	selection selection
	// hostOnly marks a preDNAT or doNotTrack GlobalNetworkPolicy, which
	// Felix applies to host endpoints in chains of their own; the engine
	// does not evaluate them.
	hostOnly string
	// id is the policy's position in evaluation order.
	id int32
}

// tieKey is what Felix (v3.32+) compares when two policies of a tier have
// the same order: "name/namespace/kind". Up to v3.31 it compared the
// datastore name, which carried the tier prefix.
func (p *policy) tieKey() string {
	return p.ref.Name + "/" + p.ref.Namespace + "/" + p.ref.Kind
}

// policyLess orders policies for evaluation: by tier, then ascending order
// (nil is +∞), then Felix's tie key; the source position settles what is
// left (duplicates), so that the result does not depend on input order.
func policyLess(a, b *policy, tierRank map[*tier]int) int {
	if c := cmp.Compare(tierRank[a.tier], tierRank[b.tier]); c != 0 {
		return c
	}
	if c := cmp.Compare(orderValue(a.order), orderValue(b.order)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.tieKey(), b.tieKey()); c != 0 {
		return c
	}
	sa, sb := a.ref.Source, b.ref.Source
	if c := cmp.Compare(sa.File, sb.File); c != 0 {
		return c
	}
	if c := cmp.Compare(sa.Line, sb.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(sa.Doc, sb.Doc); c != 0 {
		return c
	}
	return cmp.Compare(sa.Item, sb.Item)
}

func orderValue(o *float64) float64 {
	if o == nil {
		return math.Inf(1)
	}
	return *o
}

// calicoSpec is what NetworkPolicy and GlobalNetworkPolicy have in common.
type calicoSpec struct {
	tier                   string
	order                  *float64
	ingress, egress        []v3.Rule
	selector               string
	types                  []v3.PolicyType
	serviceAccountSelector string
	namespaceSelector      string // GlobalNetworkPolicy only
	hostOnly               string // "preDNAT" or "doNotTrack"
}

func (c *compiler) networkPolicy(o *manifest.Object, np *v3.NetworkPolicy) {
	c.calicoPolicy(o, KindNetworkPolicy, np.Namespace, np.Name, calicoSpec{
		tier:                   np.Spec.Tier,
		order:                  np.Spec.Order,
		ingress:                np.Spec.Ingress,
		egress:                 np.Spec.Egress,
		selector:               np.Spec.Selector,
		types:                  np.Spec.Types,
		serviceAccountSelector: np.Spec.ServiceAccountSelector,
	})
}

func (c *compiler) globalNetworkPolicy(o *manifest.Object, gnp *v3.GlobalNetworkPolicy) {
	s := calicoSpec{
		tier:                   gnp.Spec.Tier,
		order:                  gnp.Spec.Order,
		ingress:                gnp.Spec.Ingress,
		egress:                 gnp.Spec.Egress,
		selector:               gnp.Spec.Selector,
		types:                  gnp.Spec.Types,
		serviceAccountSelector: gnp.Spec.ServiceAccountSelector,
		namespaceSelector:      gnp.Spec.NamespaceSelector,
	}
	switch {
	case gnp.Spec.PreDNAT:
		s.hostOnly = "preDNAT"
	case gnp.Spec.DoNotTrack:
		s.hostOnly = "doNotTrack"
	}
	c.calicoPolicy(o, KindGlobalNetworkPolicy, "", gnp.Name, s)
}

func (c *compiler) calicoPolicy(o *manifest.Object, kind, namespace, name string, s calicoSpec) {
	p := &policy{
		ref:      PolicyRef{Kind: kind, Namespace: namespace, Name: name, Source: o.Source, Object: o},
		tierName: s.tier,
		order:    c.order(o, s.order),
		hostOnly: s.hostOnly,
	}
	if p.tierName == "" {
		p.tierName = v3.TierDefault
	}
	types := v3.DefaultPolicyTypes(s.types, len(s.ingress) > 0, len(s.egress) > 0)
	for _, t := range types {
		switch t {
		case v3.PolicyTypeIngress:
			p.types[dirIngress] = true
		case v3.PolicyTypeEgress:
			p.types[dirEgress] = true
		default:
			c.problem(o, "spec.types", "unknown policy type %q is ignored", t)
		}
	}

	sel := &p.selection
	sel.sel = c.parse(o, "spec.selector", s.selector, &sel.never)
	if namespace != "" {
		sel.namespace = namespace
		// A NetworkPolicy's serviceAccountSelector is prefixed and ANDed
		// in, with no rewriting of all().
		sel.saSel = c.parse(o, "spec.serviceAccountSelector", s.serviceAccountSelector, &sel.never)
	} else {
		// libcalico-go rewrites all() in a GlobalNetworkPolicy's combined
		// selector to has(projectcalico.org/namespace) once a
		// namespaceSelector is ANDed in, and what remains of all() to
		// has(projectcalico.org/serviceaccount) once a
		// serviceAccountSelector is.
		selIsAll := s.selector != "" && sel.sel.IsAll()
		if s.namespaceSelector != "" {
			nsSel := c.parse(o, "spec.namespaceSelector", s.namespaceSelector, &sel.never)
			if nsSel.IsAll() {
				sel.needNS = true
			} else {
				sel.nsSel = nsSel
			}
			if selIsAll {
				sel.needNS, sel.sel, selIsAll = true, nil, false
			}
		}
		if s.serviceAccountSelector != "" {
			saSel := c.parse(o, "spec.serviceAccountSelector", s.serviceAccountSelector, &sel.never)
			if saSel.IsAll() {
				sel.needSA = true
			} else {
				sel.saSel = saSel
			}
			if selIsAll {
				sel.needSA, sel.sel = true, nil
			}
		}
	}

	p.rules[dirIngress] = c.rules(o, namespace, "spec.ingress", s.ingress)
	p.rules[dirEgress] = c.rules(o, namespace, "spec.egress", s.egress)
	c.addPolicy(p)
}

// rules compiles a list of Calico rules.
func (c *compiler) rules(o *manifest.Object, namespace, field string, rs []v3.Rule) []*rule {
	out := make([]*rule, 0, len(rs))
	for i := range rs {
		path := fmt.Sprintf("%s[%d]", field, i)
		r := c.rule(&rs[i], namespace, path)
		r.index = i
		if r.invalid != "" {
			c.problem(o, path, "%s; the rule matches nothing", r.invalid)
		}
		out = append(out, r)
	}
	return out
}

// order returns a policy's order, with NaN (which would make sorting
// meaningless) treated as unset.
func (c *compiler) order(o *manifest.Object, order *float64) *float64 {
	if order != nil && math.IsNaN(*order) {
		c.problem(o, "spec.order", "order is NaN; treated as unset (evaluated last)")
		return nil
	}
	return order
}

// parse parses a selector field. An unparsable selector sets *never and is
// reported; the empty string gives nil, which selects everything.
func (c *compiler) parse(o *manifest.Object, field, s string, never *bool) *selector.Selector {
	if s == "" {
		return nil
	}
	sel, err := selector.Parse(s)
	if err != nil {
		*never = true
		c.problem(o, field, "%v; the policy selects nothing", err)
		return nil
	}
	return sel
}

func (c *compiler) addPolicy(p *policy) {
	p.tier = c.tierFor(p.tierName)
	c.policies = append(c.policies, p)
}

// sortPolicies puts the compiled policies in evaluation order and numbers
// them.
func sortPolicies(ps []*policy, tiers []*tier) {
	rank := make(map[*tier]int, len(tiers))
	for i, t := range tiers {
		rank[t] = i
	}
	slices.SortFunc(ps, func(a, b *policy) int { return policyLess(a, b, rank) })
	for i, p := range ps {
		p.id = int32(i)
	}
}
