package plan

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/topology"
)

// bgp compares the sessions every node runs in base and head.
func (b *builder) bgp() {
	baseIn := topology.InputFromObjects(append(b.base.Objects[:len(b.base.Objects):len(b.base.Objects)], b.in.Cluster...))
	headIn := topology.InputFromObjects(append(b.head.Objects[:len(b.head.Objects):len(b.head.Objects)], b.in.Cluster...))
	before, after := topology.Compute(baseIn), topology.Compute(headIn)
	imp := &b.r.BGP
	imp.Nodes = len(after.Nodes)
	imp.FullMeshPairs = imp.Nodes * (imp.Nodes - 1) / 2
	imp.Before, imp.After = countsOf(before, baseIn), countsOf(after, headIn)
	imp.Problems = newStrings(before.Problems, after.Problems)
	b.meshRisk()
	if imp.Nodes == 0 {
		return
	}
	names := map[string]bool{}
	for _, n := range before.Nodes {
		names[n.Node] = true
	}
	for _, n := range after.Nodes {
		names[n.Node] = true
	}
	for _, name := range sortedKeys(names) {
		nb, _ := before.Node(name)
		na, inHead := after.Node(name)
		if ni, changed := compareNode(nb, na); changed {
			imp.Changed = append(imp.Changed, ni)
		}
		if inHead && len(na.Sessions) == 0 {
			imp.Isolated = append(imp.Isolated, name)
		}
	}
	imp.FabricConflicts = fabricConflicts(after, b.head.Objects)
	for _, n := range imp.Changed {
		b.r.Summary.Sessions.Added += len(n.Added)
		b.r.Summary.Sessions.Removed += len(n.Removed)
		b.r.Summary.Sessions.Changed += len(n.Changed)
	}
	b.bgpRisks()
}

// countsOf counts a topology's sessions.
func countsOf(t topology.Topology, in topology.Input) Counts {
	c := Counts{Sessions: t.SessionCount(), NodePairs: len(t.Pairs()), Mesh: true}
	if in.Config != nil && in.Config.Spec.NodeToNodeMeshEnabled != nil {
		c.Mesh = *in.Config.Spec.NodeToNodeMeshEnabled
	}
	for _, n := range t.Nodes {
		if n.RouteReflector {
			c.RouteReflectors++
		}
		for _, s := range n.Sessions {
			if s.PeerNode == "" {
				c.External++
			}
		}
	}
	return c
}

// compareNode returns how a node's sessions change from nb to na (either
// may be the zero NodeTopology: the node is new, or gone).
func compareNode(nb, na topology.NodeTopology) (NodeImpact, bool) {
	ni := NodeImpact{Node: nb.Node, Before: len(nb.Sessions), After: len(na.Sessions)}
	if ni.Node == "" {
		ni.Node = na.Node
	}
	ni.Role = roleChange(nb, na)
	bs, as := sessionsByID(nb.Sessions), sessionsByID(na.Sessions)
	for _, id := range sortedIDs(as) {
		a := as[id]
		s, ok := bs[id]
		switch {
		case !ok:
			ni.Added = append(ni.Added, refOf(a))
		case !sameSession(s, a):
			ni.Changed = append(ni.Changed, SessionChange{SessionRef: refOf(a), Changes: sessionChanges(s, a), PeerASChanged: s.PeerAS != a.PeerAS})
		}
	}
	for _, id := range sortedIDs(bs) {
		if _, ok := as[id]; !ok {
			ni.Removed = append(ni.Removed, refOf(bs[id]))
		}
	}
	changed := ni.Role != "" || len(ni.Added)+len(ni.Removed)+len(ni.Changed) > 0
	return ni, changed
}

// sessionID tells a node's sessions apart as Calico does, by peer address
// and port; n numbers the sessions that share both (Calico reports those
// as a problem).
type sessionID struct {
	addr netip.Addr
	port uint16
	n    int
}

func sessionsByID(ss []topology.Session) map[sessionID]topology.Session {
	m := make(map[sessionID]topology.Session, len(ss))
	for _, s := range ss {
		id := sessionID{addr: s.PeerIP, port: s.Port}
		for {
			if _, dup := m[id]; !dup {
				break
			}
			id.n++
		}
		m[id] = s
	}
	return m
}

// sortedIDs returns the IDs by address, numerically, then port.
func sortedIDs(m map[sessionID]topology.Session) []sessionID {
	ids := make([]sessionID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if c := ids[i].addr.Compare(ids[j].addr); c != 0 {
			return c < 0
		}
		if ids[i].port != ids[j].port {
			return ids[i].port < ids[j].port
		}
		return ids[i].n < ids[j].n
	})
	return ids
}

// sameSession reports whether two versions of a session are configured
// alike; sessionChanges says how they differ.
func sameSession(b, a topology.Session) bool {
	return b.PeerAS == a.PeerAS && b.LocalAS == a.LocalAS && b.Type == a.Type && b.Source == a.Source &&
		b.RRClient == a.RRClient && b.ClusterID == a.ClusterID && b.Passive == a.Passive && b.NextHop == a.NextHop &&
		b.Password == a.Password && b.TTLSecurity == a.TTLSecurity && b.GracefulRestart == a.GracefulRestart &&
		durationOr(b.Keepalive) == durationOr(a.Keepalive) && b.AllowLocalAS == a.AllowLocalAS &&
		slices.Equal(b.Filters, a.Filters) && b.SourceAddress == a.SourceAddress && b.ReachableBy == a.ReachableBy
}

func refOf(s topology.Session) SessionRef {
	return SessionRef{Peer: peerString(s.PeerIP, s.Port), PeerAS: s.PeerAS.String(), PeerNode: s.PeerNode, Type: string(s.Type), Source: s.Source}
}

func peerString(ip netip.Addr, port uint16) string {
	if port == 0 || port == 179 {
		return ip.String()
	}
	return netip.AddrPortFrom(ip, port).String()
}

// sessionChanges lists what differs between two versions of a session.
func sessionChanges(b, a topology.Session) []string {
	var out []string
	add := func(what string, before, after any) {
		bs, as := fmt.Sprint(before), fmt.Sprint(after)
		if bs != as {
			out = append(out, fmt.Sprintf("%s %s → %s", what, bs, as))
		}
	}
	add("peer AS", b.PeerAS, a.PeerAS)
	add("local AS", b.LocalAS, a.LocalAS)
	add("type", b.Type, a.Type)
	add("source", b.Source, a.Source)
	add("route-reflector client", b.RRClient, a.RRClient)
	add("cluster ID", orNone(b.ClusterID), orNone(a.ClusterID))
	add("passive", b.Passive, a.Passive)
	add("next hop", b.NextHop, a.NextHop)
	add("password", b.Password, a.Password)
	add("TTL security", b.TTLSecurity, a.TTLSecurity)
	add("graceful restart", b.GracefulRestart, a.GracefulRestart)
	add("keepalive", durationOr(b.Keepalive), durationOr(a.Keepalive))
	add("allow local AS", b.AllowLocalAS, a.AllowLocalAS)
	add("filters", orNone(strings.Join(b.Filters, ",")), orNone(strings.Join(a.Filters, ",")))
	add("source address", b.SourceAddress, a.SourceAddress)
	add("reachable by", addrOr(b.ReachableBy), addrOr(a.ReachableBy))
	return out
}

func roleChange(nb, na topology.NodeTopology) string {
	switch {
	case nb.Node == "":
		return "new node"
	case na.Node == "":
		return "no longer a node"
	case !nb.RouteReflector && na.RouteReflector:
		return "becomes a route reflector (cluster " + na.ClusterID + ")"
	case nb.RouteReflector && !na.RouteReflector:
		return "stops being a route reflector"
	case nb.ClusterID != na.ClusterID:
		return "route-reflector cluster " + nb.ClusterID + " → " + na.ClusterID
	case nb.LocalAS != na.LocalAS:
		return fmt.Sprintf("local AS %s → %s", nb.LocalAS, na.LocalAS)
	}
	return ""
}

// fabricConflicts lists the sessions to a Fabric router's address whose
// peer AS is not the router's.
func fabricConflicts(t topology.Topology, objs []*manifest.Object) []FabricConflict {
	type router struct {
		fabric string
		r      v1alpha1.FabricRouter
	}
	routers := map[netip.Addr]router{}
	for _, o := range objs {
		f, ok := o.Object.(*v1alpha1.Fabric)
		if !ok {
			continue
		}
		for _, r := range f.Spec.Routers {
			for _, a := range r.Addresses {
				if ip, err := netip.ParseAddr(a); err == nil {
					routers[ip] = router{fabric: f.Name, r: r}
				}
			}
		}
	}
	var out []FabricConflict
	for _, n := range t.Nodes {
		for _, s := range n.Sessions {
			r, ok := routers[s.PeerIP]
			if !ok || r.r.ASNumber == s.PeerAS {
				continue
			}
			out = append(out, FabricConflict{Node: n.Node, Peer: peerString(s.PeerIP, s.Port), PeerAS: s.PeerAS.String(),
				Router: r.r.Name, RouterAS: r.r.ASNumber.String(), Fabric: r.fabric, Source: s.Source})
		}
	}
	return out
}

// bgpRisks weighs the session changes.
func (b *builder) bgpRisks() {
	imp := &b.r.BGP
	type group struct {
		nodes []string
		s     SessionChange
	}
	asChanges := map[string]*group{} // by peer, source and AS change
	removed := map[string][]string{} // source → nodes
	for _, n := range imp.Changed {
		for _, c := range n.Changed {
			if !c.PeerASChanged {
				continue
			}
			k := c.Peer + "\x00" + c.Source + "\x00" + c.Changes[0]
			if asChanges[k] == nil {
				asChanges[k] = &group{s: c}
			}
			asChanges[k].nodes = append(asChanges[k].nodes, n.Node)
		}
		for _, r := range n.Removed {
			removed[r.Source] = append(removed[r.Source], n.Node)
		}
		if n.Before > 0 && n.After == 0 && n.Role != "no longer a node" {
			b.risk(LevelBlocking, "bgp-node-isolated", "node "+n.Node,
				fmt.Sprintf("leaves node %s without any BGP session (it had %d): its pods' routes are withdrawn from the network", n.Node, n.Before),
				b.sourcePosition(""))
		}
	}
	for _, k := range sortedKeys(asChanges) {
		g := asChanges[k]
		b.risk(LevelHigh, "bgp-peer-as-changed", "BGP sessions",
			fmt.Sprintf("changes the peer AS of %s to %s%s (%s): %s; each session resets, and a router that expects another AS refuses it",
				plural(len(g.nodes), "existing session"), g.s.Peer, peerName(g.s.SessionRef), strings.TrimPrefix(g.s.Changes[0], "peer AS "), listNames(g.nodes)),
			b.sourcePosition(g.s.Source, "spec.asNumber"))
	}
	for _, src := range sortedKeys(removed) {
		if src == "mesh" && imp.Before.Mesh && !imp.After.Mesh {
			continue // said above
		}
		b.risk(LevelMedium, "bgp-sessions-removed", "BGP sessions",
			fmt.Sprintf("removes %s of %s on %s", plural(len(removed[src]), "session"), sourceName(src), plural(len(uniq(removed[src])), "node")),
			b.sourcePosition(src))
	}
	for _, n := range imp.Changed {
		if strings.Contains(n.Role, "route reflector") || strings.Contains(n.Role, "local AS") {
			b.risk(LevelMedium, "bgp-node-role", "node "+n.Node, n.Node+": "+n.Role+"; its sessions reset",
				b.locate(manifest.ObjectID(v3.GroupName, "Node", "", n.Node), "spec.bgp"))
		}
	}
}

// meshRisk weighs turning the node-to-node mesh on or off.
func (b *builder) meshRisk() {
	imp := &b.r.BGP
	if imp.Before.Mesh == imp.After.Mesh {
		return
	}
	pos := b.sourcePosition("mesh", "spec.nodeToNodeMeshEnabled")
	if !imp.After.Mesh {
		reason := "turns the node-to-node mesh off: every node must have another BGP session (route reflectors, ToRs) or its routes are withdrawn"
		if imp.Nodes > 0 {
			reason = fmt.Sprintf("turns the node-to-node mesh off: node pairs with a session go from %d to %d (a full mesh of %s is %d); sessions reset while nodes reconfigure",
				imp.Before.NodePairs, imp.After.NodePairs, plural(imp.Nodes, "node"), imp.FullMeshPairs)
		}
		b.risk(LevelMedium, "bgp-mesh-off", "BGP sessions", reason, pos)
		return
	}
	b.risk(LevelMedium, "bgp-mesh-on", "BGP sessions",
		fmt.Sprintf("turns the node-to-node mesh on: %d node pairs with a session (N×(N−1)/2); each node runs a session with every other", imp.FullMeshPairs), pos)
}

// sourcePosition places what a session comes from: a BGPPeer's field, or
// the default BGPConfiguration's for the mesh.
func (b *builder) sourcePosition(source string, field ...string) manifest.Position {
	f := ""
	if len(field) > 0 {
		f = field[0]
	}
	source = strings.TrimPrefix(source, "reverse of ")
	if source == "mesh" {
		return b.locate(manifest.ObjectID(v3.GroupName, "BGPConfiguration", "", v3.BGPConfigurationNameDefault), f)
	}
	if source == "" {
		return manifest.Position{}
	}
	return b.locate(manifest.ObjectID(v3.GroupName, "BGPPeer", "", source), f)
}

func peerName(s SessionRef) string {
	if s.PeerNode != "" {
		return " (node " + s.PeerNode + ")"
	}
	if s.Source != "" && s.Source != "mesh" {
		return " (BGPPeer " + s.Source + ")"
	}
	return ""
}

func sourceName(src string) string {
	if src == "mesh" {
		return "the node-to-node mesh"
	}
	return "BGPPeer " + strings.TrimPrefix(src, "reverse of ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func addrOr(a netip.Addr) string {
	if !a.IsValid() {
		return "none"
	}
	return a.String()
}

func durationOr[T fmt.Stringer](d *T) string {
	if d == nil {
		return "default"
	}
	return (*d).String()
}

// newStrings returns the strings of after that before does not have.
func newStrings(before, after []string) []string {
	seen := make(map[string]bool, len(before))
	for _, s := range before {
		seen[s] = true
	}
	var out []string
	for _, s := range after {
		if !seen[s] {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// plural says "1 session" or "3 sessions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// listNames lists names, at most 10, then how many more.
func listNames(names []string) string {
	const max = 10
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}
