package topology

import (
	"math"
	"net/netip"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// defaultGracefulRestart is BIRD's graceful-restart time, which Calico
// leaves in place unless maxRestartTime or nodeMeshMaxRestartTime is set.
const defaultGracefulRestart = 120 * time.Second

// settings are the per-session settings a BGPPeer (or the mesh) gives.
type settings struct {
	source string
	// peer is the BGPPeer's name, "" for the mesh; reverse is set on the
	// settings of its automatic reverse peerings.
	peer    string
	reverse bool
	// localAS overrides the node's AS when set (BGPPeer localASNumber).
	localAS             numorstring.ASNumber
	hasLocalAS          bool
	nextHopMode         v3.NextHopMode // "" when unset
	keepOriginalNextHop bool
	password            bool
	sourceAddress       bool
	gracefulRestart     time.Duration
	keepalive           *time.Duration
	allowLocalAS        int32
	ttlSecurity         uint8
	filters             []string
	reachableBy         netip.Addr
}

// meshSettings are the settings of every mesh session.
func meshSettings(cfg *v3.BGPConfiguration) *settings {
	s := &settings{source: "mesh", sourceAddress: true, gracefulRestart: defaultGracefulRestart}
	if cfg != nil {
		s.password = hasSecret(cfg.Spec.NodeMeshPassword)
		if cfg.Spec.NodeMeshMaxRestartTime != nil {
			s.gracefulRestart = wholeSeconds(cfg.Spec.NodeMeshMaxRestartTime)
		}
	}
	return s
}

// peerSettings reads a BGPPeer's session settings. Filters that do not
// exist are left out and reported.
func (c *cluster) peerSettings(p *v3.BGPPeer) *settings {
	spec := &p.Spec
	s := &settings{
		source:              p.Name,
		peer:                p.Name,
		keepOriginalNextHop: spec.KeepOriginalNextHop,
		password:            hasSecret(spec.Password),
		sourceAddress:       spec.SourceAddress == "" || spec.SourceAddress == v3.SourceAddressUseNodeIP,
		gracefulRestart:     defaultGracefulRestart,
	}
	if spec.LocalASNumber != nil && *spec.LocalASNumber != 0 {
		s.localAS, s.hasLocalAS = *spec.LocalASNumber, true
	}
	if spec.NextHopMode != nil {
		s.nextHopMode = *spec.NextHopMode
	}
	if spec.MaxRestartTime != nil {
		s.gracefulRestart = wholeSeconds(spec.MaxRestartTime)
	}
	if spec.KeepaliveTime != nil {
		d := wholeSeconds(spec.KeepaliveTime)
		s.keepalive = &d
	}
	if n := spec.NumAllowedLocalASNumbers; n != nil && *n > 0 {
		s.allowLocalAS = *n
	}
	if spec.TTLSecurity != nil {
		s.ttlSecurity = *spec.TTLSecurity
	}
	for _, f := range spec.Filters {
		if c.filters[f] {
			s.filters = append(s.filters, f)
		} else {
			c.problems.addf("BGPPeer %s names BGPFilter %q, which does not exist: Calico applies no filter in its place; create it or remove it from filters", p.Name, f)
		}
	}
	if spec.ReachableBy != "" {
		if a, err := netip.ParseAddr(spec.ReachableBy); err == nil && a.Zone() == "" {
			s.reachableBy = a.Unmap()
		} else {
			c.problems.addf("BGPPeer %s: reachableBy %q is not an IP address; no static route to the peer is modelled", p.Name, spec.ReachableBy)
		}
	}
	return s
}

// reversed returns the settings of the reverse peerings of a BGPPeer: the
// same, less what describes the forward direction only.
func (s *settings) reversed() *settings {
	r := *s
	r.source = "reverse of " + s.source
	r.reverse = true
	r.localAS, r.hasLocalAS = 0, false
	r.reachableBy = netip.Addr{}
	return &r
}

func hasSecret(p *v3.BGPPassword) bool {
	return p != nil && p.SecretKeyRef != nil
}

// wholeSeconds rounds a duration to whole seconds, as confd does.
func wholeSeconds(d *metav1.Duration) time.Duration {
	return time.Duration(math.Round(d.Seconds())) * time.Second
}
