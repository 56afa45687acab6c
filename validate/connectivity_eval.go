package validate

import (
	"fmt"
	"net/netip"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
)

var codeConnectivityFailed = define(Code{
	ID: "connectivity-test-failed", Severity: SeverityError,
	Title: "the policies give a ConnectivityTest case another verdict than it expects",
	Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-api
spec:
  selector: app == "api"
  ingress:
  - action: Deny
---
apiVersion: tabby.dev/v1alpha1
kind: ConnectivityTest
metadata:
  name: shop
spec:
  cases:
  - name: frontend-to-api
    from: {namespace: frontend, labels: {app: frontend}}
    to: {namespace: api, labels: {app: api}}
    port: 80
    expect: Allow
`,
})

func init() {
	crossChecks = append(crossChecks, checkConnectivityTests)
}

// checkConnectivityTests evaluates every case of the ConnectivityTests being
// validated with the policy engine, over the policies and inventories the
// validation knows, and reports each case whose verdict differs from what
// it expects, with the trace that decided it.
func checkConnectivityTests(v *validation) {
	tests := v.mineOf("ConnectivityTest", v1alpha1.GroupName)
	if len(tests) == 0 {
		return
	}
	engine := policies.New(v.policyInput())
	for _, o := range tests {
		for i, c := range o.Object.(*v1alpha1.ConnectivityTest).Spec.Cases {
			flow, ok := caseFlow(c)
			if !ok {
				continue // malformed; connectivity-test-invalid says why
			}
			res := engine.Evaluate(flow)
			if string(res.Verdict) == string(c.Expect) {
				continue
			}
			field := fieldPath("spec.cases", i)
			msg := fmt.Sprintf("case %s expects %s, but the policies give %s: %s", c.Name, c.Expect, res.Verdict, summary(res))
			v.addTrace(codeConnectivityFailed, o, field, msg, v.decisionsRelated(res), policies.TraceLines(res, v.locator()))
		}
	}
}

// caseFlow turns a ConnectivityTest case into a flow.
func caseFlow(c v1alpha1.ConnectivityCase) (policies.Flow, bool) {
	src, ok1 := casePeer(c.From)
	dst, ok2 := casePeer(c.To)
	if !ok1 || !ok2 {
		return policies.Flow{}, false
	}
	f := policies.Flow{Source: src, Destination: dst, Protocol: policies.ProtoTCP}
	if c.Protocol != nil {
		n, ok := c.Protocol.NumberOf()
		if !ok {
			return f, false
		}
		f.Protocol = n
	}
	if c.Port != nil {
		if *c.Port < 1 || *c.Port > 65535 {
			return f, false
		}
		f.Port = uint16(*c.Port)
	}
	return f, true
}

// casePeer turns one end of a case into a peer: a hypothetical pod with the
// namespace and labels given, or an address outside the cluster.
func casePeer(p v1alpha1.ConnectivityPeer) (policies.Peer, bool) {
	var ip netip.Addr
	if p.IP != "" {
		a, err := netip.ParseAddr(p.IP)
		if err != nil {
			return policies.Peer{}, false
		}
		ip = a
	}
	if p.Namespace == "" {
		return policies.Peer{IP: ip}, ip.IsValid()
	}
	pod := &policies.Pod{Namespace: p.Namespace, Labels: p.Labels, ServiceAccount: p.ServiceAccount}
	if ip.IsValid() {
		pod.IPs = []netip.Addr{ip}
	}
	return policies.Peer{Pod: pod}, true
}

// summary says in a sentence what decided each direction that denied, or,
// for an unexpected Allow, what allowed.
func summary(res policies.Result) string {
	var parts []string
	for _, d := range []*policies.DirectionResult{res.Egress, res.Ingress} {
		if d != nil && (res.Verdict == policies.Allow || d.Verdict == policies.Deny) {
			parts = append(parts, fmt.Sprintf("%s of %s: %s", d.Direction, d.Endpoint, d.Decision.Summary))
		}
	}
	if len(parts) == 0 {
		return "no endpoint policy applies"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += "; " + p
	}
	return out
}

// decisionsRelated points at the rules that decided the flow: those that
// denied it, or, when it was allowed, those that allowed it.
func (v *validation) decisionsRelated(res policies.Result) []Related {
	var out []Related
	for _, d := range []*policies.DirectionResult{res.Egress, res.Ingress} {
		if d == nil || d.Verdict != res.Verdict || d.Decision.Policy == nil || d.Decision.Policy.Object == nil {
			continue
		}
		out = append(out, v.related(d.Decision.Policy.Object, d.Decision.Field, "%s of %s: %s", d.Direction, d.Endpoint, d.Decision.Summary))
	}
	return out
}

// locator returns the function the trace uses to place rules in files.
func (v *validation) locator() func(*manifest.Object, string) manifest.Position {
	return func(o *manifest.Object, field string) manifest.Position { return v.position(o, field) }
}

// policyInput is what the policy engine models: every object of the
// validation, and the namespaces, service accounts and pods of every
// Inventory among them.
func (v *validation) policyInput() policies.Input {
	var in policies.Input
	for _, objs := range v.world.byKind {
		in.Objects = append(in.Objects, objs...)
	}
	for _, o := range v.world.byKind["Inventory."+v1alpha1.GroupName] {
		inv := policies.FromInventory(o.Object.(*v1alpha1.Inventory))
		in.Namespaces = append(in.Namespaces, inv.Namespaces...)
		in.ServiceAccounts = append(in.ServiceAccounts, inv.ServiceAccounts...)
		in.Pods = append(in.Pods, inv.Pods...)
	}
	return in
}

// mineOf returns the objects of a kind of a group that are being validated.
func (v *validation) mineOf(kind, group string) []*manifest.Object {
	var out []*manifest.Object
	for _, o := range v.world.byKind[kind+"."+group] {
		if v.world.isMine(o) {
			out = append(out, o)
		}
	}
	return out
}
