package validate

import (
	"testing"

	"github.com/tabbynet/tabby/internal/corpus"
	"github.com/tabbynet/tabby/render"
)

// sourcedFinding is a finding with the name of the input that produced it.
type sourcedFinding struct {
	input string
	Finding
}

// forEveryFinding runs check, in one subtest per source, on what
// validation finds in every input the tests know: each code's documented
// example, the example repository (clean, and broken the ways
// TestBrokenExampleReportsEverything breaks it) and each manifest of the
// Calico corpus, with the render errors of those that do not render.
func forEveryFinding(t *testing.T, check func(t *testing.T, fs []sourcedFinding)) {
	for _, source := range []struct {
		name     string
		findings func(t *testing.T) []sourcedFinding
	}{
		{"examples", examplesFindings},
		{"repos-example", reposExampleFindings},
		{"corpus", corpusFindings},
	} {
		t.Run(source.name, func(t *testing.T) { check(t, source.findings(t)) })
	}
}

func sourced(input string, fs Findings) []sourcedFinding {
	out := make([]sourcedFinding, 0, len(fs))
	for _, f := range fs {
		out = append(out, sourcedFinding{input, f})
	}
	return out
}

func examplesFindings(t *testing.T) []sourcedFinding {
	var out []sourcedFinding
	for _, c := range Codes() {
		out = append(out, sourced("example of "+c.ID, exampleFindings(t, c))...)
	}
	return out
}

func reposExampleFindings(t *testing.T) []sourcedFinding {
	broken := copyTree(t, "../repos-example")
	edit(t, broken, "base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64512")
	edit(t, broken, "base/ipam/pool-db-ipv4.yaml", "cidr: 10.245.0.0/24", "cidr: 10.244.7.0/24")
	edit(t, broken, "base/bgp/peer-tor-rack6.yaml", "nodeSelector: rack == 'rack6'", "nodeSelector: rack = 'rack6'")
	edit(t, broken, "base/policy/application/frontend.yaml", "tier: application", "tier: aplication")
	var out []sourcedFinding
	for _, repo := range []string{"../repos-example", broken} {
		for _, cluster := range []string{"clusters/prod", "clusters/staging"} {
			b, err := render.Dir(t.Context(), repo, cluster, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, sourced(cluster, Validate(ForBundle(b)))...)
		}
	}
	return out
}

func corpusFindings(t *testing.T) []sourcedFinding {
	root, entries := corpus.Entries(t)
	live := corpusReferenced(entries)
	var out []sourcedFinding
	for _, e := range entries {
		b, err := render.Dir(t.Context(), root, e.File, render.Options{})
		if err != nil {
			out = append(out, sourced(e.File, RenderFindings(err))...)
			continue
		}
		in := ForBundle(b)
		in.Live = live
		out = append(out, sourced(e.File, Validate(in))...)
	}
	return out
}
