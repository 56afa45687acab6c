package bgp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"

	api "github.com/osrg/gobgp/v3/api"
	"google.golang.org/protobuf/proto"

	"github.com/tabbynet/tabby/topology"
)

// Reconcile makes the speaker's peers those of desired: it adds the
// sessions that are missing, deletes those that are gone and changes only
// those whose configuration differs. A peer whose configuration is unchanged
// is not touched, so its session stays up. passwords returns the MD5 secret
// of a session with Password set.
//
// A change GoBGP applies in place (timers, multihop, TTL security) keeps the
// session; any other change (AS, address family, password, passive mode,
// port, source, route-reflector client, graceful restart) resets it, as it
// does in BIRD. Reconcile goes on past a failing peer and returns every
// error, joined.
func (s *Speaker) Reconcile(ctx context.Context, desired topology.NodeTopology, passwords func(topology.Session) (string, error)) error {
	want, errs := s.desired(desired, passwords)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, addr := range sortedKeys(s.applied) {
		if _, ok := want[addr]; ok {
			continue
		}
		if err := s.server.DeletePeer(ctx, &api.DeletePeerRequest{Address: addr}); err != nil {
			errs = append(errs, fmt.Errorf("reconcile bgp peer %s: delete: %w", addr, err))
			continue
		}
		delete(s.applied, addr)
	}
	for _, addr := range sortedKeys(want) {
		if err := s.apply(ctx, want[addr]); err != nil {
			errs = append(errs, fmt.Errorf("reconcile bgp peer %s: %w", addr, err))
		}
	}
	return errors.Join(errs...)
}

// desired returns the peer configuration of every session, by neighbour
// address, and the sessions it could not configure.
func (s *Speaker) desired(node topology.NodeTopology, passwords func(topology.Session) (string, error)) (map[string]*api.Peer, []error) {
	want := make(map[string]*api.Peer, len(node.Sessions))
	var errs []error
	for _, sess := range node.Sessions {
		addr := sess.PeerIP.String()
		if _, dup := want[addr]; dup {
			// GoBGP keys peers by address alone; topology sorts sessions,
			// so the first one is kept whatever the input order.
			errs = append(errs, fmt.Errorf("reconcile bgp peer %s: a second session (%s, port %d) to the same address is not supported", addr, sess.Source, sess.Port))
			continue
		}
		var password string
		if sess.Password {
			if passwords == nil {
				errs = append(errs, fmt.Errorf("reconcile bgp peer %s: session %s has a password and no password source was given", addr, sess.Source))
				continue
			}
			p, err := passwords(sess)
			if err != nil {
				errs = append(errs, fmt.Errorf("reconcile bgp peer %s: password of %s: %w", addr, sess.Source, err))
				continue
			}
			password = p
		}
		var source netip.Addr
		if sess.SourceAddress {
			source = s.source(sess.Family)
		}
		want[addr] = PeerConfig(sess, source, password)
	}
	return want, errs
}

// apply adds, updates or leaves alone one peer, with s.mu held.
func (s *Speaker) apply(ctx context.Context, p *api.Peer) error {
	addr := p.Conf.NeighborAddress
	running, ok := s.applied[addr]
	switch {
	case !ok:
		if err := s.server.AddPeer(ctx, &api.AddPeerRequest{Peer: p}); err != nil {
			return fmt.Errorf("add: %w", err)
		}
	case proto.Equal(running, p):
		return nil
	case inPlace(running, p):
		if _, err := s.server.UpdatePeer(ctx, &api.UpdatePeerRequest{Peer: p}); err != nil {
			return fmt.Errorf("update: %w", err)
		}
	default:
		// UpdatePeer ignores transport and password changes: replace.
		if err := s.server.DeletePeer(ctx, &api.DeletePeerRequest{Address: addr}); err != nil {
			return fmt.Errorf("replace: delete: %w", err)
		}
		delete(s.applied, addr)
		if err := s.server.AddPeer(ctx, &api.AddPeerRequest{Peer: p}); err != nil {
			return fmt.Errorf("replace: add: %w", err)
		}
	}
	s.applied[addr] = p
	return nil
}

// inPlace reports whether a and b differ only in what GoBGP's UpdatePeer
// changes without a new OPEN: timers, eBGP multihop and TTL security.
func inPlace(a, b *api.Peer) bool {
	strip := func(p *api.Peer) *api.Peer {
		c := proto.CloneOf(p)
		c.Timers, c.EbgpMultihop, c.TtlSecurity = nil, nil, nil
		return c
	}
	return proto.Equal(strip(a), strip(b))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
