package policies

import (
	"fmt"
	"net/netip"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// Evaluate decides a flow: the source endpoint's egress policy, then the
// destination endpoint's ingress policy, each traced. An end that is not a
// Calico endpoint (an address outside the cluster) has no policy of its own;
// a flow between two such addresses is allowed, since no Calico policy
// applies to it.
func (e *Engine) Evaluate(f Flow) Result { return e.evaluate(f, true) }

// Allowed reports whether the flow is allowed, as Evaluate's verdict,
// without building traces.
func (e *Engine) Allowed(f Flow) bool { return e.evaluate(f, false).Verdict == Allow }

func (e *Engine) evaluate(f Flow, trace bool) Result {
	var notes []string
	note := func(format string, args ...any) {
		if trace {
			notes = append(notes, fmt.Sprintf(format, args...))
		}
	}
	srcEP := e.endpointOf(f.Source, "source", note)
	dstEP := e.endpointOf(f.Destination, "destination", note)
	srcAddrs, dstAddrs := peerAddrs(f.Source, srcEP), peerAddrs(f.Destination, dstEP)
	fam, ok := chooseFamily(f.Protocol, srcAddrs, dstAddrs)
	switch {
	case !ok:
		note("the two ends have no IP family in common (or none the protocol allows); evaluated as IPv%d", fam)
	case familiesOf(srcAddrs)&familiesOf(dstAddrs) != famBoth || f.Protocol == ProtoICMP || f.Protocol == ProtoICMPv6:
	case len(srcAddrs) == 0 && len(dstAddrs) == 0:
		note("neither end has an address to fix the IP family; evaluated as IPv4")
	default:
		note("the flow could be IPv4 or IPv6; evaluated as IPv4 (give an end's IP to choose)")
	}

	fc := flowCtx{flow: f, fam: fam, trace: trace}
	fc.src = side{ep: srcEP, addr: pickAddr(srcAddrs, fam), port: f.SourcePort}
	fc.dst = side{ep: dstEP, addr: pickAddr(dstAddrs, fam), port: f.Port}
	fc.src.sets = e.netsets.containing(fc.src.addr)
	fc.dst.sets = e.netsets.containing(fc.dst.addr)

	res := Result{Verdict: Allow, IPVersion: fam, SourceIP: fc.src.addr, DestinationIP: fc.dst.addr}
	if trace {
		res.SourceNetworkSets = e.netsets.refsOf(fc.src.addr)
		res.DestinationNetworkSets = e.netsets.refsOf(fc.dst.addr)
	}
	if srcEP != nil {
		res.Egress = e.direction(srcEP, Egress, &fc)
		if res.Egress.Verdict == Deny {
			res.Verdict = Deny
		}
		e.noteHostOnly(srcEP, Egress, note)
	}
	if dstEP != nil && (trace || res.Verdict == Allow) {
		res.Ingress = e.direction(dstEP, Ingress, &fc)
		if res.Ingress.Verdict == Deny {
			res.Verdict = Deny
		}
		e.noteHostOnly(dstEP, Ingress, note)
	}
	if srcEP == nil && dstEP == nil {
		note("neither end is a Calico endpoint: no policy applies")
	}
	res.Notes = notes
	return res
}

// endpointOf returns the Calico endpoint a peer is, or nil for an address
// outside the cluster.
func (e *Engine) endpointOf(p Peer, role string, note func(string, ...any)) *endpoint {
	switch {
	case p.Pod != nil:
		if ep, ok := e.podEndpoints[p.Pod]; ok {
			return ep
		}
		return e.podEndpoint(p.Pod)
	case p.HostEndpoint != "":
		if ep, ok := e.hosts[p.HostEndpoint]; ok {
			return ep
		}
		note("%s host endpoint %s is not among the objects: evaluated as a host endpoint with no labels, addresses or profiles", role, p.HostEndpoint)
		return &endpoint{labelSet: newLabelSet("host endpoint "+p.HostEndpoint, nil, nil, nil), kind: kindHost}
	}
	return nil
}

// peerAddrs returns the addresses a peer may use: the one given, or the
// endpoint's.
func peerAddrs(p Peer, ep *endpoint) []netip.Addr {
	if p.IP.IsValid() {
		return []netip.Addr{p.IP.Unmap()}
	}
	if ep != nil {
		return ep.addrs
	}
	return nil
}

// noteHostOnly mentions the preDNAT and doNotTrack policies that select a
// host endpoint, which the engine does not evaluate.
func (e *Engine) noteHostOnly(ep *endpoint, dir Direction, note func(string, ...any)) {
	if ep.kind != kindHost {
		return
	}
	for _, p := range e.hostOnly {
		if p.types[dirIndex(dir)] && p.selection.matches(&ep.labelSet) {
			note("%s %s (%s) selects %s for %s; %s policies are not evaluated by this engine", p.ref.Kind, p.ref.Name, p.hostOnly, ep.name, strings.ToLower(string(dir)), p.hostOnly)
		}
	}
}

// applicable returns the policies that select ep for dir, in evaluation
// order. The list of an endpoint the engine keeps (an inventory pod or a
// host endpoint) is computed once; others are looked up in the index for
// each flow.
func (e *Engine) applicable(ep *endpoint, dir Direction) []*policy {
	d := dirIndex(dir)
	if e.linear {
		var out []*policy
		for _, p := range e.policies {
			if p.types[d] && p.selection.matches(&ep.labelSet) {
				out = append(out, p)
			}
		}
		return out
	}
	if ep.cache == nil {
		return e.lookup(ep, d)
	}
	c := &ep.cache[d]
	c.once.Do(func() { c.policies = e.lookup(ep, d) })
	return c.policies
}

// lookup finds the policies that select ep for direction d through the
// index.
func (e *Engine) lookup(ep *endpoint, d int) []*policy {
	var buf [64]int32
	ids := e.index[d].candidates(ep.all, buf[:0])
	out := make([]*policy, 0, len(ids))
	for _, id := range ids {
		if p := e.policies[id]; p.selection.matches(&ep.labelSet) {
			out = append(out, p)
		}
	}
	return out
}

// direction evaluates one endpoint's policy for one direction of a flow:
// tiers in order, each applicable only if one of its policies selects the
// endpoint for the direction; then profiles.
func (e *Engine) direction(ep *endpoint, dir Direction, fc *flowCtx) *DirectionResult {
	d := dirIndex(dir)
	dr := &DirectionResult{Direction: dir, Endpoint: ep.name, Tiers: []TierTrace{}, Profiles: []ProfileTrace{}}
	pols := e.applicable(ep, dir)
	for i := 0; i < len(pols); {
		t := pols[i].tier
		j := i + 1
		for j < len(pols) && pols[j].tier == t {
			j++
		}
		tt := TierTrace{Name: t.name, Order: t.order, DefaultAction: t.defaultAction(), Invalid: t.invalid}
		var a traceArena
		if fc.trace {
			a = newTraceArena(pols[i:j], d)
			tt.Policies = a.policies
		}
		decided := e.tier(pols[i:j], d, fc, &tt, &a, dr)
		if fc.trace {
			dr.Tiers = append(dr.Tiers, tt)
		}
		if decided {
			return dr
		}
		i = j
	}
	e.profiles(ep, fc.trace, dr)
	return dr
}

// traceArena holds the traces of one tier in two allocations: the rule
// traces of every policy are carved out of one slice.
type traceArena struct {
	policies []PolicyTrace
	rules    []RuleTrace
}

func newTraceArena(pols []*policy, d int) traceArena {
	rules := 0
	for _, p := range pols {
		rules += len(p.rules[d])
	}
	return traceArena{policies: make([]PolicyTrace, 0, len(pols)), rules: make([]RuleTrace, rules)}
}

// takeRules returns an empty slice with room for n rule traces.
func (a *traceArena) takeRules(n int) []RuleTrace {
	r := a.rules[:0:n]
	a.rules = a.rules[n:]
	return r
}

// tier evaluates the policies of one applicable tier. It reports whether
// the tier decided (Allow or Deny), filling dr's verdict and decision; false
// means evaluation goes on to the next tier (a Pass, or a Pass default).
func (e *Engine) tier(pols []*policy, d int, fc *flowCtx, tt *TierTrace, a *traceArena, dr *DirectionResult) bool {
	t := pols[0].tier
	for _, p := range pols {
		var pt PolicyTrace
		if fc.trace {
			pt = PolicyTrace{PolicyRef: p.ref, Order: p.order, Rules: a.takeRules(len(p.rules[d])), Outcome: PolicyNoMatch}
		}
		action, r := evalRules(p.rules[d], fc, &pt)
		if fc.trace {
			if action != "" {
				pt.Outcome = PolicyOutcome(action)
			}
			tt.Policies = append(tt.Policies, pt)
		}
		switch action {
		case v3.Allow, v3.Deny:
			tt.Outcome = TierOutcome(action)
			dr.Verdict = Verdict(action)
			ref := p.ref
			idx := r.index
			dr.Decision = Decision{
				Kind: DecisionRule, Verdict: dr.Verdict, Tier: t.name, Policy: &ref, Rule: &idx, Field: r.field,
			}
			if fc.trace {
				dr.Decision.Summary = fmt.Sprintf("%s by rule %d (%s) of %s, in tier %s", action, r.index, r.field, describePolicy(&p.ref), t.name)
			}
			return true
		case v3.Pass:
			tt.Outcome = TierPass
			return false
		}
	}
	if t.defaultPass {
		tt.Outcome = TierEndPass
		return false
	}
	tt.Outcome = TierEndDeny
	dr.Verdict = Deny
	dr.Decision = Decision{Kind: DecisionTierDefault, Verdict: Deny, Tier: t.name}
	if fc.trace {
		why := "its policies select the endpoint, but none of their rules matched"
		if t.invalid {
			why = "the tier does not exist, and Calico denies traffic its policies do not allow"
		}
		dr.Decision.Summary = fmt.Sprintf("Deny at the end of tier %s: %s", t.name, why)
	}
	return true
}

// evalRules runs a policy's rules of one direction in order. It returns
// the action of the rule that ended the policy (Allow, Deny or Pass) and that
// rule, or "" when no rule did: a matched Log rule does not end it.
func evalRules(rules []*rule, fc *flowCtx, pt *PolicyTrace) (v3.Action, *rule) {
	for _, r := range rules {
		ok, why := r.match(fc)
		if fc.trace {
			pt.Rules = append(pt.Rules, RuleTrace{
				Index: r.index, Action: string(r.action), Matched: ok, Reason: why, Field: r.field, PortField: r.portField,
			})
		}
		if ok && r.action != v3.Log {
			return r.action, r
		}
	}
	return "", nil
}

// Profiles Calico gives endpoints.
const profileDefaultAllow = "projectcalico-default-allow"

// profiles runs the endpoint's profiles, after every tier: the first that
// allows accepts; if none does, the endpoint's default is deny.
func (e *Engine) profiles(ep *endpoint, trace bool, dr *DirectionResult) {
	for _, name := range ep.profiles {
		allowed, why := e.profile(ep, name)
		if trace {
			dr.Profiles = append(dr.Profiles, ProfileTrace{Name: name, Allowed: allowed, Reason: why})
		}
		if allowed {
			dr.Verdict = Allow
			dr.Decision = Decision{Kind: DecisionProfile, Verdict: Allow, Profile: name}
			if trace {
				lead := "no policy decided"
				if len(dr.Tiers) == 0 {
					lead = "no policy applies"
				}
				dr.Decision.Summary = fmt.Sprintf("Allow by profile %s: %s", name, lead)
			}
			return
		}
	}
	dr.Verdict = Deny
	dr.Decision = Decision{Kind: DecisionNoProfile, Verdict: Deny}
	if trace {
		if len(ep.profiles) == 0 {
			dr.Decision.Summary = "Deny: no profile: default deny (the endpoint has no profiles and no policy decided)"
		} else {
			dr.Decision.Summary = "Deny: no profile allows the traffic: default deny"
		}
	}
}

// profile reports whether a profile allows all traffic, and why. Offline,
// the engine knows the profiles Calico generates: kns.<namespace> allows
// all, ksa.<namespace>.<name> has no rules, and projectcalico-default-allow
// allows all. Other profiles are not among the objects tabby reads, so they
// allow nothing.
func (e *Engine) profile(ep *endpoint, name string) (bool, string) {
	switch {
	case name == profileDefaultAllow:
		return true, "the default-allow profile allows all traffic"
	case strings.HasPrefix(name, "kns."):
		if _, known := e.namespaces[strings.TrimPrefix(name, "kns.")]; known || ep.kind == kindPod {
			return true, "the namespace profile allows all traffic"
		}
		return false, "no such namespace in the inventory, so no such profile: it allows nothing"
	case strings.HasPrefix(name, "ksa."):
		return false, "service-account profiles have no rules"
	}
	return false, "profile " + name + " is not known offline: it allows nothing"
}

func describePolicy(r *PolicyRef) string {
	if r.Namespace != "" {
		return r.Kind + " " + r.Namespace + "/" + r.Name
	}
	return r.Kind + " " + r.Name
}
