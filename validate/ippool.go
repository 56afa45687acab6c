package validate

import (
	"fmt"
	"net/netip"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var (
	codePoolCIDR = define(Code{
		ID: "pool-cidr-invalid", Severity: SeverityError,
		Title: "an IPPool's CIDR is missing, malformed or not strictly masked",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.1/16
`,
	})
	codePoolBlockSize = define(Code{
		ID: "pool-block-size", Severity: SeverityError,
		Title: "an IPPool's block size is out of range, or the pool is smaller than one block",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/28
  blockSize: 26
`,
	})
	codePoolLinkLocal = define(Code{
		ID: "pool-link-local", Severity: SeverityError,
		Title: "an IPPool overlaps the link-local range",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 169.254.0.0/20
`,
	})
	codePoolReservedRange = define(Code{
		ID: "pool-reserved-range", Severity: SeverityError, Stricter: true,
		Title: "an IPPool covers loopback, multicast or the default route",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: everything
spec:
  cidr: 0.0.0.0/0
  disabled: true
`,
	})
	codePoolEncap = define(Code{
		ID: "pool-encapsulation", Severity: SeverityError,
		Title: "an IPPool's ipipMode or vxlanMode is invalid, IP-in-IP is set on IPv6, or both are enabled",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
  ipipMode: Always
  vxlanMode: CrossSubnet
`,
	})
	codePoolUses = define(Code{
		ID: "pool-allowed-uses", Severity: SeverityError,
		Title: "an IPPool's allowedUses, selectors and LoadBalancer settings do not fit together",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 192.0.2.0/24
  allowedUses: [LoadBalancer, Workload]
`,
	})
	codePoolAssignment = define(Code{
		ID: "pool-assignment-mode", Severity: SeverityError,
		Title: "an IPPool's assignmentMode is not Automatic or Manual",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
  assignmentMode: automatic
`,
	})
)

// Ranges no IPPool may touch.
var (
	linkLocal4 = netip.MustParsePrefix("169.254.0.0/16")
	linkLocal6 = netip.MustParsePrefix("fe80::/10")
	loopback4  = netip.MustParsePrefix("127.0.0.0/8")
	loopback6  = netip.MustParsePrefix("::1/128")
	multicast4 = netip.MustParsePrefix("224.0.0.0/4")
	multicast6 = netip.MustParsePrefix("ff00::/8")
)

func init() {
	registerObjectCheck("IPPool", v3.GroupName, func(r *reporter, obj any) { checkIPPool(r, obj.(*v3.IPPool)) })
}

// poolPrefix returns the parsed CIDR of a pool, if it is valid.
func poolPrefix(p *v3.IPPool) (netip.Prefix, bool) {
	prefix, err := parseNet(p.Spec.CIDR, false)
	return prefix, err == nil
}

func checkIPPool(r *reporter, p *v3.IPPool) {
	s := &p.Spec
	prefix, cidrOK := checkPoolCIDR(r, s.CIDR)
	checkEncapMode(r, "spec.ipipMode", s.IPIPMode)
	checkEncapMode(r, "spec.vxlanMode", s.VXLANMode)
	if enabled(s.IPIPMode) && enabled(s.VXLANMode) {
		r.report(codePoolEncap, "spec.ipipMode", "ipipMode %s and vxlanMode %s are both enabled; a pool uses one encapsulation: set one of them to Never", s.IPIPMode, s.VXLANMode)
	}
	if cidrOK {
		v6 := prefix.Addr().Is6()
		checkPoolBlockSize(r, p, prefix)
		if enabled(s.IPIPMode) && v6 {
			r.report(codePoolEncap, "spec.ipipMode", "IP-in-IP is not supported on IPv6 pools; use vxlanMode, or set ipipMode: Never")
		}
	}
	r.checkSelector("spec.nodeSelector", s.NodeSelector, noGlobal)
	if s.NamespaceSelector != "" {
		r.checkSelector("spec.namespaceSelector", s.NamespaceSelector, noGlobal)
	}
	checkPoolUses(r, p)
	if m := s.AssignmentMode; m != nil && *m != v3.AssignmentModeAutomatic && *m != v3.AssignmentModeManual {
		r.report(codePoolAssignment, "spec.assignmentMode", "assignmentMode %q is not valid; write Automatic or Manual", *m)
	}
}

func checkPoolCIDR(r *reporter, cidr string) (netip.Prefix, bool) {
	if cidr == "" {
		r.report(codePoolCIDR, "spec.cidr", "cidr is required")
		return netip.Prefix{}, false
	}
	prefix, err := parseNet(cidr, false)
	if err != nil {
		r.report(codePoolCIDR, "spec.cidr", "IPPool CIDR %v", err)
		return netip.Prefix{}, false
	}
	switch {
	case prefix.Overlaps(linkLocal4), prefix.Overlaps(linkLocal6):
		r.report(codePoolLinkLocal, "spec.cidr", "IPPool %s overlaps the link-local range (%s, %s); pick a range outside it", prefix, linkLocal4, linkLocal6)
	}
	switch {
	case prefix.Bits() == 0:
		r.report(codePoolReservedRange, "spec.cidr", "IPPool %s is the default route: it would claim every address", prefix)
	case prefix.Overlaps(loopback4), prefix.Overlaps(loopback6):
		r.report(codePoolReservedRange, "spec.cidr", "IPPool %s overlaps loopback addresses", prefix)
	case prefix.Overlaps(multicast4), prefix.Overlaps(multicast6):
		r.report(codePoolReservedRange, "spec.cidr", "IPPool %s overlaps multicast addresses", prefix)
	}
	return prefix, true
}

func checkPoolBlockSize(r *reporter, p *v3.IPPool, prefix netip.Prefix) {
	lo, hi := 20, 32
	if prefix.Addr().Is6() {
		lo, hi = 116, 128
	}
	bs := p.Spec.BlockSize
	if bs < lo || bs > hi {
		r.report(codePoolBlockSize, "spec.blockSize", "blockSize %d is out of range for an IPv%d pool: want %d-%d", bs, map[bool]int{false: 4, true: 6}[prefix.Addr().Is6()], lo, hi)
		return
	}
	if prefix.Bits() > bs && !p.Spec.Disabled {
		r.report(codePoolBlockSize, "spec.cidr", "IPPool %s is smaller than one block (/%d): Calico IPAM needs the pool to be at least its block size; widen the pool, raise blockSize, or disable the pool", prefix, bs)
	}
}

func enabled(m v3.EncapMode) bool { return m != "" && m != v3.EncapNever }

func checkEncapMode(r *reporter, field string, m v3.EncapMode) {
	switch m {
	case "", v3.EncapNever, v3.EncapAlways, v3.EncapCrossSubnet:
		return
	}
	r.report(codePoolEncap, field, "%q is not valid: write Never, Always or CrossSubnet%s", m, caseHint(string(m), "Never", "Always", "CrossSubnet"))
}

func checkPoolUses(r *reporter, p *v3.IPPool) {
	s := &p.Spec
	var lb, workloadOrTunnel, tunnel bool
	seen := map[v3.IPPoolAllowedUse]bool{}
	for i, u := range s.AllowedUses {
		field := fieldPath("spec.allowedUses", i)
		switch u {
		case v3.IPPoolAllowedUseLoadBalancer:
			lb = true
		case v3.IPPoolAllowedUseWorkload:
			workloadOrTunnel = true
		case v3.IPPoolAllowedUseTunnel:
			workloadOrTunnel, tunnel = true, true
		default:
			r.report(codePoolUses, field, "allowedUses value %q is not valid: write Workload, Tunnel or LoadBalancer%s", u, caseHint(string(u), "Workload", "Tunnel", "LoadBalancer"))
		}
		if seen[u] {
			r.report(codePoolUses, field, "allowedUses lists %s twice", u)
		}
		seen[u] = true
	}
	if tunnel && s.NamespaceSelector != "" {
		r.report(codePoolUses, "spec.namespaceSelector", "a pool used for tunnel addresses cannot have a namespaceSelector: tunnel addresses belong to nodes, not namespaces")
	}
	if !lb {
		return
	}
	if workloadOrTunnel {
		r.report(codePoolUses, "spec.allowedUses", "LoadBalancer cannot be combined with Workload or Tunnel; use a separate pool for LoadBalancer addresses")
	}
	if enabled(s.IPIPMode) || enabled(s.VXLANMode) {
		r.report(codePoolUses, "spec.allowedUses", "a LoadBalancer pool must not encapsulate: set ipipMode and vxlanMode to Never")
	}
	if s.NodeSelector != "all()" {
		r.report(codePoolUses, "spec.nodeSelector", "a LoadBalancer pool's nodeSelector must be exactly all(), not %q", s.NodeSelector)
	}
	if s.DisableBGPExport {
		r.report(codePoolUses, "spec.disableBGPExport", "a LoadBalancer pool must be advertised: disableBGPExport must be false")
	}
}

// caseHint suggests the right spelling when s differs from a valid value only
// in case.
func caseHint(s string, valid ...string) string {
	for _, v := range valid {
		if equalFold(s, v) {
			return fmt.Sprintf(" (values are case-sensitive: %s)", v)
		}
	}
	return ""
}
