package validate

import "testing"

func reservation(cidrs string) string {
	return pool("pods", "192.168.0.0/16", "") + "---\napiVersion: projectcalico.org/v3\nkind: IPReservation\nmetadata: {name: r}\nspec:\n  reservedCIDRs: " + cidrs + "\n"
}

func TestReservationBareAddress(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "CIDRs", yaml: reservation("[192.168.2.3/32, 192.168.4.0/24, 192.168.5.1/24]")},
		{name: "bare IPv4 address", yaml: reservation("[192.168.2.3]"),
			want: []string{"reservation-bare-address spec.reservedCIDRs[0]"},
			msg:  `"192.168.2.3" is a bare address: Calico v3.33+ rejects it (its CRD wants a CIDR in each reservedCIDRs entry), v3.28 to v3.32 accept it; write 192.168.2.3/32`},
		{name: "bare IPv6 address", yaml: pool("v6", "fd00::/48", "") + reservation("[fd00::3]"),
			want: []string{"reservation-bare-address spec.reservedCIDRs[0]"}, msg: "write fd00::3/128"},
		{name: "bare address outside the pools", yaml: reservation("[10.0.0.1]"),
			want: []string{"reservation-bare-address spec.reservedCIDRs[0]", "reservation-outside-pools spec.reservedCIDRs[0]"}},
		{name: "not an address", yaml: reservation("[gateway]"),
			want: []string{"nets-invalid spec.reservedCIDRs[0]"}},
	})
}
