package policies

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestPeerForIP(t *testing.T) {
	e := newTestEngine(t, []string{
		hepYAML("node1-eth0", "role=node", "192.168.0.1", ""),
		gnsYAML("dns", "role: dns", "8.8.8.0/24"),
	}, false)
	api, _ := e.Pod("prod", "api")
	for _, tc := range []struct {
		addr string
		want Peer
	}{
		{"10.0.1.2", Peer{Pod: api, IP: netip.MustParseAddr("10.0.1.2")}},
		{"::ffff:10.0.1.2", Peer{Pod: api, IP: netip.MustParseAddr("10.0.1.2")}},
		{"192.168.0.1", Peer{HostEndpoint: "node1-eth0", IP: netip.MustParseAddr("192.168.0.1")}},
		// In a network set, still outside: the set is not an endpoint.
		{"8.8.8.8", Peer{IP: netip.MustParseAddr("8.8.8.8")}},
		{"192.0.2.1", Peer{IP: netip.MustParseAddr("192.0.2.1")}},
	} {
		if got := e.PeerForIP(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("PeerForIP(%s) = %+v, want %+v", tc.addr, got, tc.want)
		}
	}
}

func TestNamedPortsOfPeers(t *testing.T) {
	e := newTestEngine(t, []string{
		"apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata:\n  name: n\nspec:\n  node: n1\n  expectedIPs: [192.168.0.9]\n  ports:\n  - {name: kubelet, protocol: TCP, port: 10250}\n",
	}, false)
	for _, tc := range []struct {
		peer string
		want []NamedPort
		ok   bool
	}{
		{"prod/api", []NamedPort{{Name: "http", Protocol: ProtoTCP, Port: 8080}}, true},
		{"prod/frontend", nil, true},
		{"hep:n", []NamedPort{{Name: "kubelet", Protocol: ProtoTCP, Port: 10250}}, true},
		{"hep:unknown", nil, true},
		{"8.8.8.8", nil, false},
	} {
		got, ok := e.NamedPorts(peer(t, e, tc.peer))
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NamedPorts(%s) = %v, %t; want %v, %t", tc.peer, got, ok, tc.want, tc.ok)
		}
	}
}

// TestResultNetworkSets proves Evaluate names the network sets holding each
// end's address, with their labels, and that the Result does not share the
// engine's label maps.
func TestResultNetworkSets(t *testing.T) {
	e := newTestEngine(t, []string{
		gnsYAML("dns", "role: dns", "8.8.8.0/24"),
		gnsYAML("google", "owner: google", "8.8.8.8"),
		netsetYAML("prod", "office", "zone: office", "10.0.1.0/24"),
	}, false)
	f := Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "8.8.8.8"), Protocol: ProtoUDP, Port: 53}
	res := e.Evaluate(f)
	wantSrc := []NetworkSetRef{{Kind: "NetworkSet", Namespace: "prod", Name: "office", Labels: map[string]string{"zone": "office"}}}
	wantDst := []NetworkSetRef{
		{Kind: "GlobalNetworkSet", Name: "dns", Labels: map[string]string{"role": "dns"}},
		{Kind: "GlobalNetworkSet", Name: "google", Labels: map[string]string{"owner": "google"}},
	}
	if !reflect.DeepEqual(res.SourceNetworkSets, wantSrc) {
		t.Errorf("source sets %+v, want %+v", res.SourceNetworkSets, wantSrc)
	}
	if !reflect.DeepEqual(res.DestinationNetworkSets, wantDst) {
		t.Errorf("destination sets %+v, want %+v", res.DestinationNetworkSets, wantDst)
	}
	res.DestinationNetworkSets[0].Labels["role"] = "changed"
	if again := e.Evaluate(f); again.DestinationNetworkSets[0].Labels["role"] != "dns" {
		t.Errorf("a caller's change to a Result reached the engine: %v", again.DestinationNetworkSets[0].Labels)
	}
	if res := e.Evaluate(Flow{Source: peer(t, e, "prod/frontend"), Destination: peer(t, e, "192.0.2.1"), Protocol: ProtoTCP, Port: 80}); res.DestinationNetworkSets != nil {
		t.Errorf("an address in no set: %+v", res.DestinationNetworkSets)
	}
}

func TestCheckFamily(t *testing.T) {
	e := newTestEngine(t, nil, false)
	for _, tc := range []struct {
		name     string
		from, to string
		proto    uint8
		want     string // in the error; "" for none
		protocol bool   // the protocol is what rules the flow out
	}{
		{name: "both IPv4", from: "prod/frontend", to: "8.8.8.8", proto: ProtoTCP},
		{name: "a dual-stack pod to IPv6", from: "monitoring/prom", to: "2001:db8::1", proto: ProtoTCP},
		{name: "IPv4 pod to IPv6", from: "prod/frontend", to: "2001:db8::1", proto: ProtoTCP,
			want: "source 10.0.1.1 is IPv4 and destination 2001:db8::1 is IPv6: they have no IP family in common"},
		{name: "IPv6 to IPv4 addresses", from: "2001:db8::2", to: "10.0.1.2", proto: ProtoUDP,
			want: "source 2001:db8::2 is IPv6 and destination 10.0.1.2 is IPv4"},
		{name: "ICMP between IPv6 addresses", from: "2001:db8::2", to: "2001:db8::1", proto: ProtoICMP,
			want: "ICMP is IPv4 only, and the source 2001:db8::2 is IPv6", protocol: true},
		{name: "ICMPv6 to an IPv4 pod", from: "monitoring/prom", to: "prod/api", proto: ProtoICMPv6,
			want: "ICMPv6 is IPv6 only, and the destination 10.0.1.2 is IPv4", protocol: true},
		{name: "ICMPv6 from a dual-stack pod", from: "monitoring/prom", to: "2001:db8::1", proto: ProtoICMPv6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.CheckFamily(Flow{Source: peer(t, e, tc.from), Destination: peer(t, e, tc.to), Protocol: tc.proto})
			if tc.want == "" {
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
				return
			}
			var fe *FamilyError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) || fe.ProtocolMismatch() != tc.protocol {
				t.Errorf("error %v, want a FamilyError with %q (protocol mismatch %t)", err, tc.want, tc.protocol)
			}
		})
	}
}
