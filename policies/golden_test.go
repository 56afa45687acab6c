package policies

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenJSON pins the JSON form of results, which `tabby explain -o
// json` prints: field names and shapes are a contract. Run with -update to
// rewrite testdata/explain.golden.json after a deliberate change.
func TestGoldenJSON(t *testing.T) {
	manifests := []string{
		tierYAML("security", "100", "Pass"),
		gnp("security.block-metadata", "tier: security\nselector: all()\ntypes: [Egress]\negress:\n"+
			"- action: Deny\n  destination:\n    nets: [169.254.169.254/32]\n"+
			"- action: Pass\n  destination:\n    selector: app == 'api'\n"),
		cnp("prod", "api-ingress", "selector: app == 'api'\ningress:\n"+
			"- action: Allow\n  protocol: TCP\n  source:\n    selector: app == 'web'\n  destination:\n    ports: [http]\n"+
			"- action: Log\n  protocol: TCP\n"+
			"- action: Allow\n  source:\n    namespaceSelector: env == 'dev'\n"),
		knp("prod", "frontend", "podSelector:\n  matchLabels: {app: frontend}\npolicyTypes: [Egress]\negress:\n- to:\n  - podSelector:\n      matchLabels: {app: api}\n  ports:\n  - port: 8080\n"),
		gnsYAML("corp", "zone: corp", "203.0.113.0/24"),
	}
	flows := map[string]func(e *Engine) Flow{
		"pod to pod, denied at the end of a tier": func(e *Engine) Flow {
			return Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "prod/api"), Protocol: ProtoTCP, Port: 8080}
		},
		"outside to pod through a network set": func(e *Engine) Flow {
			return Flow{Source: peer(t, e, "203.0.113.9"), Destination: peer(t, e, "prod/api"), Protocol: ProtoTCP, Port: 8080}
		},
		"pod from another namespace allowed by namespaceSelector": func(e *Engine) Flow {
			return Flow{Source: peer(t, e, "dev/api"), Destination: peer(t, e, "prod/api"), Protocol: ProtoUDP, Port: 53}
		},
		"pod to metadata service, denied by rule": func(e *Engine) Flow {
			return Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "169.254.169.254"), Protocol: ProtoTCP, Port: 80}
		},
	}
	names := []string{
		"pod to pod, denied at the end of a tier",
		"outside to pod through a network set",
		"pod from another namespace allowed by namespaceSelector",
		"pod to metadata service, denied by rule",
	}
	var first []byte
	for run := 0; run < 2; run++ {
		e := newTestEngine(t, manifests, false)
		out := map[string]Result{}
		for _, n := range names {
			out[n] = e.Evaluate(flows[n](e))
		}
		got, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		if run == 0 {
			first = got
			continue
		}
		if !bytes.Equal(first, got) {
			t.Fatal("two evaluations of the same flows differ")
		}
	}
	golden := filepath.Join("testdata", "explain.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, first, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, first) {
		t.Errorf("results differ from %s (run with -update if the change is deliberate):\n%s", golden, firstDiff(string(want), string(first)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n  want " + al[i] + "\n  got  " + bl[i]
		}
	}
	return "lengths differ"
}

func TestProblems(t *testing.T) {
	e := newTestEngine(t, []string{
		gnp("bad-selector", "selector: app ===\n"+denyIngress),
		cnp("prod", "bad-rule", "types: [Ingress]\ningress:\n- action: Deny\n  source:\n    selector: \"app == 'x\"\n- action: Allow\n"),
		gnsYAML("bad-net", "zone: x", "10.0.0.0/8"),
		tierYAML("default", "5", "Pass"),
	}, true)
	problems := strings.Join(e.Problems(), "\n")
	for _, want := range []string{
		"GlobalNetworkPolicy bad-selector: spec.selector:",
		"the policy selects nothing",
		"NetworkPolicy prod/bad-rule: spec.ingress[0]:",
		"the rule matches nothing",
		"Tier default: spec.order: built-in tier default has the fixed order 1e+06",
		"Tier default: spec.defaultAction:",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems do not mention %q:\n%s", want, problems)
		}
	}
	// The broken policy selects nothing; the broken rule matches nothing
	// and the next one decides.
	res := e.Evaluate(Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "prod/api"), Protocol: ProtoTCP, Port: 80})
	if got := decisionOf(res.Ingress); got != "Allow rule bad-rule spec.ingress[1]" {
		t.Errorf("ingress decided by %q, want the rule after the broken one", got)
	}
	if r := res.Ingress.Tiers[0].Policies[0].Rules[0]; r.Matched || !strings.Contains(r.Reason, "the rule is invalid") {
		t.Errorf("broken rule trace = %+v", r)
	}
}

func TestNotes(t *testing.T) {
	e := newTestEngine(t, []string{
		hepYAML("node1-eth0", "role=node", "192.168.0.1", "projectcalico-default-allow"),
		gnp("prednat", "selector: role == 'node'\npreDNAT: true\napplyOnForward: true\ntypes: [Ingress]\ningress:\n- action: Deny\n"),
	}, false)
	for _, c := range []struct {
		name string
		flow Flow
		want string
	}{
		{"outside to outside", Flow{Source: peer(t, e, "8.8.8.8"), Destination: peer(t, e, "1.1.1.1"), Protocol: ProtoTCP, Port: 1}, "neither end is a Calico endpoint"},
		{"unknown host endpoint", Flow{Source: peer(t, e, "hep:nope"), Destination: peer(t, e, "1.1.1.1"), Protocol: ProtoTCP, Port: 1}, "host endpoint nope is not among the objects"},
		{"preDNAT policy", Flow{Source: peer(t, e, "8.8.8.8"), Destination: peer(t, e, "hep:node1-eth0"), Protocol: ProtoTCP, Port: 1}, "preDNAT policies are not evaluated"},
		{"family mismatch", Flow{Source: peer(t, e, "prod/api"), Destination: peer(t, e, "2001:db8::1"), Protocol: ProtoTCP, Port: 1}, "no IP family in common"},
		{"hypothetical pods", Flow{Source: Peer{Pod: &Pod{Namespace: "x"}}, Destination: Peer{Pod: &Pod{Namespace: "y"}}, Protocol: ProtoTCP, Port: 1}, "evaluated as IPv4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Evaluate(c.flow)
			if !strings.Contains(strings.Join(res.Notes, "\n"), c.want) {
				t.Errorf("notes %q do not mention %q", res.Notes, c.want)
			}
		})
	}
}
