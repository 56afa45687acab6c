package validate

import (
	"fmt"
	"net/netip"
	"sort"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

var (
	codePoolOverlap = define(Code{
		ID: "pool-overlap", Severity: SeverityError,
		Title: "two IPPools overlap",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: payments
spec:
  cidr: 10.244.128.0/24
`,
	})
	codePoolServiceOverlap = define(Code{
		ID: "pool-service-overlap", Severity: SeverityError, Stricter: true,
		Title: "an IPPool overlaps the cluster's service CIDR",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.96.0.0/16
`,
		exampleInput: func(in *Input) { in.ServiceCIDRs = []netip.Prefix{netip.MustParsePrefix("10.96.0.0/12")} },
	})
	codePoolOutsidePodCIDR = define(Code{
		ID: "pool-outside-pod-cidr", Severity: SeverityWarning, Stricter: true,
		Title: "an IPPool lies outside the cluster's pod CIDRs",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.250.0.0/16
`,
		exampleInput: func(in *Input) { in.PodCIDRs = []netip.Prefix{netip.MustParsePrefix("10.244.0.0/14")} },
	})
	codeReservationOutside = define(Code{
		ID: "reservation-outside-pools", Severity: SeverityWarning,
		Title: "an IPReservation reserves addresses outside every IPPool, where it does nothing",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
---
apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: gateways
spec:
  reservedCIDRs: [10.245.0.0/24]
`,
	})
)

func init() {
	crossChecks = append(crossChecks, checkPoolOverlaps, checkClusterCIDRs, checkReservations)
}

// poolEntry is a pool with a valid CIDR.
type poolEntry struct {
	obj    *manifest.Object
	prefix netip.Prefix
}

// pools returns the pools of the world with a valid CIDR, sorted by
// address, then by prefix length (enclosing prefixes first).
func (v *validation) pools() []poolEntry {
	var out []poolEntry
	for _, o := range v.world.of("IPPool") {
		if p, ok := poolPrefix(o.Object.(*v3.IPPool)); ok {
			out = append(out, poolEntry{obj: o, prefix: p})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].prefix, out[j].prefix
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		if a.Bits() != b.Bits() {
			return a.Bits() < b.Bits()
		}
		return out[i].obj.ID() < out[j].obj.ID()
	})
	return out
}

// checkPoolOverlaps finds every pair of overlapping pools in O(n log n + k):
// CIDRs are either nested or disjoint, so after sorting by address a sweep
// with a stack of enclosing prefixes finds each overlap once.
func checkPoolOverlaps(v *validation) {
	var stack []poolEntry
	for _, p := range v.pools() {
		for len(stack) > 0 && !stack[len(stack)-1].prefix.Contains(p.prefix.Addr()) {
			stack = stack[:len(stack)-1]
		}
		for _, outer := range stack {
			v.reportOverlap(outer, p)
			v.reportOverlap(p, outer)
		}
		stack = append(stack, p)
	}
}

func (v *validation) reportOverlap(p, other poolEntry) {
	if !v.world.isMine(p.obj) {
		return
	}
	how := "overlaps"
	switch {
	case p.prefix == other.prefix:
		how = "has the same CIDR as"
	case p.prefix.Bits() < other.prefix.Bits():
		how = "contains"
	default:
		how = "lies inside"
	}
	where := "in the cluster"
	if pos := v.position(other.obj, "spec.cidr"); pos.File != "" {
		where = "at " + pos.String()
	}
	v.add(codePoolOverlap, p.obj, "spec.cidr",
		fmt.Sprintf("IPPool %s (%s) %s IPPool %s (%s, %s); pools must not overlap: shrink or move one", p.obj.Object.GetName(), p.prefix, how, other.obj.Object.GetName(), other.prefix, where),
		[]Related{v.related(other.obj, "spec.cidr", "IPPool %s", other.obj.Object.GetName())})
}

func checkClusterCIDRs(v *validation) {
	if len(v.in.ServiceCIDRs) == 0 && len(v.in.PodCIDRs) == 0 {
		return
	}
	for _, p := range v.pools() {
		if !v.world.isMine(p.obj) {
			continue
		}
		for _, svc := range v.in.ServiceCIDRs {
			if svc.Overlaps(p.prefix) {
				v.add(codePoolServiceOverlap, p.obj, "spec.cidr",
					fmt.Sprintf("IPPool %s (%s) overlaps the service CIDR %s: pod and service addresses would collide", p.obj.Object.GetName(), p.prefix, svc), nil)
			}
		}
		if len(v.in.PodCIDRs) == 0 || p.obj.Object.(*v3.IPPool).Spec.Disabled {
			continue
		}
		inside := false
		for _, pod := range v.in.PodCIDRs {
			if pod.Bits() <= p.prefix.Bits() && pod.Contains(p.prefix.Addr()) {
				inside = true
			}
		}
		if !inside {
			v.add(codePoolOutsidePodCIDR, p.obj, "spec.cidr",
				fmt.Sprintf("IPPool %s (%s) lies outside the cluster's pod CIDRs %v: kube-proxy treats its pods' traffic as coming from outside the cluster", p.obj.Object.GetName(), p.prefix, v.in.PodCIDRs), nil)
		}
	}
}

// checkReservations reports reserved CIDRs that no pool overlaps. A pool
// overlaps a reservation when it contains it (one map lookup per prefix
// length) or lies inside it (a binary search by address).
func checkReservations(v *validation) {
	pools := v.pools()
	if len(v.world.of("IPReservation")) == 0 {
		return
	}
	byPrefix := make(map[netip.Prefix]bool, len(pools))
	for _, p := range pools {
		byPrefix[p.prefix] = true
	}
	for _, o := range v.world.of("IPReservation") {
		if !v.world.isMine(o) {
			continue
		}
		for i, c := range o.Object.(*v3.IPReservation).Spec.ReservedCIDRs {
			r, err := parseCIDR(c)
			if err != nil || overlapsAny(r, pools, byPrefix) {
				continue
			}
			v.add(codeReservationOutside, o, fieldPath("spec.reservedCIDRs", i),
				fmt.Sprintf("reserved CIDR %s lies outside every IPPool, so it reserves nothing; IPAM only allocates from pools", c), nil)
		}
	}
}

func overlapsAny(r netip.Prefix, pools []poolEntry, byPrefix map[netip.Prefix]bool) bool {
	for bits := 0; bits <= r.Bits(); bits++ {
		if enclosing, err := r.Addr().Prefix(bits); err == nil && byPrefix[enclosing] {
			return true
		}
	}
	i := sort.Search(len(pools), func(i int) bool { return pools[i].prefix.Addr().Compare(r.Addr()) >= 0 })
	return i < len(pools) && r.Contains(pools[i].prefix.Addr())
}
