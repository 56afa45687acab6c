// Package bgp is the node agent's BGP speaker: GoBGP, embedded, configured
// from the node's topology.NodeTopology as Calico's confd configures BIRD
// (CALICO-SPEC.md §5).
//
// # Promises
//
//   - Start listens on the node's listen port (179 unless set), on every
//     address or, with Options.BindNodeIP (bindMode NodeIP), on the node's
//     addresses only, with the node's router ID and AS.
//   - Reconcile is by difference. Each Session becomes one GoBGP peer
//     (PeerConfig, a pure function); a peer is added when missing, deleted
//     when gone, changed only when its configuration differs, and never
//     touched otherwise: an unrelated change never resets an established
//     session. Timer and TTL changes are applied in place; any other change
//     replaces the peer, which resets its session as BIRD would.
//   - Every peer gets Calico's template settings: connect retry 5 s and
//     error wait 5 s, explicit AFI/SAFI (IPv4 or IPv6 unicast, the session's
//     family), graceful restart with the session's restart time (120 s by
//     default, computed by topology), add-paths, BIRD's hold time (240 s)
//     and keepalive (a third of it, or the session's), eBGP multihop with no
//     hop limit, or GTSM when ttlSecurity is set, the lexical passive rule,
//     route-reflector client and cluster ID, MD5 password, allow-own-AS.
//   - Peers reports each peer's state, since when, its prefixes received
//     and accepted, and its last NOTIFICATION or error, read from GoBGP's
//     log since GoBGP's API does not keep it.
//   - Advertise and Withdraw originate the node's prefixes with the node
//     as next hop.
//   - Graceful restart: a speaker whose process ends (an agent restart)
//     leaves its routes with every peer for the restart time. Stop, for a
//     node leaving, deconfigures every peer with a NOTIFICATION, after
//     which peers without RFC 8538 (BIRD 2.0) drop the routes.
//   - GoBGP's messages go to Options.Logger, quiet unless it is verbose.
//     The package itself never logs, and never serves GoBGP's gRPC API.
//
// Not yet applied: per-session next-hop mode (Self, Keep), BGPFilters and
// communities. GoBGP applies per-neighbour policies to route-server clients
// only, so these need global policies with neighbour-set conditions.
package bgp
