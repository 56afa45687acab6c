package selector

import "testing"

// typical is a typical policy selector.
const typical = `app == "frontend" && tier in {"web","api"} && !has(canary)`

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(typical); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatches(b *testing.B) {
	sel := MustParse(typical)
	// Label sets the size of a typical pod's, with Calico's own labels.
	base := Map{
		"app": "frontend", "tier": "web", "pod-template-hash": "7d9c8b6f5",
		"projectcalico.org/namespace": "shop", "projectcalico.org/orchestrator": "k8s",
		"projectcalico.org/serviceaccount": "default",
	}
	with := func(k, v string) Map {
		m := Map{}
		for bk, bv := range base {
			m[bk] = bv
		}
		m[k] = v
		return m
	}
	for _, bc := range []struct {
		name   string
		labels Map
		want   bool
	}{
		{"match", base, true},
		{"miss-first-term", with("app", "backend"), false},
		{"miss-last-term", with("canary", "true"), false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var l Labels = bc.labels
			b.ReportAllocs()
			for b.Loop() {
				if sel.Matches(l) != bc.want {
					b.Fatal("wrong result")
				}
			}
		})
	}
}
