package policies

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// genSpec sizes a generated cluster: namespaces × apps × replicas pods, and
// policies of every kind over them, with label-based selectors, in several
// tiers. The same spec and seed always give the same cluster.
type genSpec struct {
	namespaces, apps, replicas int
	tiers                      int
	globalPolicies             int // GlobalNetworkPolicies, spread over the tiers
	policies                   int // Calico NetworkPolicies, spread over namespaces and apps
	k8sPolicies                int // Kubernetes NetworkPolicies
	networkSets                int // GlobalNetworkSets and NetworkSets
	hostEndpoints              int
	seed                       uint64
}

var (
	envs     = []string{"prod", "staging", "dev"}
	podTiers = []string{"web", "backend", "db"}
	teams    = 10
)

type genCluster struct {
	spec      genSpec
	manifests []string
	input     Input // without Objects
}

func generate(s genSpec) *genCluster {
	r := rand.New(rand.NewPCG(s.seed, 0x7ab))
	g := &genCluster{spec: s}
	ns := func(i int) string { return fmt.Sprintf("ns-%02d", i) }
	app := func(i int) string { return fmt.Sprintf("app-%02d", i) }
	for i := 0; i < s.namespaces; i++ {
		g.input.Namespaces = append(g.input.Namespaces, Namespace{Name: ns(i), Labels: map[string]string{
			"env": envs[i%len(envs)], "team": fmt.Sprintf("team-%d", i%teams),
		}})
		g.input.ServiceAccounts = append(g.input.ServiceAccounts, ServiceAccount{Namespace: ns(i), Name: "runner", Labels: map[string]string{"privileged": "false"}})
		for a := 0; a < s.apps; a++ {
			for rep := 0; rep < s.replicas; rep++ {
				labels := map[string]string{"app": app(a), "tier": podTiers[a%len(podTiers)], "version": fmt.Sprintf("v%d", rep%2+1)}
				if a%7 == 0 {
					labels["monitoring"] = "enabled"
				}
				sa := ""
				if a%3 == 0 {
					sa = "runner"
				}
				ports := []NamedPort{{Name: "http", Protocol: ProtoTCP, Port: 8080}, {Name: "metrics", Protocol: ProtoTCP, Port: 9090}}
				if a%4 == 0 {
					ports = append(ports, NamedPort{Name: "dns", Protocol: ProtoUDP, Port: 53})
				}
				g.input.Pods = append(g.input.Pods, Pod{
					Namespace: ns(i), Name: fmt.Sprintf("%s-%d", app(a), rep), Labels: labels, ServiceAccount: sa,
					IPs:   []netip.Addr{netip.AddrFrom4([4]byte{10, byte(i), byte(a), byte(rep + 1)})},
					Ports: ports, Node: fmt.Sprintf("node-%d", (i+a)%16),
				})
			}
		}
	}

	for t := 0; t < s.tiers; t++ {
		action := "Pass"
		if t%4 == 3 {
			action = "Deny"
		}
		g.add(tierYAML(fmt.Sprintf("tier-%d", t), fmt.Sprint(100*(t+1)), action))
	}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	order := func() string {
		if r.IntN(5) == 0 {
			return "" // nil order
		}
		return fmt.Sprintf("order: %d\n", r.IntN(1000))
	}
	port := func() string { return pick([]string{"80", "443", "8080", "http", "metrics", "'8000:8100'"}) }

	for i := 0; i < s.globalPolicies; i++ {
		tier := "default"
		if s.tiers > 0 && r.IntN(10) > 0 {
			tier = fmt.Sprintf("tier-%d", r.IntN(s.tiers))
		}
		// Most global policies target an application, cluster-wide or in
		// chosen namespaces; a few are broad (a pod tier, monitoring, the
		// nodes), as in clusters that size.
		var sel string
		anApp := func() string { return app(r.IntN(max(s.apps, 1))) }
		switch k := r.IntN(100); {
		case k < 55:
			sel = "namespaceSelector: projectcalico.org/name == '" + ns(r.IntN(max(s.namespaces, 1))) + "'\nselector: app == '" + anApp() + "'\n"
		case k < 75:
			sel = "selector: app == '" + anApp() + "'\n"
		case k < 85:
			sel = "selector: app in {'" + anApp() + "', '" + anApp() + "'}\n"
		case k < 92:
			sel = "namespaceSelector: env == '" + pick(envs) + "'\nselector: app == '" + anApp() + "' && tier == '" + pick(podTiers) + "'\n"
		case k < 95:
			sel = "selector: tier == '" + pick(podTiers) + "'\n"
		case k < 97:
			sel = "selector: has(monitoring)\n"
		case k < 98:
			sel = "namespaceSelector: team == 'team-" + fmt.Sprint(r.IntN(teams)) + "'\n"
		default:
			sel = "selector: role == 'node'\n"
		}
		var rules strings.Builder
		types := pick([]string{"[Ingress]", "[Egress]", "[Ingress, Egress]"})
		for _, dir := range []string{"ingress", "egress"} {
			if !strings.Contains(strings.ToLower(types), dir) {
				continue
			}
			rules.WriteString(dir + ":\n")
			peerField := "source"
			if dir == "egress" {
				peerField = "destination"
			}
			for k := 0; k < 1+r.IntN(3); k++ {
				switch r.IntN(6) {
				case 0:
					rules.WriteString("- action: Deny\n  destination:\n    nets: [169.254.169.254/32]\n")
				case 1:
					fmt.Fprintf(&rules, "- action: Allow\n  protocol: TCP\n  %s:\n    selector: app == '%s'\n    namespaceSelector: team == 'team-%d'\n%s",
						peerField, app(r.IntN(max(s.apps, 1))), r.IntN(teams), destPorts(peerField, port()))
				case 2:
					fmt.Fprintf(&rules, "- action: Pass\n  %s:\n    selector: tier == '%s'\n", peerField, pick(podTiers))
				case 3:
					rules.WriteString("- action: Log\n  protocol: UDP\n")
				case 4:
					fmt.Fprintf(&rules, "- action: Allow\n  protocol: UDP\n  %s:\n    selector: role == 'dns'\n    namespaceSelector: global()\n%s", peerField, destPorts(peerField, "53"))
				default:
					fmt.Fprintf(&rules, "- action: Deny\n  protocol: TCP\n  %s:\n    notNets: [10.0.0.0/8]\n", peerField)
				}
			}
		}
		g.add(gnp(fmt.Sprintf("gnp-%04d", i), "tier: "+tier+"\n"+order()+sel+"types: "+types+"\n"+rules.String()))
	}

	for i := 0; i < s.policies; i++ {
		n := r.IntN(max(s.namespaces, 1))
		a := r.IntN(max(s.apps, 1))
		var rules strings.Builder
		dir := pick([]string{"ingress", "ingress", "egress"})
		peerField := "source"
		if dir == "egress" {
			peerField = "destination"
		}
		rules.WriteString(dir + ":\n")
		for k := 0; k < 1+r.IntN(3); k++ {
			switch r.IntN(4) {
			case 0:
				fmt.Fprintf(&rules, "- action: Allow\n  protocol: TCP\n  %s:\n    selector: app == '%s'\n%s", peerField, app(r.IntN(max(s.apps, 1))), destPorts(peerField, port()))
			case 1:
				fmt.Fprintf(&rules, "- action: Allow\n  %s:\n    namespaceSelector: team == 'team-%d'\n", peerField, r.IntN(teams))
			case 2:
				fmt.Fprintf(&rules, "- action: Deny\n  protocol: TCP\n  destination:\n    ports: [%s]\n", port())
			default:
				fmt.Fprintf(&rules, "- action: Allow\n  %s:\n    selector: tier == '%s' && version != 'v2'\n", peerField, pick(podTiers))
			}
		}
		tier := "tier: default\n"
		if s.tiers > 0 && r.IntN(4) == 0 {
			tier = fmt.Sprintf("tier: tier-%d\n", r.IntN(s.tiers))
		}
		g.add(cnp(ns(n), fmt.Sprintf("np-%05d", i), tier+order()+"selector: app == '"+app(a)+"'\n"+"types: ["+strings.ToUpper(dir[:1])+dir[1:]+"]\n"+rules.String()))
	}

	for i := 0; i < s.k8sPolicies; i++ {
		n := r.IntN(max(s.namespaces, 1))
		spec := fmt.Sprintf("podSelector:\n  matchLabels: {app: %s}\ningress:\n- from:\n  - podSelector:\n      matchLabels: {tier: %s}\n  - namespaceSelector:\n      matchLabels: {env: %s}\n  ports:\n  - port: %d\n  - port: http\n",
			app(r.IntN(max(s.apps, 1))), pick(podTiers), pick(envs), 80+r.IntN(3))
		g.add(knp(ns(n), fmt.Sprintf("knp-%04d", i), spec))
	}

	for i := 0; i < s.networkSets; i++ {
		net := fmt.Sprintf("198.%d.%d.0/24", 18+i%2, i%250)
		if i%2 == 0 {
			g.add(gnsYAML(fmt.Sprintf("gns-%03d", i), "role: "+pick([]string{"dns", "partner", "corp"}), net))
		} else {
			g.add(netsetYAML(ns(r.IntN(max(s.namespaces, 1))), fmt.Sprintf("ns-%03d", i), "role: partner", net))
		}
	}
	for i := 0; i < s.hostEndpoints; i++ {
		g.add(hepYAML(fmt.Sprintf("node-%d-eth0", i), "role=node", fmt.Sprintf("192.168.%d.%d", i/250, i%250+1), pick([]string{"", "projectcalico-default-allow"})))
	}
	return g
}

func (g *genCluster) add(m string) { g.manifests = append(g.manifests, m) }

// destPorts returns the YAML of destination ports for a rule whose peer is
// written under peerField: inside it when the peer is the destination.
func destPorts(peerField, ports string) string {
	if peerField == "destination" {
		return "    ports: [" + ports + "]\n"
	}
	return "  destination:\n    ports: [" + ports + "]\n"
}

// render renders the cluster's manifests, 500 per file, as production would.
func (g *genCluster) render(tb testing.TB) []*manifest.Object {
	tb.Helper()
	dir := tb.TempDir()
	for i := 0; i*500 < len(g.manifests); i++ {
		chunk := g.manifests[i*500 : min((i+1)*500, len(g.manifests))]
		var b strings.Builder
		for _, m := range chunk {
			b.WriteString("---\n")
			b.WriteString(m)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.yaml", i)), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	bundle, err := render.Dir(tb.Context(), dir, ".", render.Options{})
	if err != nil {
		tb.Fatalf("render: %v", err)
	}
	return bundle.Objects
}

// engine renders the cluster and builds an engine over it.
func (g *genCluster) engine(tb testing.TB) *Engine {
	tb.Helper()
	in := g.input
	in.Objects = g.render(tb)
	e := New(in)
	if p := e.Problems(); len(p) > 0 {
		tb.Fatalf("generated cluster has problems: %v", p[:min(len(p), 5)])
	}
	return e
}

// flows returns n flows between the cluster's pods, outside addresses and
// host endpoints, with a mix of protocols and ports.
func (g *genCluster) flows(e *Engine, n int, seed uint64) []Flow {
	r := rand.New(rand.NewPCG(seed, 0xf10))
	pods := e.Pods()
	heps := e.HostEndpoints()
	end := func() Peer {
		switch k := r.IntN(10); {
		case k == 0:
			return Peer{IP: netip.AddrFrom4([4]byte{198, 18 + byte(r.IntN(2)), byte(r.IntN(8)), byte(1 + r.IntN(250))})}
		case k == 1:
			return Peer{IP: netip.MustParseAddr("169.254.169.254")}
		case k == 2 && len(heps) > 0:
			return Peer{HostEndpoint: heps[r.IntN(len(heps))]}
		default:
			p, _ := e.Pod(pods[r.IntN(len(pods))].Namespace, pods[r.IntN(len(pods))].Name)
			if p == nil {
				p = &pods[0]
			}
			return Peer{Pod: p}
		}
	}
	out := make([]Flow, n)
	for i := range out {
		f := Flow{Source: end(), Destination: end()}
		switch r.IntN(4) {
		case 0:
			f.Protocol, f.Port = ProtoUDP, 53
		default:
			f.Protocol = ProtoTCP
			f.Port = []uint16{80, 443, 8080, 9090, 8050, 22}[r.IntN(6)]
			f.SourcePort = uint16(32768 + r.IntN(20000))
		}
		out[i] = f
	}
	return out
}
