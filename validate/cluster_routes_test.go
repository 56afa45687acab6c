package validate

import "testing"

func TestProgramClusterRoutesVersions(t *testing.T) {
	config := func(value string) string {
		return "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  programClusterRoutes: " + value + "\n"
	}
	runFindingCases(t, []findingCase{
		{name: "Enabled", yaml: config("Enabled")},
		{name: "Disabled", yaml: config("Disabled")},
		{name: "EnabledNoEncapOnly", yaml: config("EnabledNoEncapOnly"),
			want: []string{"bgp-config-version spec.programClusterRoutes"},
			msg:  "programClusterRoutes EnabledNoEncapOnly is accepted by Calico v3.33+ only: v3.32's CRD accepts only Enabled and Disabled and rejects it, and v3.28 to v3.31 have no programClusterRoutes"},
		{name: "EnabledIPIPOnly", yaml: config("EnabledIPIPOnly"),
			want: []string{"bgp-config-version spec.programClusterRoutes"}, msg: "accepted by Calico v3.33+ only"},
		{name: "unknown value", yaml: config("Auto"),
			want: []string{"bgp-config-invalid spec.programClusterRoutes"},
			msg:  "write Enabled or Disabled (Calico v3.32+), or EnabledIPIPOnly or EnabledNoEncapOnly (v3.33+)"},
	})
}
