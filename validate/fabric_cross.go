package validate

import (
	"fmt"
	"net/netip"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies/selector"
)

var (
	codePeerASNFabric = define(Code{
		ID: "peer-asn-fabric-mismatch", Severity: SeverityError, Stricter: true,
		Title: "a BGPPeer peers with a Fabric router but names another AS number than the router's",
		Example: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - name: tor-rack7
    asNumber: 64513
    addresses: [10.0.7.1]
    nodeSelector: rack == "rack7"
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.1
  asNumber: 64512
`,
	})
	codePeerOutsideRouter = define(Code{
		ID: "peer-node-outside-router", Severity: SeverityWarning, Stricter: true,
		Title: "a BGPPeer peers nodes with a Fabric router that does not serve them",
		Example: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.7.1], nodeSelector: rack == "rack7"}
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rack6-node1
  labels: {rack: rack6}
spec:
  bgp: {ipv4Address: 10.0.6.11/24}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  peerIP: 10.0.7.1
  asNumber: 64513
`,
	})
	codeRouterUnpeered = define(Code{
		ID: "fabric-router-unpeered", Severity: SeverityWarning, Stricter: true,
		Title: "a Fabric router no BGPPeer peers with",
		Example: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.7.1], nodeSelector: rack == "rack7"}
`,
	})
)

func init() {
	crossChecks = append(crossChecks, checkUnpeeredRouters)
}

// checkPeerAS checks the AS number of a peerIP peer against the Calico node
// and the Fabric router at that address, and that the router serves the
// nodes the peer selects.
func (v *validation) checkPeerAS(o *manifest.Object, p *v3.BGPPeer, addr PeerAddress, b *bgpView, routers map[netip.Addr][]fabricRouter) {
	if n, ok := b.byAddr[addr.Addr]; ok && v.world.isMine(o) && p.Spec.ASNumber != 0 && p.Spec.ASNumber != b.nodeAS(n.Name) {
		as := b.nodeAS(n.Name)
		var related []Related
		if n.Object != nil {
			related = []Related{v.related(n.Object, n.Field, "node %s", n.Name)}
		}
		v.add(codePeerASNNode, o, "spec.asNumber",
			fmt.Sprintf("peer %s is Calico node %s, AS %s; this BGPPeer says %s: the session will fail with Bad peer AS; set asNumber: %s", addr.Addr, n.Name, as, p.Spec.ASNumber, as),
			related)
	}
	for _, rt := range routers[addr.Addr] {
		if !v.world.isMine(o) && !v.world.isMine(rt.fabric) {
			continue
		}
		fabricAt := rt.fabric.Object.GetName()
		if pos := v.position(rt.fabric, rt.field("asNumber")); pos.File != "" {
			fabricAt += " (" + pos.String() + ")"
		}
		if p.Spec.ASNumber != 0 && p.Spec.ASNumber != rt.router.ASNumber {
			msg := fmt.Sprintf("peer %s is %s, AS %s in Fabric %s; this manifest says %s: the router will refuse the session (Bad peer AS); set asNumber: %s",
				addr.Addr, rt.router.Name, rt.router.ASNumber, fabricAt, p.Spec.ASNumber, rt.router.ASNumber)
			related := []Related{v.related(rt.fabric, rt.field("asNumber"), "router %s, AS %s", rt.router.Name, rt.router.ASNumber)}
			if v.world.isMine(o) {
				v.add(codePeerASNFabric, o, "spec.asNumber", msg, related)
			} else {
				v.add(codePeerASNFabric, rt.fabric, rt.field("asNumber"),
					fmt.Sprintf("router %s is AS %s, but BGPPeer %s peers with %s as AS %s: that session will fail; fix the peer or the inventory", rt.router.Name, rt.router.ASNumber, o.Object.GetName(), addr.Addr, p.Spec.ASNumber),
					[]Related{v.related(o, "spec.asNumber", "BGPPeer %s", o.Object.GetName())})
			}
		}
		v.checkRouterServes(o, p, rt, b)
	}
}

// checkRouterServes warns when a peer gives nodes the router does not
// serve a session with it. It needs a node inventory.
func (v *validation) checkRouterServes(o *manifest.Object, p *v3.BGPPeer, rt fabricRouter, b *bgpView) {
	if rt.router.NodeSelector == "" || !v.world.isMine(o) {
		return
	}
	served, err := selector.Parse(rt.router.NodeSelector)
	if err != nil {
		return
	}
	var outside []string
	for _, name := range b.forward[p.Name] {
		if n := b.nodes[name]; n != nil && !served.Matches(selector.Map(n.Labels)) {
			outside = append(outside, name)
		}
	}
	if len(outside) == 0 {
		return
	}
	v.add(codePeerOutsideRouter, o, "spec.nodeSelector",
		fmt.Sprintf("this peer gives nodes %s a session to %s, which serves only nodes matching %s; narrow the peer's nodeSelector", strings.Join(outside, ", "), rt.router.Name, rt.router.NodeSelector),
		[]Related{v.related(rt.fabric, rt.field("nodeSelector"), "router %s", rt.router.Name)})
}

// checkUnpeeredRouters warns of Fabric routers no BGPPeer reaches.
func checkUnpeeredRouters(v *validation) {
	peered := map[netip.Addr]bool{}
	for _, o := range v.world.of("BGPPeer") {
		if addr, err := ParsePeerIP(o.Object.(*v3.BGPPeer).Spec.PeerIP); err == nil {
			peered[addr.Addr] = true
		}
	}
	for _, o := range v.world.byKind["Fabric."+v1alpha1.GroupName] {
		if !v.world.isMine(o) {
			continue
		}
		for i, rt := range o.Object.(*v1alpha1.Fabric).Spec.Routers {
			reached := false
			for _, a := range rt.Addresses {
				if addr, err := parseIP(a, 0); err == nil && peered[addr] {
					reached = true
				}
			}
			if !reached {
				v.add(codeRouterUnpeered, o, fieldPath("spec.routers", i),
					fmt.Sprintf("router %s (AS %s) is in the inventory but no BGPPeer peers with %s; add one, or remove the router", rt.Name, rt.ASNumber, strings.Join(rt.Addresses, ", ")), nil)
			}
		}
	}
}
