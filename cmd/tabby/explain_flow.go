package main

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tabbynet/tabby/api/numorstring"
	"github.com/tabbynet/tabby/policies"
)

// flow builds the flow the flags describe.
func (o *explainOptions) flow(engine *policies.Engine) (policies.Flow, error) {
	var f policies.Flow
	var err error
	if f.Source, err = parsePeer(engine, "--from", o.from); err != nil {
		return f, err
	}
	if f.Destination, err = parsePeer(engine, "--to", o.to); err != nil {
		return f, err
	}
	proto, err := parseProtocol(o.protocol)
	if err != nil {
		return f, err
	}
	f.Protocol, _ = proto.NumberOf()
	if err := o.checkFamily(engine, f); err != nil {
		return f, err
	}
	switch {
	case !proto.SupportsPorts() && o.port != "":
		return f, fmt.Errorf("--port %s: %s has no ports; leave --port out, or give --protocol TCP, UDP or SCTP", o.port, proto)
	case !proto.SupportsPorts():
		return f, nil
	case o.port == "":
		return f, fmt.Errorf("--port: %s needs a destination port, a number or the name of a port of the destination", proto)
	}
	f.Port, err = resolvePort(engine, f.Destination, o.to, o.port, proto)
	return f, err
}

// parsePeer parses namespace/pod, hostendpoint/NAME or an IP address. An
// address is what owns it: a pod or host endpoint of the inventory, or else
// an address outside the cluster.
func parsePeer(engine *policies.Engine, flag, s string) (policies.Peer, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return engine.PeerForIP(a), nil
	}
	prefix, name, ok := strings.Cut(s, "/")
	if !ok || prefix == "" || name == "" {
		return policies.Peer{}, fmt.Errorf("%s %s: want namespace/pod, hostendpoint/NAME or an IP address", flag, s)
	}
	if prefix == "hostendpoint" || prefix == "hep" {
		return policies.Peer{HostEndpoint: name}, nil
	}
	pod, found := engine.Pod(prefix, name)
	if !found {
		return policies.Peer{}, fmt.Errorf("%s %s: no pod %s in namespace %s in the inventory; list it in an --inventory file, or read the cluster with --kubeconfig", flag, s, name, prefix)
	}
	return policies.Peer{Pod: pod}, nil
}

// protocolNames are the protocol names --protocol accepts in any case,
// spelt as Calico spells them.
var protocolNames = []string{
	numorstring.ProtocolTCP, numorstring.ProtocolUDP, numorstring.ProtocolSCTP,
	numorstring.ProtocolICMP, numorstring.ProtocolICMPv6, numorstring.ProtocolUDPLite,
}

// parseProtocol parses --protocol: a name in any case (tcp, Udp, ICMPV6),
// or an IANA number in 1-255. Policies spell names exactly as Calico does;
// a command line need not.
func parseProtocol(s string) (numorstring.Protocol, error) {
	for _, name := range protocolNames {
		if strings.EqualFold(s, name) {
			return numorstring.ProtocolFromString(name), nil
		}
	}
	p := numorstring.ProtocolFromString(s)
	if p.IsNamed() {
		return p, fmt.Errorf("--protocol %s: want TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite (in any case) or a number in 1-255", s)
	}
	if _, ok := p.NumberOf(); !ok {
		return p, fmt.Errorf("--protocol %s: protocol numbers are 1-255", s)
	}
	return p, nil
}

// checkFamily refuses a flow whose ends, or an end and the protocol, are of
// different IP families, naming both ends.
func (o *explainOptions) checkFamily(engine *policies.Engine, f policies.Flow) error {
	err := engine.CheckFamily(f)
	var fe *policies.FamilyError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.ProtocolMismatch() {
		return fmt.Errorf("--from %s and --to %s with --protocol %s: %w; use --protocol ICMPv6 for IPv6 and ICMP for IPv4", o.from, o.to, o.protocol, err)
	}
	return fmt.Errorf("--from %s and --to %s: %w; give two ends of the same IP family", o.from, o.to, err)
}

// resolvePort returns the destination port --port gives: a number, or the
// name of a named port of the destination endpoint for the flow's protocol,
// resolved as Calico resolves a named port in a rule.
func resolvePort(engine *policies.Engine, dst policies.Peer, to, port string, proto numorstring.Protocol) (uint16, error) {
	if n, err := strconv.ParseUint(port, 10, 16); err == nil {
		if n == 0 {
			return 0, fmt.Errorf("--port %s: want 1-65535 or a port name", port)
		}
		return uint16(n), nil
	}
	if !strings.ContainsFunc(port, unicode.IsLetter) {
		return 0, fmt.Errorf("--port %s: want 1-65535 or a port name", port)
	}
	named, ok := engine.NamedPorts(dst)
	if !ok {
		return 0, fmt.Errorf("--port %s: a port name resolves against the destination's named ports, and --to %s is an address outside the cluster, which has none; give the port number", port, to)
	}
	num, _ := proto.NumberOf()
	var found []uint16
	var others []string
	for _, np := range named {
		switch {
		case np.Name != port:
		case np.Protocol == num:
			if !slices.Contains(found, np.Port) {
				found = append(found, np.Port)
			}
		default:
			others = append(others, protocolName(np.Protocol))
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return 0, fmt.Errorf("--port %s: --to %s has %d %s ports named %s (%s); give the port number", port, to, len(found), proto, port, joinPorts(found))
	case len(others) > 0:
		return 0, fmt.Errorf("--port %s: the port %s of --to %s is %s, not %s; add --protocol %s", port, port, to, strings.Join(others, ", "), proto, others[0])
	}
	return 0, fmt.Errorf("--port %s: --to %s has no port named %s (%s); give the port number, or a name among them", port, to, port, describeNamedPorts(named))
}

func joinPorts(ports []uint16) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ", ")
}

// describeNamedPorts lists named ports as "http=TCP/80, dns=UDP/53".
func describeNamedPorts(ports []policies.NamedPort) string {
	if len(ports) == 0 {
		return "it declares no named ports"
	}
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = p.Name + "=" + protocolName(p.Protocol) + "/" + strconv.Itoa(int(p.Port))
	}
	return "its named ports: " + strings.Join(s, ", ")
}
