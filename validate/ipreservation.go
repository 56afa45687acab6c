package validate

import (
	"net/netip"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// Checks of an IPReservation by itself: its entries are CIDRs or addresses
// (checkNets), and, since Calico v3.33, CIDRs only.

var codeReservationBareAddress = define(Code{
	ID: "reservation-bare-address", Severity: SeverityError,
	Title: "an IPReservation reserves a bare address, which Calico v3.33+ rejects: it wants a CIDR",
	Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 192.168.2.0/24
---
apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: gateways
spec:
  reservedCIDRs: [192.168.2.3]
`,
})

func init() {
	registerObjectCheck("IPReservation", v3.GroupName, func(r *reporter, obj any) {
		cidrs := obj.(*v3.IPReservation).Spec.ReservedCIDRs
		checkNets(r, "spec.reservedCIDRs", cidrs)
		checkReservedCIDRForm(r, cidrs)
	})
}

// checkReservedCIDRForm reports the entries written as a bare address.
// Calico's validator ("cidrs") accepts them in every version, and so did
// its CRD up to v3.32, whose format: cidr marker sat on the list rather
// than its items and checked nothing; v3.33 moved it onto the items
// (projectcalico/calico#13338, api/pkg/apis/projectcalico/v3/ipreservation.go
// at release-v3.33), and the API server now rejects a bare address.
func checkReservedCIDRForm(r *reporter, cidrs []string) {
	for i, c := range cidrs {
		if strings.Contains(c, "/") {
			continue
		}
		a, err := netip.ParseAddr(c)
		if err != nil || a.Zone() != "" {
			continue // nets-invalid says so
		}
		r.report(codeReservationBareAddress, fieldPath("spec.reservedCIDRs", i),
			"%q is a bare address: Calico v3.33+ rejects it (its CRD wants a CIDR in each reservedCIDRs entry), v3.28 to v3.32 accept it; write %s to work on all", c, netip.PrefixFrom(a, a.BitLen()))
	}
}
