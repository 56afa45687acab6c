package netlab

import (
	"net/netip"
	"testing"
	"time"
)

// sessionUp bounds how long a session may take to come up.
const sessionUp = 30 * time.Second

func TestBirdPeersWithBird(t *testing.T) {
	lab := New(t)
	a, b := lab.Namespace(), lab.Namespace()
	aIP, bIP := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	lab.Link(a, []netip.Prefix{netip.PrefixFrom(aIP, 30)}, b, []netip.Prefix{netip.PrefixFrom(bIP, 30)})
	route := netip.MustParsePrefix("192.0.2.0/24")
	ba := lab.Bird(a, BirdBGP("peer", aIP, aIP, 65001, bIP, 65002, route))
	bb := lab.Bird(b, BirdBGP("peer", bIP, bIP, 65002, aIP, 65001))
	lab.Eventually(sessionUp, "session between two BIRDs established", func() (bool, string) {
		p, err := ba.Protocol("peer")
		return err == nil && p.Established(), "" + p.BGPState + " " + p.LastError + errText(err)
	})
	lab.Eventually(sessionUp, "route from the first BIRD in the second", func() (bool, string) {
		r, err := bb.Routes()
		return err == nil && HasRoute(r, route), errText(err)
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return " " + err.Error()
}
