package plan

import (
	"fmt"
	"strconv"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
	"github.com/tabbynet/tabby/validate"
)

// maxFlows bounds the flows a report lists; all are counted.
const maxFlows = 200

// policyKinds are the kinds whose change can change a flow's verdict.
var policyKinds = map[string]bool{
	"Tier": true, "NetworkPolicy": true, "GlobalNetworkPolicy": true, "NetworkSet": true,
	"GlobalNetworkSet": true, "HostEndpoint": true, "Namespace": true, "Inventory": true,
}

// policy reports the ConnectivityTests before and after, and the flows
// between the inventory's endpoints whose verdict changes.
func (b *builder) policy() {
	b.r.Policy.Tests = b.tests()
	if !b.policyChanged() {
		return
	}
	workloads := b.workloads()
	baseE := policies.New(withObjects(workloads, b.base.Objects))
	headE := policies.New(withObjects(workloads, b.head.Objects))
	b.r.Policy.Problems = newStrings(baseE.Problems(), headE.Problems())
	var denied, allowed []FlowChange
	pods := headE.Pods()
	for i := range pods {
		for j := range pods {
			if i == j {
				continue
			}
			for _, port := range pods[j].Ports {
				flow := policies.Flow{Source: policies.Peer{Pod: &pods[i]}, Destination: policies.Peer{Pod: &pods[j]}, Protocol: port.Protocol, Port: port.Port}
				b.r.Policy.Evaluated++
				was, is := baseE.Allowed(flow), headE.Allowed(flow)
				if was == is {
					continue
				}
				b.r.Summary.FlowsChanged++
				if len(b.r.Policy.Flows) >= maxFlows {
					continue
				}
				fc := b.flowChange(flow, baseE.Evaluate(flow), headE.Evaluate(flow))
				b.r.Policy.Flows = append(b.r.Policy.Flows, fc)
				if is {
					allowed = append(allowed, fc)
				} else {
					denied = append(denied, fc)
				}
			}
		}
	}
	b.flowRisk(LevelHigh, "flows-denied", "stops", "allowed", denied)
	b.flowRisk(LevelMedium, "flows-allowed", "allows", "denied", allowed)
}

// policyChanged reports whether an object that policy evaluation reads
// changed, review-only ones (an Inventory) included.
func (b *builder) policyChanged() bool {
	for _, changes := range [][]ObjectChange{b.r.Objects, b.r.ReviewOnly} {
		for _, c := range changes {
			if policyKinds[c.Kind] {
				return true
			}
		}
	}
	return false
}

// workloads are the namespaces, service accounts and pods flows are
// evaluated between: the inventories' and the cluster's.
func (b *builder) workloads() policies.Input {
	w := b.in.Workloads
	w.Objects = nil
	for _, inv := range b.inventories() {
		x := policies.FromInventory(inv)
		w.Namespaces = append(w.Namespaces, x.Namespaces...)
		w.ServiceAccounts = append(w.ServiceAccounts, x.ServiceAccounts...)
		w.Pods = append(w.Pods, x.Pods...)
	}
	return w
}

func withObjects(w policies.Input, objs []*manifest.Object) policies.Input {
	w.Objects = objs
	return w
}

// flowChange describes a flow whose verdict changes, with what decides it
// in each revision.
func (b *builder) flowChange(f policies.Flow, before, after policies.Result) FlowChange {
	fc := FlowChange{
		From: podName(f.Source.Pod), To: podName(f.Destination.Pod),
		Protocol: protocolName(f.Protocol), Port: f.Port,
		Before: before.Verdict, After: after.Verdict,
	}
	d, obj := deciding(after)
	fc.Decision = d.Summary
	if obj != nil {
		fc.Position = b.head.Locate(obj, d.Field)
	}
	bd, _ := deciding(before)
	fc.BeforeDecision = bd.Summary
	return fc
}

// deciding returns the decision that gave a result its verdict: the first
// direction that denies, or, when the flow is allowed, the ingress side
// (the egress side when there is no ingress).
func deciding(res policies.Result) (policies.Decision, *manifest.Object) {
	dirs := []*policies.DirectionResult{res.Egress, res.Ingress}
	var pick *policies.DirectionResult
	for _, d := range dirs {
		if d != nil && d.Verdict != policies.Allow {
			pick = d
			break
		}
	}
	if pick == nil {
		pick = res.Ingress
		if pick == nil {
			pick = res.Egress
		}
	}
	if pick == nil {
		return policies.Decision{Summary: "no Calico endpoint at either end"}, nil
	}
	var obj *manifest.Object
	if pick.Decision.Policy != nil {
		obj = pick.Decision.Policy.Object
	}
	return pick.Decision, obj
}

// flowRisk records one risk for the flows whose verdict changed one way.
func (b *builder) flowRisk(level Level, rule, verb, was string, flows []FlowChange) {
	if len(flows) == 0 {
		return
	}
	first := flows[0]
	reason := fmt.Sprintf("%s %s that %s %s, e.g. %s → %s %s/%d: %s", verb, plural(len(flows), "flow"), pick(len(flows), "was", "were"), was,
		first.From, first.To, first.Protocol, first.Port, first.Decision)
	// Placed at the first policy that decides one of them.
	var pos manifest.Position
	for _, f := range flows {
		if f.Position.File != "" {
			pos = f.Position
			break
		}
	}
	b.risk(level, rule, "flows", reason, pos)
}

// pick picks the singular or plural form for n.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tests lists the ConnectivityTest cases of both revisions with their
// results, read from the validation findings.
func (b *builder) tests() []TestCase {
	failed := func(fs validate.Findings) map[string]validate.Finding {
		m := map[string]validate.Finding{}
		for _, f := range fs {
			if f.Code == "connectivity-test-failed" {
				m[f.Object+"\x00"+f.Field] = f
			}
		}
		return m
	}
	baseFailed, headFailed := failed(b.baseF), failed(b.headF)
	cases := map[string]*TestCase{}
	var order []string
	collect := func(objs []*manifest.Object, fails map[string]validate.Finding, head bool) {
		for _, o := range objs {
			ct, ok := o.Object.(*v1alpha1.ConnectivityTest)
			if !ok {
				continue
			}
			for i, c := range ct.Spec.Cases {
				key := o.ID() + "\x00" + c.Name
				tc := cases[key]
				if tc == nil {
					tc = &TestCase{Test: qualified(ct.Namespace, ct.Name), Case: c.Name, Expect: string(c.Expect), Before: "absent", After: "absent"}
					cases[key] = tc
					order = append(order, key)
				}
				f, fail := fails[o.ID()+"\x00spec.cases["+strconv.Itoa(i)+"]"]
				status := "pass"
				if fail {
					status = "fail"
				}
				if head {
					tc.After, tc.Expect = status, string(c.Expect)
					if fail {
						tc.Message, tc.Trace, tc.Position = f.Message, f.Trace, f.Position
					}
				} else {
					tc.Before = status
				}
			}
		}
	}
	collect(b.base.Objects, baseFailed, false)
	collect(b.head.Objects, headFailed, true)
	out := make([]TestCase, 0, len(order))
	for _, k := range order {
		out = append(out, *cases[k])
	}
	return out
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func podName(p *policies.Pod) string {
	if p == nil {
		return "?"
	}
	return qualified(p.Namespace, p.Name)
}

func protocolName(p uint8) string {
	switch p {
	case policies.ProtoTCP:
		return "TCP"
	case policies.ProtoUDP:
		return "UDP"
	case policies.ProtoSCTP:
		return "SCTP"
	case policies.ProtoICMP:
		return "ICMP"
	case policies.ProtoICMPv6:
		return "ICMPv6"
	}
	return strconv.Itoa(int(p))
}
