package policies

import (
	"cmp"
	"net/netip"
	"slices"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// netsetIndex finds the network sets holding an address without scanning
// every set: nets are grouped by prefix length, so a lookup is one map probe
// per distinct length.
type netsetIndex struct {
	sets     []*labelSet
	refs     []NetworkSetRef // refs[i] names sets[i]
	byPrefix map[netip.Prefix][]int32
	lens     [2][]int // distinct prefix lengths, IPv4 then IPv6, longest first
}

// pendingSet is a network set before indexing.
type pendingSet struct {
	ls   labelSet
	ref  NetworkSetRef
	key  string // "namespace/name", "/name" for global sets: the sort key
	nets []netip.Prefix
}

func (c *compiler) networkSet(o *manifest.Object, ns *v3.NetworkSet) {
	ls := newLabelSet("network set "+ns.Namespace+"/"+ns.Name, c.namespace(ns.Namespace).inherited, ns.Labels,
		map[string]string{labelNamespace: ns.Namespace})
	ref := NetworkSetRef{Kind: "NetworkSet", Namespace: ns.Namespace, Name: ns.Name, Labels: copyMap(ns.Labels)}
	c.sets = append(c.sets, pendingSet{ls: ls, ref: ref, key: ns.Namespace + "/" + ns.Name, nets: c.setNets(o, ns.Spec.Nets)})
}

func (c *compiler) globalNetworkSet(o *manifest.Object, gns *v3.GlobalNetworkSet) {
	ls := newLabelSet("global network set "+gns.Name, nil, gns.Labels, nil)
	ref := NetworkSetRef{Kind: "GlobalNetworkSet", Name: gns.Name, Labels: copyMap(gns.Labels)}
	c.sets = append(c.sets, pendingSet{ls: ls, ref: ref, key: "/" + gns.Name, nets: c.setNets(o, gns.Spec.Nets)})
}

// setNets parses a network set's nets: CIDRs or bare addresses, host bits
// allowed (Calico masks them). A malformed entry is reported and skipped.
func (c *compiler) setNets(o *manifest.Object, nets []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(nets))
	for i, s := range nets {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				c.problem(o, "spec.nets["+itoa(i)+"]", "%q is not a CIDR or address; skipped", s)
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		out = append(out, p.Masked())
	}
	return out
}

func buildNetsetIndex(pending []pendingSet) netsetIndex {
	slices.SortStableFunc(pending, func(a, b pendingSet) int { return cmp.Compare(a.key, b.key) })
	x := netsetIndex{byPrefix: map[netip.Prefix][]int32{}}
	seen := [2]map[int]bool{{}, {}}
	for i := range pending {
		pending[i].ls.precompute()
		x.sets = append(x.sets, &pending[i].ls)
		x.refs = append(x.refs, pending[i].ref)
		for _, p := range pending[i].nets {
			ids := x.byPrefix[p]
			if len(ids) == 0 || ids[len(ids)-1] != int32(i) {
				x.byPrefix[p] = append(ids, int32(i))
			}
			f := famSlot(p.Addr())
			if !seen[f][p.Bits()] {
				seen[f][p.Bits()] = true
				x.lens[f] = append(x.lens[f], p.Bits())
			}
		}
	}
	for f := range x.lens {
		slices.Sort(x.lens[f])
		slices.Reverse(x.lens[f])
	}
	return x
}

func famSlot(a netip.Addr) int {
	if a.Is4() {
		return 0
	}
	return 1
}

// containing returns the network sets holding a, in a stable order.
func (x *netsetIndex) containing(a netip.Addr) []*labelSet {
	ids := x.ids(a)
	if len(ids) == 0 {
		return nil
	}
	out := make([]*labelSet, len(ids))
	for i, id := range ids {
		out[i] = x.sets[id]
	}
	return out
}

// refsOf names the network sets holding a, in the order of containing, with
// copies of their labels, so that a Result the caller keeps does not share
// the engine's maps.
func (x *netsetIndex) refsOf(a netip.Addr) []NetworkSetRef {
	ids := x.ids(a)
	if len(ids) == 0 {
		return nil
	}
	out := make([]NetworkSetRef, len(ids))
	for i, id := range ids {
		out[i] = x.refs[id]
		out[i].Labels = copyMap(out[i].Labels)
	}
	return out
}

// ids returns the indexes of the network sets holding a, sorted.
func (x *netsetIndex) ids(a netip.Addr) []int32 {
	if !a.IsValid() || len(x.sets) == 0 {
		return nil
	}
	a = a.Unmap()
	var ids []int32
	for _, bits := range x.lens[famSlot(a)] {
		p, err := a.Prefix(bits)
		if err != nil {
			continue
		}
		ids = append(ids, x.byPrefix[p]...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
