package validate

import (
	"github.com/tabbynet/tabby/policies/selector"
)

var (
	codeSelector = define(Code{
		ID: "selector-invalid", Severity: SeverityError,
		Title: "a selector does not parse",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  nodeSelector: rack = 'rack7'
  peerIP: 10.0.7.1
  asNumber: 64513
`,
	})
	codeSelectorGlobal = define(Code{
		ID: "selector-global-misplaced", Severity: SeverityError,
		Title: "global() appears outside a rule's namespaceSelector, or combined with other terms there",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: p
spec:
  selector: global()
`,
	})
)

// selectorRule says where a selector field allows global().
type selectorRule int

const (
	noGlobal    selectorRule = iota // global() is forbidden
	wholeGlobal                     // global() is allowed only as the whole selector (rule namespaceSelector)
)

// checkSelector parses the selector in field and reports it if it does not
// parse or misuses global(). It returns the parsed selector, or nil.
func (r *reporter) checkSelector(field, s string, rule selectorRule) *selector.Selector {
	sel, err := selector.Parse(s)
	if err != nil {
		r.report(codeSelector, field, "%v", err)
		return nil
	}
	if sel.UsesGlobal() && !(rule == wholeGlobal && sel.IsGlobal()) {
		if rule == wholeGlobal {
			r.report(codeSelectorGlobal, field, "global() must be the whole namespaceSelector, not combined with other terms: %q", s)
		} else {
			r.report(codeSelectorGlobal, field, "global() is only allowed as a rule's whole namespaceSelector: %q", s)
		}
		return nil
	}
	return sel
}
