package bgp

import (
	"net/netip"
	"testing"
	"time"

	api "github.com/osrg/gobgp/v3/api"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/topology"
)

func ptr[T any](v T) *T { return &v }

// ebgp is a global eBGP peer to a ToR, as topology computes it.
func ebgp() topology.Session {
	return topology.Session{
		PeerIP: netip.MustParseAddr("10.0.0.2"), Port: 179, Family: 4,
		PeerAS: 65001, LocalAS: 64512, Type: v3.BGPPeerTypeGlobalPeer, Source: "tor",
		NextHop: v3.NextHopModeAuto, Multihop: true, GracefulRestart: 120 * time.Second,
	}
}

func afi(afi api.Family_Afi) []*api.AfiSafi {
	return []*api.AfiSafi{{
		Config:            &api.AfiSafiConfig{Family: &api.Family{Afi: afi, Safi: api.Family_SAFI_UNICAST}, Enabled: true},
		MpGracefulRestart: &api.MpGracefulRestart{Config: &api.MpGracefulRestartConfig{Enabled: true}},
		AddPaths:          &api.AddPaths{Config: &api.AddPathsConfig{Receive: true, SendMax: 255}},
	}}
}

// want is the GoBGP peer of ebgp(), which each case changes.
func want() *api.Peer {
	return &api.Peer{
		Conf:            &api.PeerConf{NeighborAddress: "10.0.0.2", PeerAsn: 65001, LocalAsn: 64512, Description: "tor"},
		Timers:          &api.Timers{Config: &api.TimersConfig{ConnectRetry: 5, IdleHoldTimeAfterReset: 5, HoldTime: 240, KeepaliveInterval: 80}},
		Transport:       &api.Transport{RemotePort: 179},
		GracefulRestart: &api.GracefulRestart{Enabled: true, RestartTime: 120, NotificationEnabled: true},
		AfiSafis:        afi(api.Family_AFI_IP),
		EbgpMultihop:    &api.EbgpMultihop{Enabled: true, MultihopTtl: 255},
	}
}

func TestPeerConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		session  func(*topology.Session)
		source   netip.Addr
		password string
		want     func(*api.Peer)
	}{{
		name: "eBGP is multihop with no hop limit, connect retry 5 s, error wait 5 s",
	}, {
		name:    "iBGP uses the system TTL: multihop is eBGP's",
		session: func(s *topology.Session) { s.PeerAS, s.IBGP = 64512, true },
		want:    func(p *api.Peer) { p.Conf.PeerAsn, p.EbgpMultihop = 64512, nil },
	}, {
		name:    "ttlSecurity N is GTSM: TTL 255 sent, at least 256-N accepted, no multihop",
		session: func(s *topology.Session) { s.TTLSecurity = 2 },
		want:    func(p *api.Peer) { p.EbgpMultihop, p.TtlSecurity = nil, &api.TtlSecurity{Enabled: true, TtlMin: 254} },
	}, {
		name:    "the lexically smaller side is passive",
		session: func(s *topology.Session) { s.Passive = true },
		want:    func(p *api.Peer) { p.Transport.PassiveMode = true },
	}, {
		name: "a route reflector's client carries the reflector's cluster ID",
		session: func(s *topology.Session) {
			s.PeerAS, s.IBGP, s.RRClient, s.ClusterID = 64512, true, true, "224.0.0.1"
		},
		want: func(p *api.Peer) {
			p.Conf.PeerAsn, p.EbgpMultihop = 64512, nil
			p.RouteReflector = &api.RouteReflector{RouteReflectorClient: true, RouteReflectorClusterId: "224.0.0.1"}
		},
	}, {
		name:     "a password is MD5",
		session:  func(s *topology.Session) { s.Password = true },
		password: "s3cret",
		want:     func(p *api.Peer) { p.Conf.AuthPassword = "s3cret" },
	}, {
		name:    "keepaliveTime sets the keepalive and keeps BIRD's hold time",
		session: func(s *topology.Session) { s.Keepalive = ptr(10 * time.Second) },
		want:    func(p *api.Peer) { p.Timers.Config.KeepaliveInterval = 10 },
	}, {
		name:    "a keepalive above a third of the hold time raises the hold time",
		session: func(s *topology.Session) { s.Keepalive = ptr(100 * time.Second) },
		want:    func(p *api.Peer) { p.Timers.Config.KeepaliveInterval, p.Timers.Config.HoldTime = 100, 300 },
	}, {
		name:    "maxRestartTime is the graceful-restart time",
		session: func(s *topology.Session) { s.GracefulRestart = 300 * time.Second },
		want:    func(p *api.Peer) { p.GracefulRestart.RestartTime = 300 },
	}, {
		name:    "a port is the peer's",
		session: func(s *topology.Session) { s.Port = 1179 },
		want:    func(p *api.Peer) { p.Transport.RemotePort = 1179 },
	}, {
		name:   "a source address pins the TCP source",
		source: netip.MustParseAddr("10.0.0.1"),
		want:   func(p *api.Peer) { p.Transport.LocalAddress = "10.0.0.1" },
	}, {
		name:    "allow local as N",
		session: func(s *topology.Session) { s.AllowLocalAS = 2 },
		want:    func(p *api.Peer) { p.Conf.AllowOwnAsn = 2 },
	}, {
		name: "an IPv6 session lists IPv6 unicast only",
		session: func(s *topology.Session) {
			s.PeerIP, s.Family = netip.MustParseAddr("fd00::2"), 6
		},
		want: func(p *api.Peer) { p.Conf.NeighborAddress, p.AfiSafis = "fd00::2", afi(api.Family_AFI_IP6) },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s := ebgp()
			if tc.session != nil {
				tc.session(&s)
			}
			w := want()
			if tc.want != nil {
				tc.want(w)
			}
			got := PeerConfig(s, tc.source, tc.password)
			if diff := cmp.Diff(w, got, protocmp.Transform()); diff != "" {
				t.Errorf("PeerConfig (-want +got):\n%s", diff)
			}
			if again := PeerConfig(s, tc.source, tc.password); !proto.Equal(got, again) {
				t.Errorf("PeerConfig is not deterministic")
			}
		})
	}
}

func TestInPlace(t *testing.T) {
	base := PeerConfig(ebgp(), netip.Addr{}, "")
	for _, tc := range []struct {
		name   string
		change func(*topology.Session)
		want   bool
	}{
		{"keepalive", func(s *topology.Session) { s.Keepalive = ptr(10 * time.Second) }, true},
		{"ttl security", func(s *topology.Session) { s.TTLSecurity = 1 }, true},
		{"peer AS", func(s *topology.Session) { s.PeerAS = 65002 }, false},
		{"passive", func(s *topology.Session) { s.Passive = true }, false},
		{"password", func(s *topology.Session) { s.Password = true }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ebgp()
			tc.change(&s)
			pw := ""
			if s.Password {
				pw = "x"
			}
			if got := inPlace(base, PeerConfig(s, netip.Addr{}, pw)); got != tc.want {
				t.Errorf("inPlace = %v, want %v", got, tc.want)
			}
		})
	}
}
