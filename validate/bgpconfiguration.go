package validate

import (
	"regexp"
	"strconv"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var (
	codeBGPConfigName = define(Code{
		ID: "bgp-config-name", Severity: SeverityWarning,
		Title: "a BGPConfiguration is named neither default nor node.<name>, or a per-node one sets fields Calico ignores there",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: global
spec:
  asNumber: 64512
`,
	})
	codeBGPConfig = define(Code{
		ID: "bgp-config-invalid", Severity: SeverityError,
		Title: "a BGPConfiguration field is invalid",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
  nodeMeshMaxRestartTime: 120s
`,
	})
	codeCommunity = define(Code{
		ID: "bgp-community-invalid", Severity: SeverityError,
		Title: "a BGP community or prefix advertisement is malformed or names an undefined community",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  communities:
  - name: rack-local
    value: "64512:70000"
  prefixAdvertisements:
  - cidr: 10.244.0.0/16
    communities: [rack-local, no-export]
`,
	})
)

var ignoredInterface = regexp.MustCompile(`^[a-zA-Z0-9_.*-]{1,15}$`)

func init() {
	registerObjectCheck("BGPConfiguration", v3.GroupName, func(r *reporter, obj any) { checkBGPConfiguration(r, obj.(*v3.BGPConfiguration)) })
}

func checkBGPConfiguration(r *reporter, c *v3.BGPConfiguration) {
	s := &c.Spec
	perNode := strings.HasPrefix(c.Name, v3.NodeBGPConfigurationPrefix)
	if c.Name != v3.BGPConfigurationNameDefault && !perNode {
		r.report(codeBGPConfigName, "metadata.name", "BGPConfiguration %q is ignored: Calico reads only \"default\" (the cluster) and \"node.<name>\" (one node)", c.Name)
	}
	if c.Name != v3.BGPConfigurationNameDefault {
		for field, set := range map[string]bool{
			"nodeToNodeMeshEnabled":  s.NodeToNodeMeshEnabled != nil,
			"nodeMeshPassword":       s.NodeMeshPassword != nil,
			"nodeMeshMaxRestartTime": s.NodeMeshMaxRestartTime != nil,
		} {
			if set {
				r.report(codeBGPConfig, "spec."+field, "%s can only be set on the \"default\" BGPConfiguration; Calico rejects it on %q", field, c.Name)
			}
		}
	}
	if perNode {
		for _, f := range ignoredPerNode(s) {
			r.report(codeBGPConfigName, "spec."+f, "%s is ignored in a per-node BGPConfiguration; only listenPort, logSeverityScreen and prefixAdvertisements apply there: move it to \"default\"", f)
		}
	}
	switch strings.ToLower(s.LogSeverityScreen) {
	case "", "trace", "debug", "info", "warning", "error", "fatal":
	default:
		r.report(codeBGPConfig, "spec.logSeverityScreen", "logSeverityScreen %q is not a log level: write Trace, Debug, Info, Warning, Error or Fatal", s.LogSeverityScreen)
	}
	if s.ASNumber != nil {
		r.checkASN("spec.asNumber", "the cluster's AS number", *s.ASNumber)
	}
	for i, b := range s.ServiceClusterIPs {
		checkServiceCIDR(r, fieldPath("spec.serviceClusterIPs", i, "cidr"), b.CIDR)
	}
	for i, b := range s.ServiceExternalIPs {
		checkServiceCIDR(r, fieldPath("spec.serviceExternalIPs", i, "cidr"), b.CIDR)
	}
	for i, b := range s.ServiceLoadBalancerIPs {
		checkServiceCIDR(r, fieldPath("spec.serviceLoadBalancerIPs", i, "cidr"), b.CIDR)
	}
	switch s.ServiceLoadBalancerAggregation {
	case "", v3.ServiceLoadBalancerAggregationEnabled, v3.ServiceLoadBalancerAggregationDisabled:
	default:
		r.report(codeBGPConfig, "spec.serviceLoadBalancerAggregation", "serviceLoadBalancerAggregation %q: write Enabled or Disabled", s.ServiceLoadBalancerAggregation)
	}
	checkCommunities(r, s)
	meshOff := s.NodeToNodeMeshEnabled != nil && !*s.NodeToNodeMeshEnabled
	if meshOff && s.NodeMeshPassword != nil {
		r.report(codeBGPConfig, "spec.nodeMeshPassword", "nodeMeshPassword is set but the mesh is disabled; remove it")
	}
	if meshOff && s.NodeMeshMaxRestartTime != nil {
		r.report(codeBGPConfig, "spec.nodeMeshMaxRestartTime", "nodeMeshMaxRestartTime is set but the mesh is disabled; remove it")
	}
	if s.NodeMeshPassword != nil {
		checkSecretRef(r, "spec.nodeMeshPassword.secretKeyRef", s.NodeMeshPassword)
	}
	if m := s.BindMode; m != nil && *m != v3.BindModeNone && *m != v3.BindModeNodeIP {
		r.report(codeBGPConfig, "spec.bindMode", "bindMode %q: write None or NodeIP", *m)
	}
	for i, name := range s.IgnoredInterfaces {
		if name == "*" || !ignoredInterface.MatchString(name) {
			r.report(codeBGPConfig, fieldPath("spec.ignoredInterfaces", i), "ignoredInterfaces entry %q is not an interface name or pattern (1-15 of letters, digits, '_', '.', '-', '*'; a bare * is not allowed)", name)
		}
	}
	if s.LocalWorkloadPeeringIPV4 != "" {
		if _, err := parseIP(s.LocalWorkloadPeeringIPV4, 4); err != nil {
			r.report(codeBGPConfig, "spec.localWorkloadPeeringIPV4", "localWorkloadPeeringIPV4 %v", err)
		}
	}
	if s.LocalWorkloadPeeringIPV6 != "" {
		if _, err := parseIP(s.LocalWorkloadPeeringIPV6, 6); err != nil {
			r.report(codeBGPConfig, "spec.localWorkloadPeeringIPV6", "localWorkloadPeeringIPV6 %v", err)
		}
	}
	if m := s.ProgramClusterRoutes; m != nil {
		checkProgramClusterRoutes(r, *m)
	}
	for field, p := range map[string]*int{"spec.ipv4NormalRoutePriority": s.IPv4NormalRoutePriority, "spec.ipv6NormalRoutePriority": s.IPv6NormalRoutePriority} {
		if p != nil && (*p < 1 || *p > 2147483646) {
			r.report(codeBGPConfig, field, "%d is out of range 1-2147483646", *p)
		}
	}
}

// ignoredPerNode lists the fields set in a per-node BGPConfiguration that
// Calico ignores there.
func ignoredPerNode(s *v3.BGPConfigurationSpec) []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(s.ASNumber != nil, "asNumber")
	add(len(s.ServiceClusterIPs) > 0, "serviceClusterIPs")
	add(len(s.ServiceExternalIPs) > 0, "serviceExternalIPs")
	add(len(s.ServiceLoadBalancerIPs) > 0, "serviceLoadBalancerIPs")
	add(len(s.Communities) > 0 && len(s.PrefixAdvertisements) == 0, "communities")
	add(s.BindMode != nil, "bindMode")
	add(len(s.IgnoredInterfaces) > 0, "ignoredInterfaces")
	return out
}

func checkServiceCIDR(r *reporter, field, cidr string) {
	if cidr == "" {
		return // Calico ignores empty entries
	}
	if _, err := parseNet(cidr, true); err != nil {
		r.report(codeBGPConfig, field, "service CIDR %v", err)
	}
}

// checkCommunities checks the communities and prefix advertisements of a
// BGPConfiguration: values well formed, names defined.
func checkCommunities(r *reporter, s *v3.BGPConfigurationSpec) {
	defined := map[string]bool{}
	for i, c := range s.Communities {
		field := fieldPath("spec.communities", i)
		if c.Name == "" {
			r.report(codeCommunity, field+".name", "community name is required")
		} else if errs := k8svalidation.IsDNS1123Subdomain(c.Name); len(errs) > 0 {
			r.report(codeCommunity, field+".name", "community name %q is not a valid name: %s", c.Name, errs[0])
		}
		if defined[c.Name] {
			r.report(codeCommunity, field+".name", "community %q is defined twice", c.Name)
		}
		defined[c.Name] = true
		if msg := communityProblem(c.Value); msg != "" {
			r.report(codeCommunity, field+".value", "community %q value %s", c.Name, msg)
		}
	}
	if len(s.Communities) > 0 && len(s.PrefixAdvertisements) == 0 {
		r.report(codeCommunity, "spec.communities", "communities are defined but no prefixAdvertisements use them; Calico requires prefixAdvertisements with communities")
	}
	for i, pa := range s.PrefixAdvertisements {
		field := fieldPath("spec.prefixAdvertisements", i)
		if pa.CIDR == "" {
			r.report(codeCommunity, field+".cidr", "cidr is required")
		} else if _, err := parseNet(pa.CIDR, true); err != nil {
			r.report(codeCommunity, field+".cidr", "prefix advertisement %v", err)
		}
		if len(pa.Communities) == 0 {
			r.report(codeCommunity, field+".communities", "communities is required: list community values or names")
		}
		for j, c := range pa.Communities {
			if strings.Contains(c, ":") {
				if msg := communityProblem(c); msg != "" {
					r.report(codeCommunity, fieldPath(field+".communities", j), "community value %s", msg)
				}
			} else if !defined[c] {
				r.report(codeCommunity, fieldPath(field+".communities", j), "community %q is not defined in spec.communities; define it or write its value (aa:nn or aa:nn:mm)", c)
			}
		}
	}
}

// communityProblem says what is wrong with a community value, or "": it
// must be aa:nn (standard, 16-bit parts) or aa:nn:mm (large, 32-bit parts).
func communityProblem(v string) string {
	parts := strings.Split(v, ":")
	bits := 0
	switch len(parts) {
	case 2:
		bits = 16
	case 3:
		bits = 32
	default:
		return strconv.Quote(v) + " is not aa:nn (standard) or aa:nn:mm (large)"
	}
	for _, p := range parts {
		if _, err := strconv.ParseUint(p, 10, bits); err != nil || p == "" || p[0] == '+' {
			return strconv.Quote(v) + " has a part out of range: each part of aa:nn fits 16 bits (0-65535), of aa:nn:mm 32 bits"
		}
	}
	return ""
}

func checkSecretRef(r *reporter, field string, p *v3.BGPPassword) {
	if p.SecretKeyRef == nil {
		r.report(codeBGPConfig, field, "secretKeyRef is required: name the Secret and key holding the password")
		return
	}
	if p.SecretKeyRef.Name == "" || p.SecretKeyRef.Key == "" {
		r.report(codeBGPConfig, field, "secretKeyRef needs both name and key")
	}
}
