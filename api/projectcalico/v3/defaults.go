package v3

import (
	"net/netip"
)

// Defaults Calico applies to IPPools.
const (
	DefaultBlockSizeV4        = 26
	DefaultBlockSizeV6        = 122
	DefaultIPPoolNodeSelector = "all()"
)

// Default fills the fields Calico fills when it stores an IPPool, and writes
// the CIDR in canonical form when it is strictly masked (a CIDR with host
// bits set is left as written, for validation to reject).
func (p *IPPool) Default() {
	s := &p.Spec
	if prefix, err := netip.ParsePrefix(s.CIDR); err == nil && prefix == prefix.Masked() {
		s.CIDR = prefix.String()
	}
	if s.BlockSize == 0 {
		if prefix, err := netip.ParsePrefix(s.CIDR); err == nil && prefix.Addr().Is6() && !prefix.Addr().Is4In6() {
			s.BlockSize = DefaultBlockSizeV6
		} else {
			s.BlockSize = DefaultBlockSizeV4
		}
	}
	if s.IPIPMode == "" {
		s.IPIPMode = EncapNever
	}
	if s.VXLANMode == "" {
		s.VXLANMode = EncapNever
	}
	if s.NodeSelector == "" {
		s.NodeSelector = DefaultIPPoolNodeSelector
	}
	if len(s.AllowedUses) == 0 {
		s.AllowedUses = []IPPoolAllowedUse{IPPoolAllowedUseWorkload, IPPoolAllowedUseTunnel}
	}
	if s.AssignmentMode == nil {
		mode := AssignmentModeAutomatic
		s.AssignmentMode = &mode
	}
}

// Default fills the fields Calico fills when it stores a BGPConfiguration.
func (c *BGPConfiguration) Default() {
	if c.Spec.LogSeverityScreen == "" {
		c.Spec.LogSeverityScreen = "Info"
	}
	if c.Spec.ServiceLoadBalancerAggregation == "" {
		c.Spec.ServiceLoadBalancerAggregation = ServiceLoadBalancerAggregationEnabled
	}
}

// Default fills the default action Calico gives a Tier.
func (t *Tier) Default() {
	if t.Spec.DefaultAction == nil {
		deny := Deny
		t.Spec.DefaultAction = &deny
	}
}

// Default fills the tier, the tier label and the types of a policy, as
// Calico does when it stores one.
func (p *NetworkPolicy) Default() {
	p.Spec.Tier = defaultTier(p.Spec.Tier)
	p.Labels = withTierLabel(p.Labels, p.Spec.Tier)
	p.Spec.Types = DefaultPolicyTypes(p.Spec.Types, len(p.Spec.Ingress) > 0, len(p.Spec.Egress) > 0)
}

// Default fills the tier, the tier label and the types of a policy, as
// Calico does when it stores one.
func (p *GlobalNetworkPolicy) Default() {
	p.Spec.Tier = defaultTier(p.Spec.Tier)
	p.Labels = withTierLabel(p.Labels, p.Spec.Tier)
	p.Spec.Types = DefaultPolicyTypes(p.Spec.Types, len(p.Spec.Ingress) > 0, len(p.Spec.Egress) > 0)
}

// DefaultPolicyTypes returns types unchanged when it is non-empty, and
// otherwise the types Calico derives from the rules present: Egress alone
// when there are egress rules but no ingress rules, both when there are
// both, and Ingress otherwise (a policy without rules is an ingress default
// deny).
func DefaultPolicyTypes(types []PolicyType, hasIngress, hasEgress bool) []PolicyType {
	if len(types) > 0 {
		return types
	}
	switch {
	case hasIngress && hasEgress:
		return []PolicyType{PolicyTypeIngress, PolicyTypeEgress}
	case hasEgress:
		return []PolicyType{PolicyTypeEgress}
	default:
		return []PolicyType{PolicyTypeIngress}
	}
}

func defaultTier(tier string) string {
	if tier == "" {
		return TierDefault
	}
	return tier
}

func withTierLabel(labels map[string]string, tier string) map[string]string {
	if labels[TierLabel] == tier {
		return labels
	}
	if labels == nil {
		labels = make(map[string]string, 1)
	}
	labels[TierLabel] = tier
	return labels
}
