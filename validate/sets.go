package validate

import (
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var (
	codeNetsInvalid = define(Code{
		ID: "nets-invalid", Severity: SeverityError,
		Title: "an entry of a network set or IP reservation is not an IP address or CIDR",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: partners
spec:
  nets: [198.51.100.0/33]
`,
	})
)

func init() {
	registerObjectCheck("NetworkSet", v3.GroupName, func(r *reporter, obj any) {
		checkNets(r, "spec.nets", obj.(*v3.NetworkSet).Spec.Nets)
	})
	registerObjectCheck("GlobalNetworkSet", v3.GroupName, func(r *reporter, obj any) {
		checkNets(r, "spec.nets", obj.(*v3.GlobalNetworkSet).Spec.Nets)
	})
}

// checkNets checks a list of CIDRs or bare IPs, host bits tolerated (Calico's
// "cidr" validator).
func checkNets(r *reporter, field string, nets []string) {
	seen := map[string]bool{}
	for i, n := range nets {
		if _, err := parseCIDR(n); err != nil {
			r.report(codeNetsInvalid, fieldPath(field, i), "%v", err)
		}
		if seen[n] {
			r.report(codeNetsInvalid, fieldPath(field, i), "%q is listed twice; these lists are sets", n)
		}
		seen[n] = true
	}
}
