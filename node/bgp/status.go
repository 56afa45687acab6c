package bgp

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	api "github.com/osrg/gobgp/v3/api"
)

// PeerStatus is what the speaker reports about one peer.
type PeerStatus struct {
	Address netip.Addr
	PeerAS  uint32
	// State is the BGP FSM state: Idle, Connect, Active, OpenSent,
	// OpenConfirm or Established.
	State string
	// Since is when the session reached Established, in State
	// Established; otherwise when it last left it, or the zero Time if it
	// never was up. GoBGP keeps whole seconds.
	Since time.Time
	// LastError is the last NOTIFICATION sent or received, or the last
	// error, e.g. "sent NOTIFICATION: code 2(open) subcode 2(bad peer as):
	// ...". It stays after the session comes up, as BIRD's does. GoBGP
	// drops the code of a NOTIFICATION received before Established (the
	// peer refusing our OPEN), so that case reads "received NOTIFICATION
	// (...): session closed in OpenSent: invalid-msg".
	LastError string
	// Received and Accepted count the prefixes in the peer's Adj-RIB-In,
	// over its families.
	Received, Accepted uint64
}

// Established reports whether the session is up.
func (p PeerStatus) Established() bool { return p.State == "Established" }

// Peers returns the status of every configured peer, sorted by address.
func (s *Speaker) Peers(ctx context.Context) ([]PeerStatus, error) {
	var out []PeerStatus
	var bad error
	err := s.server.ListPeer(ctx, &api.ListPeerRequest{}, func(p *api.Peer) {
		st, err := s.status(p)
		if err != nil && bad == nil {
			bad = err
		}
		out = append(out, st)
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, fmt.Errorf("list bgp peers: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address.Less(out[j].Address) })
	return out, nil
}

func (s *Speaker) status(p *api.Peer) (PeerStatus, error) {
	addr, err := netip.ParseAddr(p.GetConf().GetNeighborAddress())
	if err != nil {
		return PeerStatus{}, err
	}
	st := PeerStatus{
		Address:   addr,
		PeerAS:    p.GetConf().GetPeerAsn(),
		State:     sessionState(p.GetState().GetSessionState()),
		LastError: s.errors.get(addr.String()),
	}
	if n := p.GetState().GetMessages().GetReceived().GetNotification(); n > 0 && strings.HasPrefix(st.LastError, "session closed in") {
		st.LastError = fmt.Sprintf("received NOTIFICATION (%d so far; GoBGP does not keep the code of one received before Established): %s", n, st.LastError)
	}
	ts := p.GetTimers().GetState()
	since := ts.GetDowntime()
	if st.Established() {
		since = ts.GetUptime()
	}
	if since.GetSeconds() > 0 {
		st.Since = since.AsTime()
	}
	for _, af := range p.GetAfiSafis() {
		st.Received += af.GetState().GetReceived()
		st.Accepted += af.GetState().GetAccepted()
	}
	return st, nil
}

// sessionState turns GoBGP's enum (SESSION_STATE_OPENSENT) into the RFC 4271
// name (OpenSent).
func sessionState(s api.PeerState_SessionState) string {
	switch s {
	case api.PeerState_IDLE:
		return "Idle"
	case api.PeerState_CONNECT:
		return "Connect"
	case api.PeerState_ACTIVE:
		return "Active"
	case api.PeerState_OPENSENT:
		return "OpenSent"
	case api.PeerState_OPENCONFIRM:
		return "OpenConfirm"
	case api.PeerState_ESTABLISHED:
		return "Established"
	}
	return strings.ToLower(s.String())
}
