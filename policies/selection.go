package policies

import (
	"github.com/tabbynet/tabby/policies/selector"
)

// selection is what a policy selects: every part must hold. It is Calico's
// conversion of a policy into one selector over endpoint labels, kept in
// parts: libcalico-go ANDs a NetworkPolicy's selector with its namespace,
// and a GlobalNetworkPolicy's with its namespaceSelector and
// serviceAccountSelector, prefixed with pcns. and pcsa. (which the views of
// a labelSet undo).
type selection struct {
	// never is set when a selector does not parse: the policy selects
	// nothing.
	never bool
	// sel is the policy's own selector over all labels; nil selects all.
	sel *selector.Selector
	// namespace, when set, is the namespace the endpoint must be in.
	namespace string
	// needNS and needSA require the endpoint to be in some namespace, and
	// to have a service account: Calico's rewriting of all() in a
	// GlobalNetworkPolicy's namespaceSelector and serviceAccountSelector.
	needNS, needSA bool
	// nsSel and saSel are evaluated over the namespace and service-account
	// views; nil selects all.
	nsSel, saSel *selector.Selector
}

func (s *selection) matches(ls *labelSet) bool {
	if s.never {
		return false
	}
	if s.namespace != "" {
		if v, ok := ls.all[labelNamespace]; !ok || v != s.namespace {
			return false
		}
	}
	if s.needNS {
		if _, ok := ls.all[labelNamespace]; !ok {
			return false
		}
	}
	if s.needSA {
		if _, ok := ls.all[labelServiceAccount]; !ok {
			return false
		}
	}
	if s.nsSel != nil && !s.nsSel.Matches(ls.ns) {
		return false
	}
	if s.saSel != nil && !s.saSel.Matches(ls.sa) {
		return false
	}
	return s.sel == nil || s.sel.Matches(ls.all)
}

// requirements returns constraints every label set the selection matches
// meets, over all labels, for the policy index. Requirements of the
// namespace and service-account selectors hold of the pcns. and pcsa.
// labels, from which the views are derived.
func (s *selection) requirements() []selector.Requirement {
	var reqs []selector.Requirement
	if s.namespace != "" {
		reqs = append(reqs, selector.Requirement{Key: labelNamespace, Values: []string{s.namespace}})
	}
	if s.needNS {
		reqs = append(reqs, selector.Requirement{Key: labelNamespace})
	}
	if s.needSA {
		reqs = append(reqs, selector.Requirement{Key: labelServiceAccount})
	}
	for _, r := range s.nsSel.Requirements() {
		reqs = append(reqs, selector.Requirement{Key: prefixNamespace + r.Key, Values: r.Values})
	}
	for _, r := range s.saSel.Requirements() {
		reqs = append(reqs, selector.Requirement{Key: prefixSA + r.Key, Values: r.Values})
	}
	return append(reqs, s.sel.Requirements()...)
}
