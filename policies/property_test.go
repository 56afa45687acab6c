package policies

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// propertySpec is a cluster small enough to rebuild engines freely and
// varied enough to reach every kind of decision.
var propertySpec = genSpec{
	namespaces: 6, apps: 8, replicas: 2, tiers: 4,
	globalPolicies: 60, policies: 120, k8sPolicies: 20, networkSets: 12, hostEndpoints: 4, seed: 7,
}

func resultJSON(t testing.TB, r Result) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal result: %v", err)
	}
	return string(b)
}

// TestVerdictMix guards the generator: properties proven over flows that
// all end the same way would prove little.
func TestVerdictMix(t *testing.T) {
	g := generate(propertySpec)
	e := g.engine(t)
	kinds := map[DecisionKind]int{}
	verdicts := map[Verdict]int{}
	for _, f := range g.flows(e, 2000, 1) {
		res := e.Evaluate(f)
		verdicts[res.Verdict]++
		for _, d := range []*DirectionResult{res.Egress, res.Ingress} {
			if d != nil {
				kinds[d.Decision.Kind]++
			}
		}
	}
	t.Logf("verdicts %v, decisions %v", verdicts, kinds)
	for _, k := range []DecisionKind{DecisionRule, DecisionTierDefault, DecisionProfile, DecisionNoProfile} {
		if kinds[k] == 0 {
			t.Errorf("no direction decided by %s", k)
		}
	}
	if verdicts[Allow] < 100 || verdicts[Deny] < 100 {
		t.Errorf("verdicts %v: want at least 100 of each", verdicts)
	}
}

// TestIndexMatchesLinearScan: the index is an optimisation only.
func TestIndexMatchesLinearScan(t *testing.T) {
	g := generate(propertySpec)
	e := g.engine(t)
	linear := *e
	linear.linear = true
	for i, f := range g.flows(e, 2000, 2) {
		if a, b := resultJSON(t, e.Evaluate(f)), resultJSON(t, linear.Evaluate(f)); a != b {
			t.Fatalf("flow %d: indexed and linear evaluation differ\nindexed: %s\nlinear:  %s", i, a, b)
		}
	}
}

// TestAllowedMatchesEvaluate: the untraced path decides as the traced one.
func TestAllowedMatchesEvaluate(t *testing.T) {
	g := generate(propertySpec)
	e := g.engine(t)
	for i, f := range g.flows(e, 2000, 3) {
		if got, want := e.Allowed(f), e.Evaluate(f).Verdict == Allow; got != want {
			t.Fatalf("flow %d: Allowed = %v, Evaluate says %v", i, got, want)
		}
	}
}

// TestInputOrderIndependence: shuffling every slice of the Input changes no
// result.
func TestInputOrderIndependence(t *testing.T) {
	g := generate(propertySpec)
	in := g.input
	in.Objects = g.render(t)
	e := New(in)
	flows := g.flows(e, 1000, 4)
	want := make([]string, len(flows))
	for i, f := range flows {
		want[i] = resultJSON(t, e.Evaluate(f))
	}
	for seed := uint64(0); seed < 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		shuffled := Input{
			Objects:         slices.Clone(in.Objects),
			Namespaces:      slices.Clone(in.Namespaces),
			ServiceAccounts: slices.Clone(in.ServiceAccounts),
			Pods:            slices.Clone(in.Pods),
		}
		r.Shuffle(len(shuffled.Objects), func(i, j int) { shuffled.Objects[i], shuffled.Objects[j] = shuffled.Objects[j], shuffled.Objects[i] })
		r.Shuffle(len(shuffled.Namespaces), func(i, j int) {
			shuffled.Namespaces[i], shuffled.Namespaces[j] = shuffled.Namespaces[j], shuffled.Namespaces[i]
		})
		r.Shuffle(len(shuffled.Pods), func(i, j int) { shuffled.Pods[i], shuffled.Pods[j] = shuffled.Pods[j], shuffled.Pods[i] })
		e2 := New(shuffled)
		for i, f := range flows {
			// Flows carry the first engine's pods; look them up in the
			// second so that both evaluate the same inventory entry.
			f.Source, f.Destination = rebind(e2, f.Source), rebind(e2, f.Destination)
			if got := resultJSON(t, e2.Evaluate(f)); got != want[i] {
				t.Fatalf("seed %d, flow %d: result depends on input order\nwant %s\ngot  %s", seed, i, want[i], got)
			}
		}
	}
}

func rebind(e *Engine, p Peer) Peer {
	if p.Pod != nil {
		p.Pod, _ = e.Pod(p.Pod.Namespace, p.Pod.Name)
	}
	return p
}

// TestPolicySelectingNothingChangesNothing: policies that select no
// endpoint, in any tier (even one that does not exist), have no effect.
func TestPolicySelectingNothingChangesNothing(t *testing.T) {
	g := generate(propertySpec)
	e := g.engine(t)
	extra := *g
	extra.manifests = slices.Clone(g.manifests)
	for i, tier := range []string{"default", "tier-0", "tier-3", "kube-admin", "no-such-tier"} {
		extra.add(gnp(fmt.Sprintf("nothing-%d", i), "tier: "+tier+"\norder: -1\nselector: app == 'no-such-app'\ntypes: [Ingress, Egress]\ningress:\n- action: Deny\negress:\n- action: Deny\n"))
		extra.add(cnp("ns-01", fmt.Sprintf("nothing-%d", i), "tier: "+tier+"\norder: -1\nselector: has(no-such-label)\ntypes: [Ingress, Egress]\ningress:\n- action: Allow\negress:\n- action: Pass\n"))
	}
	extra.add(knp("ns-02", "nothing", "podSelector:\n  matchLabels: {app: no-such-app}\npolicyTypes: [Ingress, Egress]\n"))
	e2 := extra.engine(t)
	for i, f := range g.flows(e, 2000, 5) {
		f2 := f
		f2.Source, f2.Destination = rebind(e2, f.Source), rebind(e2, f.Destination)
		if a, b := e.Evaluate(f).Verdict, e2.Evaluate(f2).Verdict; a != b {
			t.Fatalf("flow %d: verdict %s became %s after adding policies that select nothing", i, a, b)
		}
	}
}

// TestExactDenyNeverAllows: adding, in a tier that applies to a flow's
// destination, a Deny policy ordered before the others whose rule matches
// exactly that flow never turns a Deny into an Allow; and when evaluation
// reached that tier, it now denies there.
func TestExactDenyNeverAllows(t *testing.T) {
	g := generate(propertySpec)
	base := g.input
	base.Objects = g.render(t)
	e := New(base)

	type probe struct {
		flow   Flow
		tier   string
		before Result
	}
	var probes []probe
	var manifests []string
	for _, f := range g.flows(e, 3000, 6) {
		if f.Destination.Pod == nil || len(probes) == 60 {
			continue
		}
		before := e.Evaluate(f)
		if len(before.Ingress.Tiers) == 0 {
			continue
		}
		tier := before.Ingress.Tiers[len(probes)%len(before.Ingress.Tiers)].Name
		src := before.SourceIP
		if !src.IsValid() {
			continue
		}
		dst := f.Destination.Pod
		rule := fmt.Sprintf("- action: Deny\n  protocol: %d\n  source:\n    nets: [%s]\n", f.Protocol, netip.PrefixFrom(src, src.BitLen()))
		if f.Port != 0 {
			rule += fmt.Sprintf("  destination:\n    ports: [%d]\n", f.Port)
		}
		manifests = append(manifests, gnp(fmt.Sprintf("exact-deny-%d", len(probes)),
			"tier: "+tier+"\norder: -1000000\nselector: projectcalico.org/namespace == '"+dst.Namespace+"' && app == '"+dst.Labels["app"]+"'\ntypes: [Ingress]\ningress:\n"+rule))
		probes = append(probes, probe{flow: f, tier: tier, before: before})
	}
	if len(probes) < 30 {
		t.Fatalf("only %d probes", len(probes))
	}
	extra := renderManifests(t, manifests...)
	byName := map[string]*manifest.Object{}
	for _, o := range extra {
		byName[o.Object.GetName()] = o
	}
	for i, p := range probes {
		in := base
		in.Objects = append(slices.Clone(base.Objects), byName[fmt.Sprintf("exact-deny-%d", i)])
		e2 := New(in)
		f := p.flow
		f.Source, f.Destination = rebind(e2, f.Source), rebind(e2, f.Destination)
		after := e2.Evaluate(f)
		if p.before.Verdict == Deny && after.Verdict == Allow {
			t.Fatalf("probe %d: an exact Deny in tier %s turned Deny into Allow", i, p.tier)
		}
		if after.Ingress.Verdict != Deny || after.Ingress.Decision.Kind != DecisionRule || after.Ingress.Decision.Policy.Name != fmt.Sprintf("exact-deny-%d", i) {
			t.Fatalf("probe %d: tier %s was reached, but the exact Deny did not decide: %+v\n%s", i, p.tier, after.Ingress.Decision,
				strings.Join(TraceLines(after, nil), "\n"))
		}
	}
}

// TestConcurrentEvaluate: an Engine is safe for concurrent use (run with
// -race) and gives every goroutine the same answers.
func TestConcurrentEvaluate(t *testing.T) {
	g := generate(propertySpec)
	e := g.engine(t)
	flows := g.flows(e, 400, 8)
	want := make([]string, len(flows))
	for i, f := range flows {
		want[i] = resultJSON(t, e.Evaluate(f))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range flows {
				j := (i + w*50) % len(flows)
				b, _ := json.Marshal(e.Evaluate(flows[j]))
				if string(b) != want[j] {
					errs <- fmt.Sprintf("goroutine %d, flow %d differs", w, j)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzEngine builds a policy from arbitrary field values, as a caller may
// hand the engine objects render never produced: New must not fail or
// panic, and evaluation must agree with the linear scan and with Allowed.
func FuzzEngine(f *testing.F) {
	f.Add("app == 'api'", "", "", "10.0.0.0/8", "80", "TCP", uint8(6), uint16(80), uint8(0), uint8(1))
	f.Add("", "env == 'dev'", "global()", "::/0", "http", "UDP", uint8(17), uint16(8080), uint8(2), uint8(3))
	f.Add("has(tier) && tier != 'x'", "all()", "all()", "bad cidr", "1:100", "ICMP", uint8(1), uint16(0), uint8(4), uint8(0))
	f.Add("(((", "!", "global( )", "192.0.2.1", "99999", "tcp", uint8(58), uint16(0), uint8(1), uint8(4))
	kind, ok := api.LookupKind(v3.GroupVersion.WithKind("GlobalNetworkPolicy"))
	if !ok {
		f.Fatal("no GlobalNetworkPolicy kind")
	}
	f.Fuzz(func(t *testing.T, sel, nsSel, ruleNSSel, nets, port, proto string, flowProto uint8, flowPort uint16, src, dst uint8) {
		p, err := numorstring.ParsePort(port)
		g := &v3.GlobalNetworkPolicy{}
		g.Name = "fuzz"
		g.Spec.Selector = sel
		g.Spec.NamespaceSelector = nsSel
		pr := numorstring.ProtocolFromString(proto)
		rule := v3.Rule{Action: v3.Deny, Protocol: &pr}
		rule.Source.Nets = []string{nets}
		rule.Source.NamespaceSelector = ruleNSSel
		rule.Source.Selector = sel
		if err == nil {
			rule.Destination.Ports = append(rule.Destination.Ports, p)
		}
		g.Spec.Ingress = []v3.Rule{rule, {Action: v3.Pass}}
		g.Spec.Egress = []v3.Rule{{Action: v3.Allow, Destination: v3.EntityRule{NotSelector: sel, NotNets: []string{nets}}}}
		g.Default()
		in := testInventory()
		in.Objects = []*manifest.Object{{Kind: kind, Object: g, Source: manifest.Source{File: "fuzz.yaml", Line: 1}}}
		e := New(in)
		linear := *e
		linear.linear = true
		peers := []Peer{
			{Pod: &in.Pods[0]}, {Pod: &in.Pods[1]}, {Pod: &in.Pods[3]}, {Pod: &in.Pods[4]},
			{IP: netip.MustParseAddr("10.1.2.3")}, {IP: netip.MustParseAddr("2001:db8::1")},
			{Pod: &Pod{Namespace: "hypothetical", Labels: map[string]string{"app": "api"}}},
		}
		fl := Flow{Source: peers[int(src)%len(peers)], Destination: peers[int(dst)%len(peers)], Protocol: flowProto, Port: flowPort}
		a, b := e.Evaluate(fl), linear.Evaluate(fl)
		if resultJSON(t, a) != resultJSON(t, b) {
			t.Fatalf("indexed and linear differ:\n%s\n%s", resultJSON(t, a), resultJSON(t, b))
		}
		if e.Allowed(fl) != (a.Verdict == Allow) {
			t.Fatalf("Allowed disagrees with Evaluate (%s)", a.Verdict)
		}
	})
}
