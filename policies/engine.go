package policies

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	networkingv1 "k8s.io/api/networking/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// Engine evaluates flows against a set of policies and an inventory. It is
// immutable once built, so any number of goroutines may use it at once.
type Engine struct {
	tiers    []*tier
	policies []*policy // in evaluation order; a policy's id is its position
	index    [2]policyIndex
	// hostOnly are the preDNAT and doNotTrack policies, which the engine
	// does not evaluate but mentions when they select an endpoint.
	hostOnly []*policy
	// linear disables the index (benchmarks measure the scan it saves).
	linear bool

	namespaces      map[string]*profileLabels
	serviceAccounts map[string]*profileLabels // by "namespace/name"
	pods            []Pod                     // sorted by namespace/name
	podIndex        map[string]int
	// podEndpoints are the endpoints of the inventory's pods, by the
	// pointers Pod returns, so that evaluating their flows does not rebuild
	// them.
	podEndpoints map[*Pod]*endpoint
	hosts        map[string]*endpoint
	hostNames    []string
	netsets      netsetIndex
	problems     []string
}

// compiler holds the state of New.
type compiler struct {
	e        *Engine
	tiers    map[string]*tier
	policies []*policy
	sets     []pendingSet
}

// New builds an engine. It never fails: an object the engine cannot use as
// written (a selector that does not parse, a malformed CIDR, an unknown
// protocol) is kept but matches nothing, and is listed in Problems. The
// result does not depend on the order of the inputs.
func New(in Input) *Engine {
	e := &Engine{
		namespaces:      map[string]*profileLabels{},
		serviceAccounts: map[string]*profileLabels{},
		podIndex:        map[string]int{},
		hosts:           map[string]*endpoint{},
	}
	c := &compiler{e: e, tiers: builtinTiers()}
	e.inventory(in)

	objs := slices.Clone(in.Objects)
	slices.SortStableFunc(objs, compareObjects)
	// Tiers first, so that policies find them whatever the input order.
	for _, o := range objs {
		if t, ok := o.Object.(*v3.Tier); ok {
			c.addTier(o, t)
		}
	}
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *v3.NetworkPolicy:
			c.networkPolicy(o, obj)
		case *v3.GlobalNetworkPolicy:
			c.globalNetworkPolicy(o, obj)
		case *networkingv1.NetworkPolicy:
			c.kubernetesPolicy(o, obj)
		case *v3.NetworkSet:
			c.networkSet(o, obj)
		case *v3.GlobalNetworkSet:
			c.globalNetworkSet(o, obj)
		case *v3.HostEndpoint:
			c.hostEndpoint(o, obj)
		}
	}

	e.tiers = sortedTiers(c.tiers)
	sortPolicies(c.policies, e.tiers)
	for _, p := range c.policies {
		if p.hostOnly != "" {
			e.hostOnly = append(e.hostOnly, p)
			continue
		}
		p.id = int32(len(e.policies))
		e.policies = append(e.policies, p)
	}
	e.netsets = buildNetsetIndex(c.sets)
	slices.Sort(e.hostNames)

	// The inventory's endpoints are built once; their label counts guide
	// the index.
	var sets []*labelSet
	e.podEndpoints = make(map[*Pod]*endpoint, len(e.pods))
	for i := range e.pods {
		ep := e.podEndpoint(&e.pods[i])
		ep.cache = new([2]policyCache)
		ep.precompute()
		e.podEndpoints[&e.pods[i]] = ep
		sets = append(sets, &ep.labelSet)
	}
	for _, name := range e.hostNames {
		e.hosts[name].cache = new([2]policyCache)
		e.hosts[name].precompute()
		sets = append(sets, &e.hosts[name].labelSet)
	}
	stats := newLabelStats(sets)
	for d := range e.index {
		e.index[d] = newPolicyIndex()
	}
	for _, p := range e.policies {
		for d := range e.index {
			if p.types[d] {
				e.index[d].add(p, &stats)
			}
		}
	}
	return e
}

// compareObjects orders objects by kind, namespace, name and source, so
// that the engine sees them in the same order however they were given.
func compareObjects(a, b *manifest.Object) int {
	if c := cmp.Compare(a.Kind.Group, b.Kind.Group); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind.Kind, b.Kind.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Object.GetNamespace(), b.Object.GetNamespace()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Object.GetName(), b.Object.GetName()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Source.File, b.Source.File); c != 0 {
		return c
	}
	return cmp.Compare(a.Source.Line, b.Source.Line)
}

// inventory records namespaces, service accounts and pods, copied so that
// the caller's later changes do not reach the engine.
func (e *Engine) inventory(in Input) {
	nss := slices.Clone(in.Namespaces)
	slices.SortStableFunc(nss, func(a, b Namespace) int { return cmp.Compare(a.Name, b.Name) })
	for _, ns := range nss {
		if _, dup := e.namespaces[ns.Name]; dup {
			e.problems = append(e.problems, fmt.Sprintf("inventory: namespace %s is listed twice; the first is used", ns.Name))
			continue
		}
		e.namespaces[ns.Name] = newProfileLabels(prefixNamespace, ns.Name, ns.Labels)
	}
	sas := slices.Clone(in.ServiceAccounts)
	slices.SortStableFunc(sas, func(a, b ServiceAccount) int {
		return cmp.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	for _, sa := range sas {
		key := sa.Namespace + "/" + sa.Name
		if _, dup := e.serviceAccounts[key]; dup {
			e.problems = append(e.problems, fmt.Sprintf("inventory: service account %s is listed twice; the first is used", key))
			continue
		}
		e.serviceAccounts[key] = newProfileLabels(prefixSA, sa.Name, sa.Labels)
	}
	pods := make([]Pod, 0, len(in.Pods))
	for _, p := range in.Pods {
		p.Labels = copyMap(p.Labels)
		p.IPs = slices.Clone(p.IPs)
		p.Ports = slices.Clone(p.Ports)
		pods = append(pods, p)
	}
	slices.SortStableFunc(pods, func(a, b Pod) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	for _, p := range pods {
		key := p.Namespace + "/" + p.Name
		if _, dup := e.podIndex[key]; dup {
			e.problems = append(e.problems, fmt.Sprintf("inventory: pod %s is listed twice; the first is used", key))
			continue
		}
		e.podIndex[key] = len(e.pods)
		e.pods = append(e.pods, p)
	}
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *compiler) namespace(name string) *profileLabels { return c.e.namespace(name) }

// hostEndpoint records a HostEndpoint: its labels, expected IPs (the
// addresses selectors resolve to), named ports and profiles.
func (c *compiler) hostEndpoint(o *manifest.Object, h *v3.HostEndpoint) {
	if _, dup := c.e.hosts[h.Name]; dup {
		c.problem(o, "metadata.name", "host endpoint %s is declared twice; the first is used", h.Name)
		return
	}
	ep := &endpoint{
		labelSet: newLabelSet("host endpoint "+h.Name, nil, copyMap(h.Labels), nil),
		kind:     kindHost,
		profiles: slices.Clone(h.Spec.Profiles),
	}
	for i, s := range h.Spec.ExpectedIPs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			c.problem(o, "spec.expectedIPs["+itoa(i)+"]", "%q is not an IP address; skipped", s)
			continue
		}
		ep.addrs = append(ep.addrs, a.Unmap())
	}
	for i, p := range h.Spec.Ports {
		n, ok := p.Protocol.NumberOf()
		if !ok {
			c.problem(o, "spec.ports["+itoa(i)+"].protocol", "%q is not a protocol Calico knows; the port is skipped", p.Protocol.String())
			continue
		}
		ep.ports = append(ep.ports, NamedPort{Name: p.Name, Protocol: n, Port: p.Port})
	}
	c.e.hosts[h.Name] = ep
	c.e.hostNames = append(c.e.hostNames, h.Name)
}

// problem records something wrong with an object.
func (c *compiler) problem(o *manifest.Object, field, format string, args ...any) {
	id := o.Object.GetName()
	if ns := o.Object.GetNamespace(); ns != "" {
		id = ns + "/" + id
	}
	msg := fmt.Sprintf(format, args...)
	c.e.problems = append(c.e.problems, fmt.Sprintf("%s: %s %s: %s: %s", o.Source, o.Kind.Kind, id, field, msg))
}

// Problems lists what the engine could not use as written, one sentence
// each, prefixed with file:line where there is one: selectors that do not
// parse (the policy or rule then matches nothing), malformed nets, unknown
// protocols, duplicate inventory entries.
func (e *Engine) Problems() []string { return slices.Clone(e.problems) }

// Pod returns the inventory pod namespace/name. The pointer is the engine's
// own copy, which Evaluate recognises (it keeps the pod's endpoint and the
// policies selecting it): read it, pass it in a Peer, do not modify it. To
// evaluate a changed pod, copy it first.
func (e *Engine) Pod(namespace, name string) (*Pod, bool) {
	i, ok := e.podIndex[namespace+"/"+name]
	if !ok {
		return nil, false
	}
	return &e.pods[i], true
}

// Pods returns the inventory's pods, sorted by namespace and name.
func (e *Engine) Pods() []Pod { return slices.Clone(e.pods) }

// HostEndpoints returns the names of the host endpoints among the objects,
// sorted.
func (e *Engine) HostEndpoints() []string { return slices.Clone(e.hostNames) }

func itoa(i int) string { return strconv.Itoa(i) }
