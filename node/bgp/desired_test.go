package bgp

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/topology"
)

func TestDesired(t *testing.T) {
	s := &Speaker{opts: Options{NodeIPs: []netip.Addr{netip.MustParseAddr("fd00::1"), netip.MustParseAddr("10.0.0.1")}}}
	pinned := ebgp()
	pinned.SourceAddress = true
	secret := ebgp()
	secret.PeerIP, secret.Password = netip.MustParseAddr("10.0.0.3"), true
	failing := ebgp()
	failing.PeerIP, failing.Password, failing.Source = netip.MustParseAddr("10.0.0.4"), true, "vault"
	second := ebgp()
	second.Port, second.Source = 1179, "other"
	node := topology.NodeTopology{Sessions: []topology.Session{pinned, second, secret, failing}}

	want, errs := s.desired(node, func(sess topology.Session) (string, error) {
		if sess.Source == "vault" {
			return "", errors.New("secret not found")
		}
		return "s3cret", nil
	})
	if got := want["10.0.0.2"].GetTransport().GetLocalAddress(); got != "10.0.0.1" {
		t.Errorf("source of a SourceAddress session = %q, want the node's IPv4 address", got)
	}
	if got := want["10.0.0.3"].GetConf().GetAuthPassword(); got != "s3cret" {
		t.Errorf("password = %q", got)
	}
	if _, ok := want["10.0.0.4"]; ok {
		t.Error("a session whose password failed was configured")
	}
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "same address") || !strings.Contains(errs[1].Error(), "secret not found") {
		t.Errorf("errors = %v, want the duplicate address and the failed password", errs)
	}

	if _, errs := s.desired(topology.NodeTopology{Sessions: []topology.Session{secret}}, nil); len(errs) != 1 {
		t.Errorf("a password with no source: errors %v, want one", errs)
	}
}
