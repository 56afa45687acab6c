package policies

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// renderManifests writes YAML manifests to a temporary repository, one file
// each, and renders it as production does, so that objects are decoded and
// defaulted exactly as the engine receives them.
func renderManifests(t testing.TB, manifests ...string) []*manifest.Object {
	t.Helper()
	dir := t.TempDir()
	for i, m := range manifests {
		name := filepath.Join(dir, fmt.Sprintf("m%03d.yaml", i))
		if err := os.WriteFile(name, []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(manifests) == 0 {
		return nil
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return b.Objects
}

// testInventory is the cluster the semantic tests run against.
//
//	prod (env=prod, team=a):   frontend (app=frontend) 10.0.1.1
//	                           api (app=api, tier=backend) 10.0.1.2, port http=TCP/8080, sa api-sa
//	dev (env=dev):             api (app=api) 10.0.2.1, no named ports
//	                           db (app=db) 10.0.2.2, port http=UDP/8080
//	monitoring (team=obs):     prom (app=prometheus) 10.0.3.1, fd00::31
func testInventory() Input {
	ip := netip.MustParseAddr
	return Input{
		Namespaces: []Namespace{
			{Name: "prod", Labels: map[string]string{"env": "prod", "team": "a"}},
			{Name: "dev", Labels: map[string]string{"env": "dev"}},
			{Name: "monitoring", Labels: map[string]string{"team": "obs"}},
		},
		ServiceAccounts: []ServiceAccount{
			{Namespace: "prod", Name: "api-sa", Labels: map[string]string{"role": "backend"}},
		},
		Pods: []Pod{
			{Namespace: "prod", Name: "frontend", Labels: map[string]string{"app": "frontend"}, IPs: []netip.Addr{ip("10.0.1.1")}},
			{Namespace: "prod", Name: "api", Labels: map[string]string{"app": "api", "tier": "backend"}, ServiceAccount: "api-sa",
				IPs: []netip.Addr{ip("10.0.1.2")}, Ports: []NamedPort{{Name: "http", Protocol: ProtoTCP, Port: 8080}}},
			{Namespace: "dev", Name: "api", Labels: map[string]string{"app": "api"}, IPs: []netip.Addr{ip("10.0.2.1")}},
			{Namespace: "dev", Name: "db", Labels: map[string]string{"app": "db"}, IPs: []netip.Addr{ip("10.0.2.2")},
				Ports: []NamedPort{{Name: "http", Protocol: ProtoUDP, Port: 8080}}},
			{Namespace: "monitoring", Name: "prom", Labels: map[string]string{"app": "prometheus"}, IPs: []netip.Addr{ip("10.0.3.1"), ip("fd00::31")}},
		},
	}
}

// newTestEngine renders manifests and builds an engine over the test
// inventory, failing on any problem unless allowProblems.
func newTestEngine(t testing.TB, manifests []string, allowProblems bool) *Engine {
	t.Helper()
	in := testInventory()
	in.Objects = renderManifests(t, manifests...)
	e := New(in)
	if !allowProblems {
		for _, p := range e.Problems() {
			t.Errorf("problem: %s", p)
		}
	}
	return e
}

// peer parses "ns/name" (an inventory pod), "hep:name" or an IP address.
func peer(t testing.TB, e *Engine, s string) Peer {
	t.Helper()
	if name, ok := strings.CutPrefix(s, "hep:"); ok {
		return Peer{HostEndpoint: name}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return Peer{IP: a}
	}
	ns, name, _ := strings.Cut(s, "/")
	p, ok := e.Pod(ns, name)
	if !ok {
		t.Fatalf("no pod %s in the test inventory", s)
	}
	return Peer{Pod: p}
}

// flowCase is one flow and what the engine must decide.
type flowCase struct {
	name     string
	objects  []string // YAML manifests
	from, to string   // see peer
	proto    uint8    // default TCP
	port     uint16
	want     Verdict
	// egress and ingress, when set, are the expected decisions (see
	// decisionOf); "-" means the direction must not be evaluated.
	egress, ingress string
	// problems allows Problems from the objects.
	problems bool
}

func (c flowCase) flow(t testing.TB, e *Engine) Flow {
	proto := c.proto
	if proto == 0 {
		proto = ProtoTCP
	}
	return Flow{Source: peer(t, e, c.from), Destination: peer(t, e, c.to), Protocol: proto, Port: c.port}
}

func runFlowCases(t *testing.T, cases []flowCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t, c.objects, c.problems)
			f := c.flow(t, e)
			res := e.Evaluate(f)
			if res.Verdict != c.want {
				t.Errorf("verdict %s, want %s\n%s", res.Verdict, c.want, strings.Join(TraceLines(res, nil), "\n"))
			}
			if got := e.Allowed(f); got != (c.want == Allow) {
				t.Errorf("Allowed = %v, want %v", got, c.want == Allow)
			}
			if c.egress != "" && decisionOf(res.Egress) != c.egress {
				t.Errorf("egress decided by %q, want %q\n%s", decisionOf(res.Egress), c.egress, strings.Join(TraceLines(res, nil), "\n"))
			}
			if c.ingress != "" && decisionOf(res.Ingress) != c.ingress {
				t.Errorf("ingress decided by %q, want %q\n%s", decisionOf(res.Ingress), c.ingress, strings.Join(TraceLines(res, nil), "\n"))
			}
		})
	}
}

// decisionOf summarises what decided a direction:
//
//	"Allow rule <policy name> <field>", "Deny end of tier <tier>",
//	"Allow profile <name>", "Deny no profile", "-" for a direction not
//	evaluated.
func decisionOf(d *DirectionResult) string {
	if d == nil {
		return "-"
	}
	switch dec := d.Decision; dec.Kind {
	case DecisionRule:
		return fmt.Sprintf("%s rule %s %s", dec.Verdict, dec.Policy.Name, dec.Field)
	case DecisionTierDefault:
		return fmt.Sprintf("%s end of tier %s", dec.Verdict, dec.Tier)
	case DecisionProfile:
		return fmt.Sprintf("%s profile %s", dec.Verdict, dec.Profile)
	case DecisionNoProfile:
		return fmt.Sprintf("%s no profile", dec.Verdict)
	}
	return "?" + string(d.Decision.Kind)
}

// Manifest builders, to keep tables short.

func tierYAML(name, order, defaultAction string) string {
	s := "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: " + name + "\nspec:\n"
	if order != "" {
		s += "  order: " + order + "\n"
	}
	if defaultAction != "" {
		s += "  defaultAction: " + defaultAction + "\n"
	}
	if order == "" && defaultAction == "" {
		s += "  {}\n"
	}
	return s
}

// gnp returns a GlobalNetworkPolicy; spec is indented YAML under spec:.
func gnp(name, spec string) string {
	return "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: " + name + "\nspec:\n" + indent(spec)
}

// cnp returns a Calico NetworkPolicy in namespace ns.
func cnp(ns, name, spec string) string {
	return "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\nspec:\n" + indent(spec)
}

// knp returns a Kubernetes NetworkPolicy in namespace ns.
func knp(ns, name, spec string) string {
	return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\nspec:\n" + indent(spec)
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
