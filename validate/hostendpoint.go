package validate

import (
	"regexp"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var (
	codeHostEndpoint = define(Code{
		ID: "host-endpoint-invalid", Severity: SeverityError,
		Title: "a HostEndpoint's node, interface, expected IPs, profiles or ports are invalid",
		Example: `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: rack6-node1-eth0
spec:
  node: rack6-node1
  interfaceName: wibblywobblyeth0
`,
	})
)

var interfaceName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,15}$`)

func init() {
	registerObjectCheck("HostEndpoint", v3.GroupName, func(r *reporter, obj any) { checkHostEndpoint(r, obj.(*v3.HostEndpoint)) })
}

func checkHostEndpoint(r *reporter, h *v3.HostEndpoint) {
	s := &h.Spec
	if s.Node == "" {
		r.report(codeHostEndpoint, "spec.node", "node is required: name the host this endpoint is on")
	} else if errs := k8svalidation.IsDNS1123Subdomain(s.Node); len(errs) > 0 {
		r.report(codeHostEndpoint, "spec.node", "node %q is not a valid node name: %s", s.Node, errs[0])
	}
	if s.InterfaceName == "" && len(s.ExpectedIPs) == 0 {
		r.report(codeHostEndpoint, "spec", "set interfaceName or expectedIPs (or both): Calico finds the interface by one of them")
	}
	if s.InterfaceName != "" && s.InterfaceName != "*" && !interfaceName.MatchString(s.InterfaceName) {
		r.report(codeHostEndpoint, "spec.interfaceName", "interfaceName %q is not a Linux interface name (1-15 of letters, digits, '_', '.', '-') or *", s.InterfaceName)
	}
	for i, ip := range s.ExpectedIPs {
		if _, err := parseIP(ip, 0); err != nil {
			r.report(codeHostEndpoint, fieldPath("spec.expectedIPs", i), "expected IP %v", err)
		}
	}
	for i, p := range s.Profiles {
		if errs := k8svalidation.IsDNS1123Subdomain(p); len(errs) > 0 {
			r.report(codeHostEndpoint, fieldPath("spec.profiles", i), "profile %q is not a valid name: %s", p, errs[0])
		}
	}
	for i, p := range s.Ports {
		field := fieldPath("spec.ports", i)
		for _, msg := range k8svalidation.IsValidPortName(p.Name) {
			r.report(codeHostEndpoint, field+".name", "port name %q: %s", p.Name, msg)
		}
		if !p.Protocol.SupportsPorts() {
			r.report(codeHostEndpoint, field+".protocol", "protocol %q has no ports: write TCP, UDP or SCTP", p.Protocol.String())
		}
		if p.Port == 0 {
			r.report(codeHostEndpoint, field+".port", "port must be 1-65535")
		}
	}
}
