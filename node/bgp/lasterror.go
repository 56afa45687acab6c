package bgp

import (
	"errors"
	"fmt"
	"sync"

	"github.com/go-logr/logr"
	gobgplog "github.com/osrg/gobgp/v3/pkg/log"
	"github.com/osrg/gobgp/v3/pkg/packet/bgp"
)

// lastErrors is the logger GoBGP is given. GoBGP's API reports a peer's
// state but not why it left Established or never reached it; its log does,
// so this adapter keeps, per neighbour, the last NOTIFICATION or error it
// logs, and forwards every message to a logr.Logger.
type lastErrors struct {
	log logr.Logger

	mu     sync.Mutex
	byPeer map[string]peerError
}

// peerError is the last error of a peer. specific is true when it was a
// NOTIFICATION or an error of the current connection attempt, which the
// attempt's generic "session closed" must not hide.
type peerError struct {
	text     string
	specific bool
}

var _ gobgplog.Logger = (*lastErrors)(nil)

func newLastErrors(l logr.Logger) *lastErrors {
	if l.GetSink() == nil {
		l = logr.Discard()
	}
	return &lastErrors{log: l, byPeer: map[string]peerError{}}
}

// get returns the last error recorded for a neighbour address.
func (e *lastErrors) get(addr string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.byPeer[addr].text
}

func (e *lastErrors) record(msg string, fields gobgplog.Fields) {
	addr, ok := fields["Key"].(string)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	last := e.byPeer[addr]
	if msg == "state changed" && fields["new"] == "BGP_FSM_OPENSENT" {
		// A new attempt: its own errors come next.
		last.specific = false
		e.byPeer[addr] = last
		return
	}
	text, specific := describe(msg, fields)
	if text == "" || (last.specific && !specific) {
		return
	}
	e.byPeer[addr] = peerError{text: text, specific: specific}
}

// describe returns the error a GoBGP message about a peer describes, or ""
// when it describes none, and whether it is specific (more than "the
// session closed").
func describe(msg string, fields gobgplog.Fields) (text string, specific bool) {
	switch msg {
	case "received notification":
		code, _ := fields["Code"].(uint8)
		sub, _ := fields["Subcode"].(uint8)
		return "received NOTIFICATION: " + bgp.NewNotificationErrorCode(code, sub).String(), true
	case "sent notification":
		var me *bgp.MessageError
		if err, ok := fields["Data"].(error); ok && errors.As(err, &me) {
			return "sent NOTIFICATION: " + bgp.NewNotificationErrorCode(me.TypeCode, me.SubTypeCode).String() + ": " + me.Message, true
		}
		return fmt.Sprintf("sent NOTIFICATION: %v", fields["Data"]), true
	case "Peer Down":
		return fmt.Sprintf("session down: %v", fields["Reason"]), true
	case "state changed":
		// Before Established GoBGP drops a NOTIFICATION it receives (BIRD's
		// "Bad peer AS") and logs only that the session closed.
		old, _ := fields["old"].(string)
		if fields["new"] == "BGP_FSM_IDLE" && (old == "BGP_FSM_OPENSENT" || old == "BGP_FSM_OPENCONFIRM") {
			return fmt.Sprintf("session closed in %s: %v", fsmName(old), fields["reason"]), false
		}
		return "", false
	}
	for _, k := range []string{"Err", "Error"} {
		if err, ok := fields[k].(error); ok && err != nil {
			return msg + ": " + err.Error(), true
		}
	}
	return "", false
}

func (e *lastErrors) kv(fields gobgplog.Fields) []any {
	kv := make([]any, 0, 2*len(fields))
	for k, v := range fields {
		kv = append(kv, k, v)
	}
	return kv
}

// Panic is called by GoBGP where it cannot go on; it must not return.
func (e *lastErrors) Panic(msg string, fields gobgplog.Fields) {
	e.log.Error(nil, msg, e.kv(fields)...)
	panic("gobgp: " + msg)
}

// Fatal is logged as an error: a library does not end the process.
func (e *lastErrors) Fatal(msg string, fields gobgplog.Fields) {
	e.record(msg, fields)
	e.log.Error(nil, msg, e.kv(fields)...)
}

func (e *lastErrors) Error(msg string, fields gobgplog.Fields) {
	e.record(msg, fields)
	e.log.Error(nil, msg, e.kv(fields)...)
}

func (e *lastErrors) Warn(msg string, fields gobgplog.Fields) {
	e.record(msg, fields)
	e.log.V(1).Info(msg, e.kv(fields)...)
}

func (e *lastErrors) Info(msg string, fields gobgplog.Fields) {
	e.record(msg, fields)
	e.log.V(1).Info(msg, e.kv(fields)...)
}

func (e *lastErrors) Debug(msg string, fields gobgplog.Fields) {
	e.record(msg, fields)
	e.log.V(2).Info(msg, e.kv(fields)...)
}

// SetLevel is ignored: the logr.Logger's verbosity decides.
func (e *lastErrors) SetLevel(gobgplog.LogLevel) {}

// GetLevel is Debug so that GoBGP builds every message; logr filters.
func (e *lastErrors) GetLevel() gobgplog.LogLevel { return gobgplog.DebugLevel }

// fsmName turns GoBGP's BGP_FSM_OPENSENT into OpenSent.
func fsmName(s string) string {
	switch s {
	case "BGP_FSM_OPENSENT":
		return "OpenSent"
	case "BGP_FSM_OPENCONFIRM":
		return "OpenConfirm"
	}
	return s
}
