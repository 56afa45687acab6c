package bgp

import (
	"context"
	"fmt"
	"net/netip"
	"sync"

	"github.com/go-logr/logr"
	api "github.com/osrg/gobgp/v3/api"
	"github.com/osrg/gobgp/v3/pkg/server"

	"github.com/tabbynet/tabby/topology"
)

// defaultPort is BGP's port, which a node without listenPort uses.
const defaultPort = 179

// Options are the node settings a Speaker needs that are not BGP topology.
type Options struct {
	// NodeIPs are the node's addresses, at most one per family. A session
	// with SourceAddress uses the one of its family as TCP source.
	NodeIPs []netip.Addr
	// BindNodeIP is bindMode NodeIP: listen on NodeIPs only, not on every
	// address of the host.
	BindNodeIP bool
	// Logger receives GoBGP's messages: errors as errors, the rest at
	// V(1). The zero Logger discards them.
	Logger logr.Logger
}

// Speaker is the node's BGP speaker: an embedded GoBGP server whose peers
// Reconcile keeps equal to a NodeTopology. Its methods are safe for
// concurrent use.
type Speaker struct {
	server *server.BgpServer
	errors *lastErrors
	opts   Options

	mu sync.Mutex
	// applied holds, by neighbour address, the peer configuration last
	// given to GoBGP, password included.
	applied map[string]*api.Peer
}

// Start starts a speaker with the node's router ID, AS and listen port, and
// no peer. It listens on every address, or on Options.NodeIPs with
// BindNodeIP.
func Start(ctx context.Context, node topology.NodeTopology, opts Options) (*Speaker, error) {
	if !node.RouterID.Is4() {
		return nil, fmt.Errorf("start bgp speaker for node %q: router ID %v is not an IPv4 address", node.Node, node.RouterID)
	}
	port := int32(node.ListenPort)
	if port == 0 {
		port = defaultPort
	}
	global := &api.Global{
		Asn:             uint32(node.LocalAS),
		RouterId:        node.RouterID.String(),
		ListenPort:      port,
		GracefulRestart: &api.GracefulRestart{Enabled: true, NotificationEnabled: true},
	}
	if opts.BindNodeIP {
		if len(opts.NodeIPs) == 0 {
			return nil, fmt.Errorf("start bgp speaker for node %q: bindMode NodeIP needs the node's addresses", node.Node)
		}
		for _, a := range opts.NodeIPs {
			global.ListenAddresses = append(global.ListenAddresses, a.String())
		}
	}
	errs := newLastErrors(opts.Logger)
	s := server.NewBgpServer(server.LoggerOption(errs))
	go s.Serve()
	if err := s.StartBgp(ctx, &api.StartBgpRequest{Global: global}); err != nil {
		s.Stop()
		return nil, fmt.Errorf("start bgp speaker for node %q: %w", node.Node, err)
	}
	return &Speaker{server: s, errors: errs, opts: opts, applied: map[string]*api.Peer{}}, nil
}

// Stop deconfigures every peer and closes the listeners: it is for a node
// leaving. GoBGP ends each session with a NOTIFICATION (Cease, peer
// de-configured), after which a peer drops the node's routes, unless it
// negotiated RFC 8538 (BIRD 2.0 does not). To restart without dropping
// traffic, end the process without Stop: the kernel closes the sessions
// with no NOTIFICATION and every peer, offered graceful restart, keeps the
// routes for the session's restart time.
func (s *Speaker) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.server.StopBgp(ctx, &api.StopBgpRequest{}); err != nil {
		return fmt.Errorf("stop bgp speaker: %w", err)
	}
	s.applied = map[string]*api.Peer{}
	return nil
}

// source returns the node address of a family, or the zero Addr.
func (s *Speaker) source(family int) netip.Addr {
	for _, a := range s.opts.NodeIPs {
		if (family == 4) == a.Is4() {
			return a
		}
	}
	return netip.Addr{}
}
