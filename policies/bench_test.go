package policies

import (
	"sync"
	"testing"
)

// benchSpec is the scale of the policy engine's targets: 10,000 policies
// (1,000 GlobalNetworkPolicies over 10 tiers, 8,500 Calico NetworkPolicies,
// 500 Kubernetes NetworkPolicies) over 1,000 pods in 50 namespaces, with 200
// network sets and 20 host endpoints.
var benchSpec = genSpec{
	namespaces: 50, apps: 20, replicas: 1, tiers: 10,
	globalPolicies: 1000, policies: 8500, k8sPolicies: 500, networkSets: 200, hostEndpoints: 20, seed: 42,
}

var bench struct {
	once  sync.Once
	g     *genCluster
	e     *Engine
	flows []Flow
}

func benchEngine(b *testing.B) (*Engine, []Flow) {
	b.Helper()
	bench.once.Do(func() {
		bench.g = generate(benchSpec)
		bench.e = bench.g.engine(b)
		// Pod-to-pod flows, so that both directions are evaluated.
		pods := bench.e.Pods()
		for i := 0; i < 512; i++ {
			src := &bench.e.pods[(i*7919)%len(pods)]
			dst := &bench.e.pods[(i*104729+13)%len(pods)]
			port := []uint16{80, 443, 8080, 9090}[i%4]
			bench.flows = append(bench.flows, Flow{Source: Peer{Pod: src}, Destination: Peer{Pod: dst}, Protocol: ProtoTCP, Port: port, SourcePort: 40000})
		}
	})
	if bench.e == nil {
		b.Fatal("benchmark cluster failed to build")
	}
	return bench.e, bench.flows
}

// BenchmarkEvaluateFlow evaluates one pod-to-pod flow (egress and ingress)
// against 10,000 policies over 1,000 endpoints. Target: under 50 µs per flow.
// The anchor is the same evaluation with the index disabled: a linear scan
// of every policy for each endpoint.
//
//	go test ./policies -run XXX -bench EvaluateFlow -benchmem
func BenchmarkEvaluateFlow(b *testing.B) {
	e, flows := benchEngine(b)
	linear := *e
	linear.linear = true
	// The same flows between hypothetical copies of the pods (as a
	// ConnectivityTest describes them): the engine keeps no per-endpoint
	// cache for those, so every flow goes through the index.
	hypothetical := make([]Flow, len(flows))
	for i, f := range flows {
		src, dst := *f.Source.Pod, *f.Destination.Pod
		hypothetical[i] = f
		hypothetical[i].Source.Pod, hypothetical[i].Destination.Pod = &src, &dst
	}
	for _, c := range []struct {
		name string
		run  func(i int)
	}{
		{"inventory-pods-traced", func(i int) { e.Evaluate(flows[i]) }},
		{"inventory-pods-untraced", func(i int) { e.Allowed(flows[i]) }},
		{"hypothetical-pods-traced", func(i int) { e.Evaluate(hypothetical[i]) }},
		{"hypothetical-pods-untraced", func(i int) { e.Allowed(hypothetical[i]) }},
		{"anchor-linear-scan-traced", func(i int) { linear.Evaluate(flows[i]) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.run(i % len(flows))
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(i), "µs/flow")
			b.ReportMetric(50, "target-µs/flow")
		})
	}
}

// BenchmarkConnectivityMatrix evaluates every flow between 100 pods (100×100
// flows, TCP 8080) against the same 10,000 policies. Target: under 1 s per
// matrix.
//
//	go test ./policies -run XXX -bench ConnectivityMatrix -benchmem
func BenchmarkConnectivityMatrix(b *testing.B) {
	e, _ := benchEngine(b)
	var pods []*Pod
	for i := 0; i < 100; i++ {
		pods = append(pods, &e.pods[(i*10)%len(e.pods)])
	}
	for _, c := range []struct {
		name  string
		trace bool
	}{{"traced", true}, {"untraced", false}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				allowed := 0
				for _, src := range pods {
					for _, dst := range pods {
						f := Flow{Source: Peer{Pod: src}, Destination: Peer{Pod: dst}, Protocol: ProtoTCP, Port: 8080}
						if c.trace && e.Evaluate(f).Verdict == Allow || !c.trace && e.Allowed(f) {
							allowed++
						}
					}
				}
				n++
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(n), "s/matrix")
			b.ReportMetric(1, "target-s/matrix")
		})
	}
}

// BenchmarkNew measures building the engine (parsing selectors, compiling
// rules, indexing) over the rendered 10,000 policies.
//
//	go test ./policies -run XXX -bench New -benchmem
func BenchmarkNew(b *testing.B) {
	benchEngine(b)
	in := bench.g.input
	in.Objects = bench.g.render(b)
	b.ReportAllocs()
	for b.Loop() {
		New(in)
	}
}
