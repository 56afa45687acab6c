package policies

import (
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/tabbynet/tabby/policies/selector"
)

// Labels Calico gives endpoints and network sets, and the prefixes under
// which they inherit the labels of their namespace and service account
// (through the kns.<namespace> and ksa.<namespace>.<name> profiles).
const (
	labelNamespace      = "projectcalico.org/namespace"
	labelOrchestrator   = "projectcalico.org/orchestrator"
	labelServiceAccount = "projectcalico.org/serviceaccount"
	labelName           = "projectcalico.org/name"
	labelK8sNamespace   = "kubernetes.io/metadata.name"
	prefixNamespace     = "pcns."
	prefixSA            = "pcsa."
	orchestratorK8s     = "k8s"
	defaultSA           = "default"
)

// labelSet is what selectors see of an endpoint or network set.
type labelSet struct {
	// all holds every label a selector sees: inherited namespace and
	// service-account labels (pcns.*, pcsa.*), then the object's own labels,
	// then Calico's special labels, each overriding the one before, as
	// Felix merges profile labels under endpoint labels.
	all selector.Map
	// ns is the pcns.* labels without the prefix: what a namespaceSelector
	// sees, since Calico prefixes a namespaceSelector's labels with pcns.
	// before evaluating it. Empty for objects outside any namespace.
	ns selector.Map
	// sa is the pcsa.* labels without the prefix, for serviceAccount
	// selectors.
	sa selector.Map
	// own is the object's own labels, for descriptions.
	own map[string]string
	// name is "pod ns/name", "host endpoint name", "network set ns/name" or
	// "global network set name".
	name string
	// desc and nsDesc cache describe and describeNamespace for the label
	// sets the engine keeps; empty for those built for one flow.
	desc, nsDesc string
}

// newLabelSet merges inherited labels (already prefixed), own labels and
// special labels, and derives the namespace and service-account views.
func newLabelSet(name string, inherited, own, special map[string]string) labelSet {
	all := make(selector.Map, len(inherited)+len(own)+len(special))
	for k, v := range inherited {
		all[k] = v
	}
	for k, v := range own {
		all[k] = v
	}
	for k, v := range special {
		all[k] = v
	}
	ls := labelSet{all: all, own: own, name: name}
	for k, v := range all {
		if rest, ok := strings.CutPrefix(k, prefixNamespace); ok {
			if ls.ns == nil {
				ls.ns = selector.Map{}
			}
			ls.ns[rest] = v
		}
		if rest, ok := strings.CutPrefix(k, prefixSA); ok {
			if ls.sa == nil {
				ls.sa = selector.Map{}
			}
			ls.sa[rest] = v
		}
	}
	return ls
}

// precompute fills the cached descriptions of a label set the engine
// keeps, so that traces do not rebuild them for every flow.
func (ls *labelSet) precompute() {
	ls.desc = ls.describe()
	ls.nsDesc = ls.describeNamespace()
}

// describe returns the name and own labels: `pod a/b (app=x, tier=web)`.
func (ls *labelSet) describe() string {
	if ls.desc != "" {
		return ls.desc
	}
	if len(ls.own) == 0 {
		return ls.name + " (no labels)"
	}
	keys := make([]string, 0, len(ls.own))
	for k := range ls.own {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(ls.name)
	b.WriteString(" (")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(ls.own[k])
	}
	b.WriteByte(')')
	return b.String()
}

// describeNamespace returns "in namespace prod (env=prod, team=a)": the
// namespace and the labels a namespaceSelector sees, without the two every
// namespace has. It is empty outside any namespace.
func (ls *labelSet) describeNamespace() string {
	if ls.nsDesc != "" {
		return ls.nsDesc
	}
	ns, ok := ls.all[labelNamespace]
	if !ok {
		return ""
	}
	keys := make([]string, 0, len(ls.ns))
	for k := range ls.ns {
		if k != labelName && k != labelK8sNamespace {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "in namespace " + ns + " (no labels)"
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("in namespace " + ns + " (")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + "=" + ls.ns[k])
	}
	b.WriteByte(')')
	return b.String()
}

type endpointKind uint8

const (
	kindPod endpointKind = iota
	kindHost
)

// endpoint is a Calico endpoint: a pod (workload endpoint) or a host
// endpoint.
type endpoint struct {
	labelSet
	kind     endpointKind
	addrs    []netip.Addr
	ports    []NamedPort
	profiles []string
	// cache holds, for an endpoint the engine keeps, the policies that
	// select it, by direction; nil for an endpoint built for one flow.
	cache *[2]policyCache
}

// policyCache is a lazily computed list of the policies selecting an
// endpoint for one direction.
type policyCache struct {
	once     sync.Once
	policies []*policy
}

// profileLabels are the labels a kns.<namespace> or ksa.<namespace>.<name>
// profile applies to endpoints: the namespace's (service account's) labels
// prefixed with pcns. (pcsa.), with its name under the prefixed
// projectcalico.org/name; and the same without the prefix, which is what a
// namespaceSelector (serviceAccountSelector) sees.
type profileLabels struct {
	inherited map[string]string
	view      selector.Map
}

func newProfileLabels(prefix, name string, labels map[string]string) *profileLabels {
	pl := &profileLabels{inherited: make(map[string]string, len(labels)+2), view: make(selector.Map, len(labels)+2)}
	add := func(k, v string) {
		pl.inherited[prefix+k] = v
		pl.view[k] = v
	}
	for k, v := range labels {
		add(k, v)
	}
	if prefix == prefixNamespace {
		// The API server labels every namespace with its name; a namespace
		// from an inventory that omits the label still has it.
		if _, ok := labels[labelK8sNamespace]; !ok {
			add(labelK8sNamespace, name)
		}
	}
	add(labelName, name)
	return pl
}

// namespace returns the profile labels of the namespace called name; a
// namespace missing from the inventory is taken to exist with no labels but
// its name.
func (e *Engine) namespace(name string) *profileLabels {
	if ns, ok := e.namespaces[name]; ok {
		return ns
	}
	return newProfileLabels(prefixNamespace, name, nil)
}

// serviceAccount returns the profile labels of a service account; one
// missing from the inventory has no labels but its name.
func (e *Engine) serviceAccount(namespace, name string) *profileLabels {
	if sa, ok := e.serviceAccounts[namespace+"/"+name]; ok {
		return sa
	}
	return newProfileLabels(prefixSA, name, nil)
}

// podEndpoint builds the workload endpoint of a pod, as Calico's
// Kubernetes conversion does: the labels inherited from its namespace and
// service account, then the pod's labels, then the special labels.
func (e *Engine) podEndpoint(p *Pod) *endpoint {
	ns := e.namespace(p.Namespace)
	saName := p.ServiceAccount
	if saName == "" {
		saName = defaultSA
	}
	sa := e.serviceAccount(p.Namespace, saName)
	all := make(selector.Map, len(ns.inherited)+len(sa.inherited)+len(p.Labels)+3)
	for k, v := range ns.inherited {
		all[k] = v
	}
	for k, v := range sa.inherited {
		all[k] = v
	}
	shadows := false
	for k, v := range p.Labels {
		all[k] = v
		shadows = shadows || strings.HasPrefix(k, prefixNamespace) || strings.HasPrefix(k, prefixSA)
	}
	all[labelNamespace] = p.Namespace
	all[labelOrchestrator] = orchestratorK8s
	all[labelServiceAccount] = saName
	name := "pod " + p.Namespace + "/" + p.Name
	if p.Name == "" {
		name = "a pod in " + p.Namespace + describeLabels(p.Labels)
	}
	ls := labelSet{all: all, ns: ns.view, sa: sa.view, own: p.Labels, name: name}
	if shadows {
		// A pod label overrides an inherited one: derive the views from
		// the merged labels, as Felix would see them.
		ls = newLabelSet(ls.name, nil, all, nil)
		ls.own = p.Labels
	}
	return &endpoint{
		labelSet: ls,
		kind:     kindPod,
		addrs:    p.IPs,
		ports:    p.Ports,
		profiles: []string{"kns." + p.Namespace, "ksa." + p.Namespace + "." + saName},
	}
}

// describeLabels writes labels as " with k=v, k2=v2", sorted, or "" when
// there are none: how a hypothetical pod is named in traces.
func describeLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + labels[k]
	}
	return " with " + strings.Join(parts, ", ")
}
