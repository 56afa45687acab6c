package validate

import (
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// The values of BGPConfiguration's programClusterRoutes differ by Calico
// version (api/pkg/apis/projectcalico/v3/bgpconfig.go, whose kubebuilder
// Enum marker the CRDs enforce; Calico's validator does not check the
// field):
//   - v3.28 to v3.31 have no such field in BGPConfiguration;
//   - v3.32 (v3.32.0, v3.32.1, release-v3.32) added it with
//     Enum=Enabled;Disabled, default Enabled (projectcalico/calico#11845);
//   - v3.33 (release-v3.33) split it by encapsulation, with
//     Enum=Enabled;Disabled;EnabledIPIPOnly;EnabledNoEncapOnly, default
//     EnabledNoEncapOnly, and deprecated the values that let BIRD program
//     IPIP routes (Enabled, EnabledIPIPOnly) for removal in v3.35.

var codeBGPConfigVersion = define(Code{
	ID: "bgp-config-version", Severity: SeverityWarning,
	Title: "a BGPConfiguration value that some Calico versions from v3.28 to v3.33 reject",
	Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  programClusterRoutes: EnabledNoEncapOnly
`,
})

// checkProgramClusterRoutes says which Calico versions accept the value of
// programClusterRoutes.
func checkProgramClusterRoutes(r *reporter, m v3.ProgramClusterRoutes) {
	switch m {
	case v3.ProgramClusterRoutesEnabled, v3.ProgramClusterRoutesDisabled:
	case v3.ProgramClusterRoutesEnabledIPIPOnly, v3.ProgramClusterRoutesEnabledNoEncapOnly:
		r.report(codeBGPConfigVersion, "spec.programClusterRoutes", "programClusterRoutes %s is accepted by Calico v3.33+ only: v3.32's CRD accepts only Enabled and Disabled and rejects it, and v3.28 to v3.31 have no programClusterRoutes; on v3.32 write Enabled or Disabled", m)
	default:
		r.report(codeBGPConfig, "spec.programClusterRoutes", "programClusterRoutes %q: write Enabled or Disabled (Calico v3.32+), or EnabledIPIPOnly or EnabledNoEncapOnly (v3.33+)", m)
	}
}
