package webhooks

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/validate"
)

// fabricDeletion refuses to delete a Fabric that live BGPPeers are checked
// against: a peer of one of its routers, at an address no other Fabric
// describes, would lose the check of its AS number against the router's,
// and a peer with the wrong one could then be created. It returns the
// message of the denial, or "" to admit.
func (v *Validator) fabricDeletion(ctx context.Context, f *v1alpha1.Fabric) (string, error) {
	objs, err := v.liveObjects(ctx)
	if err != nil {
		return "", fmt.Errorf("read the cluster's objects: %w", err)
	}
	only := map[netip.Addr]string{} // address: router, of this Fabric alone
	for _, rt := range f.Spec.Routers {
		for _, a := range rt.Addresses {
			if addr, err := netip.ParseAddr(a); err == nil {
				only[addr] = rt.Name
			}
		}
	}
	var peers []*v3.BGPPeer
	for _, o := range objs {
		switch x := o.Object.(type) {
		case *v1alpha1.Fabric:
			if x.Name == f.Name {
				continue
			}
			for _, rt := range x.Spec.Routers {
				for _, a := range rt.Addresses {
					if addr, err := netip.ParseAddr(a); err == nil {
						delete(only, addr)
					}
				}
			}
		case *v3.BGPPeer:
			peers = append(peers, x)
		}
	}
	var relying []string
	for _, p := range peers {
		addr, err := validate.ParsePeerIP(p.Spec.PeerIP)
		if err != nil {
			continue
		}
		if router, ok := only[addr.Addr]; ok {
			relying = append(relying, fmt.Sprintf("%s (router %s)", p.Name, router))
		}
	}
	if len(relying) == 0 {
		return "", nil
	}
	sort.Strings(relying)
	return fmt.Sprintf("tabby: Fabric %s is the only Fabric describing the routers of %d BGPPeer%s (%s): without it their AS numbers are no longer checked against the routers'; delete those peers first, or describe their routers in another Fabric",
		f.Name, len(relying), plural(len(relying), "", "s"), strings.Join(first(relying, 5), ", ")), nil
}
