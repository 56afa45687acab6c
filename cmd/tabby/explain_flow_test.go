package main

import (
	"strings"
	"testing"
)

// TestExplainProtocol proves --protocol takes Calico's protocol names in
// any case, and protocol numbers.
func TestExplainProtocol(t *testing.T) {
	args := explainRepo(t, peersRepo)
	for _, tc := range []struct {
		protocol, port string
		flow           string // the end of the flow line
	}{
		{"tcp", "8080", "TCP/8080"},
		{"Udp", "53", "UDP/53"},
		{"sctp", "9899", "SCTP/9899"},
		{"icmp", "", "ICMP"},
		{"ICMPV6", "", "ICMPv6"},
		{"6", "8080", "TCP/8080"},
		{"17", "53", "UDP/53"},
		{"47", "", "47"},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			from, to := "shop/web", "192.0.2.1"
			if strings.EqualFold(tc.protocol, "icmpv6") {
				from, to = "2001:db8::2", "2001:db8::1"
			}
			flags := []string{"--from", from, "--to", to, "--protocol", tc.protocol}
			if tc.port != "" {
				flags = append(flags, "--port", tc.port)
			}
			code, out, stderr := tabby(t, append(args, flags...)...)
			if code != exitOK || !strings.Contains(out, " "+tc.flow+"\n") {
				t.Errorf("exit %d, want %d and a flow line ending %q\n%s%s", code, exitOK, tc.flow, out, stderr)
			}
		})
	}
}

// TestExplainFlowErrors proves flows that cannot be evaluated as written
// exit 2 with a message saying what to change.
func TestExplainFlowErrors(t *testing.T) {
	args := explainRepo(t, peersRepo)
	for _, tc := range []struct {
		name  string
		flags []string
		want  []string // in stderr
	}{
		{
			name:  "addresses of different families",
			flags: []string{"--from", "10.1.2.3", "--to", "2001:db8::1", "--port", "80"},
			want:  []string{"10.1.2.3", "2001:db8::1", "IPv4", "IPv6", "same IP family"},
		},
		{
			name:  "an IPv4 pod and an IPv6 address",
			flags: []string{"--from", "shop/web", "--to", "2001:db8::1", "--port", "80"},
			want:  []string{"--from shop/web", "10.244.1.8", "2001:db8::1"},
		},
		{
			name:  "ICMP to IPv6 addresses",
			flags: []string{"--from", "2001:db8::2", "--to", "2001:db8::1", "--protocol", "icmp"},
			want:  []string{"ICMP is IPv4 only", "2001:db8::2", "--protocol ICMPv6"},
		},
		{
			name:  "an unknown protocol",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--protocol", "gre", "--port", "80"},
			want:  []string{"--protocol gre: want TCP, UDP"},
		},
		{
			name:  "protocol 0",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--protocol", "0"},
			want:  []string{"--protocol 0: protocol numbers are 1-255"},
		},
		{
			name:  "a port for ICMP",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--protocol", "icmp", "--port", "80"},
			want:  []string{"--port 80: ICMP has no ports"},
		},
		{
			name:  "no port for TCP",
			flags: []string{"--from", "shop/web", "--to", "shop/api"},
			want:  []string{"--port: TCP needs a destination port"},
		},
		{
			name:  "a negative port",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "-1"},
			want:  []string{"--port -1: want 1-65535 or a port name"},
		},
		{
			name:  "a port out of range",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "70000"},
			want:  []string{"--port 70000: want 1-65535 or a port name"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := tabby(t, append(args, tc.flags...)...)
			if code != exitError {
				t.Errorf("exit %d, want %d\n%s%s", code, exitError, out, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// namedPortsRepo has a pod shop/api with named ports http=TCP/8080 and
// dns=UDP/53, whose ingress allows only its named port http, and a host
// endpoint node1-eth0 with a named port kubelet=TCP/10250.
var namedPortsRepo = map[string]string{
	"inventory.yaml": `apiVersion: tabby.dev/v1alpha1
kind: Inventory
metadata: {name: test}
spec:
  pods:
  - {namespace: shop, name: api, labels: {app: api}, ips: [10.244.1.7], ports: [{name: http, port: 8080}, {name: dns, protocol: UDP, port: 53}]}
  - {namespace: shop, name: web, labels: {app: web}, ips: [10.244.1.8]}
`,
	"api.yaml": `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  selector: app == "api"
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: [http]
`,
	"host.yaml": `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node1-eth0}
spec:
  node: node1
  expectedIPs: [10.0.6.12]
  ports: [{name: kubelet, protocol: TCP, port: 10250}]
  profiles: [projectcalico-default-allow]
`,
}

// TestExplainNamedPort proves --port NAME resolves against the destination's
// named ports, that a rule naming the port then matches, and that a name the
// destination does not declare, or a destination with no named ports, is an
// error.
func TestExplainNamedPort(t *testing.T) {
	args := explainRepo(t, namedPortsRepo)
	for _, tc := range []struct {
		name  string
		flags []string
		code  int
		want  []string // in stdout, or stderr when code is exitError
	}{
		{
			name:  "a pod's named port, which the rule names",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "http"},
			code:  exitOK,
			want:  []string{"-> shop/api (10.244.1.7) TCP/8080\n", "=> rule 0 Allow at api.yaml:"},
		},
		{
			name:  "the same port by number",
			flags: []string{"--from", "shop/web", "--to", "10.244.1.7", "--port", "8080"},
			code:  exitOK,
			want:  []string{"TCP/8080\n", "=> rule 0 Allow at api.yaml:"},
		},
		{
			name:  "another port is denied",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "dns", "--protocol", "udp"},
			code:  exitFindings,
			want:  []string{"UDP/53\n", "verdict: Deny"},
		},
		{
			name:  "a host endpoint's named port",
			flags: []string{"--from", "shop/web", "--to", "hostendpoint/node1-eth0", "--port", "kubelet"},
			code:  exitOK,
			want:  []string{"-> hostendpoint/node1-eth0 (10.0.6.12) TCP/10250\n"},
		},
		{
			name:  "a name the pod does not declare",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "metrics"},
			code:  exitError,
			want:  []string{"--port metrics: --to shop/api has no port named metrics", "http=TCP/8080, dns=UDP/53"},
		},
		{
			name:  "a name declared for another protocol",
			flags: []string{"--from", "shop/web", "--to", "shop/api", "--port", "dns"},
			code:  exitError,
			want:  []string{"the port dns of --to shop/api is UDP, not TCP; add --protocol UDP"},
		},
		{
			name:  "a pod without named ports",
			flags: []string{"--from", "shop/api", "--to", "shop/web", "--port", "http"},
			code:  exitError,
			want:  []string{"--to shop/web has no port named http (it declares no named ports)"},
		},
		{
			name:  "an address outside the cluster",
			flags: []string{"--from", "shop/web", "--to", "192.0.2.1", "--port", "http"},
			code:  exitError,
			want:  []string{"--to 192.0.2.1 is an address outside the cluster", "give the port number"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := tabby(t, append(args, tc.flags...)...)
			got := out
			if tc.code == exitError {
				got = stderr
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("output lacks %q:\n%s%s", want, out, stderr)
				}
			}
		})
	}
}
