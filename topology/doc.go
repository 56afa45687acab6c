// Package topology computes the BGP sessions every node of a cluster should
// run, and what each node advertises, from the cluster's Calico objects, as
// Calico's confd and BIRD templates compute them (CALICO-SPEC.md §5). The
// pull-request review compares it between two revisions, the drift report
// compares it with what nodes actually run, and the node agent runs this very
// function to configure its BGP speaker: there is one implementation.
// Compute gives every node; ComputeNode gives one node the same answer
// without computing the others' sessions, for the agent; ComputePeers
// gives every node the sessions BGPPeers make, without the mesh's and
// without advertised routes, for validation.
//
// # Promises
//
//   - Pure: no logging, clock, network, file access or panics.
//   - Deterministic: the same Input gives the same Topology, whatever the
//     order of the Input's slices. Nodes are sorted by name, sessions by
//     peer address, then port, type and source; every other list is sorted
//     or kept in the order its manifest gives it (filters, communities).
//   - Compute never fails. What it cannot use (a selector that does not
//     parse, a peerIP that is not an address, a node without a BGP address)
//     is left out and described in Topology.Problems.
//   - Secrets never appear: a session says whether it has a password, never
//     which.
//   - The Topology is a fresh value: Compute keeps no reference to it and it
//     shares no slice or map with the Input.
//
// # Sessions
//
// A node's sessions are the BIRD protocols confd would write for it, in the
// same three groups and with the same precedence:
//
//   - Mesh (type NodeMesh), when nodeToNodeMeshEnabled is unset or true: one
//     session per family to every other node with an address of that family,
//     except that route reflectors (nodes with a routeReflectorClusterID)
//     neither make mesh sessions nor are mesh targets.
//   - Global peers (type GlobalPeer): BGPPeers with neither node nor
//     nodeSelector, for every node. Global peerings are keyed by peer
//     address and port across the cluster; when two global BGPPeers give the
//     same key, the first by name is kept (Calico keeps whichever its map
//     iteration meets first) and the collision is a Problem.
//   - Node-specific peers (type NodePeer): BGPPeers with node or
//     nodeSelector, then the automatic reverse peerings, keyed by node, peer
//     address and port. A key a global peering already holds is skipped, as
//     is a key an earlier BGPPeer (by name) already holds on that node; a
//     reverse peering never replaces an explicit one.
//
// NodeTopology.Skipped lists the peerings a BGPPeer loses on a node, each a
// Skip naming the BGPPeer, the key, the reason and, when another BGPPeer
// holds the key, that BGPPeer: a peerIP peering for any reason, a
// peerSelector one when another BGPPeer holds its key, never a reverse
// peering. A peering to the node's own address, or of a family the node
// has no address in, is skipped for that reason whoever holds its key: it
// would give no session either way. Every session names the BGPPeer that
// made it (Session.Peer, empty for the mesh) and whether it is that
// BGPPeer's reverse peering (Session.Reverse).
//
// A peerSelector gives one session per selected node and family where both
// nodes have an address; its peer AS is the remote node's, its port the
// remote node's listen port. A peerIP gives one session; without a port, and
// if its address and AS are a Calico node's, that node's listen port. A
// session to the node's own address is skipped. Unless reversePeering is
// Manual, the nodes a peerSelector selects peer back with the BGPPeer's node
// or nodeSelector nodes (every node for a global peer), and a Calico node
// whose address and AS a peerIP names (and listen port, when the peerIP has
// one) peers back with them, in that address's family only. Reverse
// peerings are NodePeer sessions whose Source is "reverse of <peer>"; they
// carry the BGPPeer's session settings except localASNumber and reachableBy,
// which describe the forward direction.
//
// The lexical passive rule makes a node passive toward a Calico node whose
// address, as a string, compares greater than its own ("10.0.0.9" >
// "10.0.0.10"), so that the other side initiates. It applies to mesh and
// global sessions with a Calico node, not to node-specific ones (BIRD's
// templates emit "passive on" only in those two groups).
//
// A route reflector sets "rr client" and its cluster ID toward every iBGP
// peer (peer AS equal to the session's local AS) whose cluster ID is unset
// or different. Only peers derived from a node (peerSelector and reverse
// peerings) carry the remote node's cluster ID: a peerIP peer has none, even
// when its address is another reflector's, so a reflector reached by peerIP
// is treated as a client, as confd does.
//
// # Advertised routes
//
// NodeTopology.Advertised lists, per family the node has an address in:
//
//   - the IPAM blocks affine to the node, when Input.Blocks is not nil
//     (Calico's block aggregation exports each block, not the addresses in
//     it). When Input.Blocks is nil, block state is unknown and the CIDRs of
//     the pools the node may allocate from stand for its blocks: enabled
//     pools whose nodeSelector selects the node and whose allowedUses
//     include Workload or Tunnel;
//   - the serviceClusterIPs of the default BGPConfiguration, which every
//     node advertises;
//
// minus anything inside a pool with disableBGPExport. Not modelled, because
// they depend on cluster state Git does not hold: serviceExternalIPs and
// serviceLoadBalancerIPs (advertised per Service, depending on
// externalTrafficPolicy and ready endpoints), the /32 routes of borrowed
// addresses, static routes, the CALICO_ADVERTISE_CLUSTER_IPS environment
// variable, and sessions with local workloads (localWorkloadSelector), which
// depend on running pods and are reported as a Problem.
//
// NodeTopology.Communities maps each prefixAdvertisements CIDR to the
// community values BIRD adds to any exported route inside it; names are
// resolved through the communities lists. A node.<name> BGPConfiguration
// with prefix advertisements of a family replaces the default's for that
// family.
package topology
