package bgp

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	api "github.com/osrg/gobgp/v3/api"
	"github.com/osrg/gobgp/v3/pkg/apiutil"
	"github.com/osrg/gobgp/v3/pkg/packet/bgp"
)

// Advertise originates prefixes (the node's blocks) towards every peer,
// with the node as next hop: GoBGP replaces the unspecified next hop of a
// local route by the session's own address.
func (s *Speaker) Advertise(ctx context.Context, prefixes ...netip.Prefix) error {
	for _, p := range prefixes {
		path, err := localPath(p, false)
		if err != nil {
			return fmt.Errorf("advertise %s: %w", p, err)
		}
		if _, err := s.server.AddPath(ctx, &api.AddPathRequest{TableType: api.TableType_GLOBAL, Path: path}); err != nil {
			return fmt.Errorf("advertise %s: %w", p, err)
		}
	}
	return nil
}

// Withdraw stops originating prefixes; it is not an error to withdraw one
// that is not advertised.
func (s *Speaker) Withdraw(ctx context.Context, prefixes ...netip.Prefix) error {
	for _, p := range prefixes {
		path, err := localPath(p, true)
		if err != nil {
			return fmt.Errorf("withdraw %s: %w", p, err)
		}
		if err := s.server.DeletePath(ctx, &api.DeletePathRequest{TableType: api.TableType_GLOBAL, Path: path}); err != nil {
			return fmt.Errorf("withdraw %s: %w", p, err)
		}
	}
	return nil
}

// localPath is a locally originated unicast route to p, next hop self.
func localPath(p netip.Prefix, withdraw bool) (*api.Path, error) {
	p = p.Masked()
	origin := bgp.NewPathAttributeOrigin(bgp.BGP_ORIGIN_ATTR_TYPE_IGP)
	bits := uint8(p.Bits())
	if p.Addr().Is4() {
		nlri := bgp.NewIPAddrPrefix(bits, p.Addr().String())
		return apiutil.NewPath(nlri, withdraw, []bgp.PathAttributeInterface{origin, bgp.NewPathAttributeNextHop("0.0.0.0")}, time.Now())
	}
	nlri := bgp.NewIPv6AddrPrefix(bits, p.Addr().String())
	reach := bgp.NewPathAttributeMpReachNLRI("::", []bgp.AddrPrefixInterface{nlri})
	return apiutil.NewPath(nlri, withdraw, []bgp.PathAttributeInterface{origin, reach}, time.Now())
}
