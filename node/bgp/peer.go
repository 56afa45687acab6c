package bgp

import (
	"net/netip"
	"time"

	api "github.com/osrg/gobgp/v3/api"

	"github.com/tabbynet/tabby/topology"
)

// Timers Calico's BIRD template sets on every session, in seconds, and the
// nearest GoBGP equivalents.
const (
	// connectRetry is BIRD's "connect retry time 5". GoBGP has no connect
	// delay (Calico's "connect delay time 2"): its first attempt waits a
	// random 1–2 s, which is the same bound.
	connectRetry = 5
	// idleHoldAfterReset is the low end of BIRD's "error wait time 5, 30":
	// how long a peer stays idle after an error before trying again.
	idleHoldAfterReset = 5
	// holdTime is BIRD's default hold time, which Calico keeps; the
	// keepalive time defaults to a third of it, as in BIRD.
	holdTime = 240
	// multihopTTL is "multihop" with no hop count: any distance, no check.
	multihopTTL = 255
	// addPathsSendMax is "add paths on" (BIRD sends every path): the number
	// of paths per prefix GoBGP may send when the peer negotiates it.
	addPathsSendMax = 255
)

// PeerConfig returns the GoBGP peer that reproduces s as Calico's BIRD
// template writes it (CALICO-SPEC.md §5). source, when valid, is the TCP
// source address (the node's address of the session's family, for a session
// with SourceAddress); password is the session's MD5 secret, empty for none.
// It is pure: the same arguments give an equal peer.
func PeerConfig(s topology.Session, source netip.Addr, password string) *api.Peer {
	p := &api.Peer{
		Conf: &api.PeerConf{
			NeighborAddress: s.PeerIP.String(),
			PeerAsn:         uint32(s.PeerAS),
			LocalAsn:        uint32(s.LocalAS),
			AuthPassword:    password,
			Description:     s.Source,
		},
		Timers: &api.Timers{Config: timers(s.Keepalive)},
		Transport: &api.Transport{
			PassiveMode: s.Passive,
			RemotePort:  uint32(s.Port),
		},
		GracefulRestart: &api.GracefulRestart{
			Enabled:     true,
			RestartTime: uint32(s.GracefulRestart / time.Second),
			// RFC 8538: a peer that also sets it keeps our routes when we
			// stop with a NOTIFICATION, which GoBGP always sends.
			NotificationEnabled: true,
		},
		AfiSafis: []*api.AfiSafi{afiSafi(s.Family)},
	}
	if source.IsValid() {
		p.Transport.LocalAddress = source.String()
	}
	switch {
	case s.TTLSecurity > 0:
		// "ttl security on; multihop N": send with TTL 255, accept only
		// packets that crossed at most N hops.
		p.TtlSecurity = &api.TtlSecurity{Enabled: true, TtlMin: 256 - uint32(s.TTLSecurity)}
	case s.Multihop && !s.IBGP:
		// GoBGP sends eBGP with TTL 1 unless multihop is on; BIRD's
		// "multihop" has no hop limit. iBGP already uses the system TTL.
		p.EbgpMultihop = &api.EbgpMultihop{Enabled: true, MultihopTtl: multihopTTL}
	}
	if s.RRClient {
		p.RouteReflector = &api.RouteReflector{RouteReflectorClient: true, RouteReflectorClusterId: s.ClusterID}
	}
	if s.AllowLocalAS > 0 {
		p.Conf.AllowOwnAsn = uint32(s.AllowLocalAS)
	}
	return p
}

// timers returns the session timers: Calico's retry timers, and BIRD's hold
// time with the keepalive time given, or a third of the hold time.
func timers(keepalive *time.Duration) *api.TimersConfig {
	t := &api.TimersConfig{
		ConnectRetry:           connectRetry,
		IdleHoldTimeAfterReset: idleHoldAfterReset,
		HoldTime:               holdTime,
		KeepaliveInterval:      holdTime / 3,
	}
	if keepalive != nil {
		t.KeepaliveInterval = uint64(*keepalive / time.Second)
		if 3*t.KeepaliveInterval > t.HoldTime {
			t.HoldTime = 3 * t.KeepaliveInterval
		}
	}
	return t
}

// afiSafi returns the unicast family of a session, 4 or 6, listed
// explicitly (GoBGP otherwise derives it from the neighbour's address), with
// graceful restart and add-paths, as Calico's template sets them per channel.
func afiSafi(family int) *api.AfiSafi {
	f := &api.Family{Afi: api.Family_AFI_IP, Safi: api.Family_SAFI_UNICAST}
	if family == 6 {
		f.Afi = api.Family_AFI_IP6
	}
	return &api.AfiSafi{
		Config:            &api.AfiSafiConfig{Family: f, Enabled: true},
		MpGracefulRestart: &api.MpGracefulRestart{Config: &api.MpGracefulRestartConfig{Enabled: true}},
		AddPaths:          &api.AddPaths{Config: &api.AddPathsConfig{Receive: true, SendMax: addPathsSendMax}},
	}
}
