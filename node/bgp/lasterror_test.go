package bgp

import (
	"errors"
	"testing"

	"github.com/go-logr/logr"
	api "github.com/osrg/gobgp/v3/api"
	gobgplog "github.com/osrg/gobgp/v3/pkg/log"
	"github.com/osrg/gobgp/v3/pkg/packet/bgp"
)

// logged is one message as GoBGP logs it.
type logged struct {
	msg    string
	fields gobgplog.Fields
}

func TestLastErrors(t *testing.T) {
	const peer = "10.0.0.2"
	closed := logged{"state changed", gobgplog.Fields{"Key": peer, "old": "BGP_FSM_OPENSENT", "new": "BGP_FSM_IDLE", "reason": "invalid-msg"}}
	attempt := logged{"state changed", gobgplog.Fields{"Key": peer, "old": "BGP_FSM_ACTIVE", "new": "BGP_FSM_OPENSENT"}}
	sent := logged{"sent notification", gobgplog.Fields{"Key": peer, "Data": bgp.NewMessageError(bgp.BGP_ERROR_OPEN_MESSAGE_ERROR, bgp.BGP_ERROR_SUB_BAD_PEER_AS, nil, "as number mismatch expected 65009, received 65001")}}
	received := logged{"received notification", gobgplog.Fields{"Key": peer, "Code": uint8(bgp.BGP_ERROR_CEASE), "Subcode": uint8(bgp.BGP_ERROR_SUB_PEER_DECONFIGURED)}}
	for _, tc := range []struct {
		name string
		log  []logged
		want string
	}{{
		name: "nothing logged, no error",
	}, {
		name: "a NOTIFICATION sent is named by code and subcode",
		log:  []logged{attempt, sent, closed},
		want: "sent NOTIFICATION: code 2(open) subcode 2(bad peer as): as number mismatch expected 65009, received 65001",
	}, {
		name: "a closed attempt alone says where it closed",
		log:  []logged{attempt, closed},
		want: "session closed in OpenSent: invalid-msg",
	}, {
		name: "a new attempt's close replaces the previous attempt's NOTIFICATION",
		log:  []logged{attempt, sent, closed, attempt, closed},
		want: "session closed in OpenSent: invalid-msg",
	}, {
		name: "a NOTIFICATION received once established",
		log:  []logged{received},
		want: "received NOTIFICATION: code 6(cease) subcode 3(peer deconfigured)",
	}, {
		name: "an error of another peer is not this one's",
		log:  []logged{{"failed to set md5", gobgplog.Fields{"Key": "10.0.0.9", "Err": errors.New("x")}}},
	}, {
		name: "state changes that are not failures record nothing",
		log:  []logged{attempt, {"state changed", gobgplog.Fields{"Key": peer, "old": "BGP_FSM_OPENCONFIRM", "new": "BGP_FSM_ESTABLISHED"}}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newLastErrors(logr.Discard())
			for _, l := range tc.log {
				e.Debug(l.msg, l.fields)
			}
			if got := e.get(peer); got != tc.want {
				t.Errorf("last error = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSessionState(t *testing.T) {
	if got := sessionState(api.PeerState_OPENCONFIRM); got != "OpenConfirm" {
		t.Errorf("sessionState(OPENCONFIRM) = %q", got)
	}
}
