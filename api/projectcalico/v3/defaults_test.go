package v3

import (
	"reflect"
	"testing"
)

func TestIPPoolDefault(t *testing.T) {
	cases := []struct {
		name string
		in   IPPoolSpec
		want IPPoolSpec
	}{
		{
			name: "v4 pool gets every default",
			in:   IPPoolSpec{CIDR: "10.0.0.0/16"},
			want: IPPoolSpec{CIDR: "10.0.0.0/16", BlockSize: 26, IPIPMode: EncapNever, VXLANMode: EncapNever,
				NodeSelector: "all()", AllowedUses: []IPPoolAllowedUse{IPPoolAllowedUseWorkload, IPPoolAllowedUseTunnel}},
		},
		{
			name: "v6 pool gets the v6 block size and a canonical CIDR",
			in:   IPPoolSpec{CIDR: "aabb:aabb::0000/122"},
			want: IPPoolSpec{CIDR: "aabb:aabb::/122", BlockSize: 122, IPIPMode: EncapNever, VXLANMode: EncapNever,
				NodeSelector: "all()", AllowedUses: []IPPoolAllowedUse{IPPoolAllowedUseWorkload, IPPoolAllowedUseTunnel}},
		},
		{
			name: "host bits are left for validation to reject",
			in:   IPPoolSpec{CIDR: "10.0.0.1/24", BlockSize: 28, IPIPMode: EncapAlways, VXLANMode: EncapNever, NodeSelector: "a == 'b'", AllowedUses: []IPPoolAllowedUse{IPPoolAllowedUseLoadBalancer}},
			want: IPPoolSpec{CIDR: "10.0.0.1/24", BlockSize: 28, IPIPMode: EncapAlways, VXLANMode: EncapNever, NodeSelector: "a == 'b'", AllowedUses: []IPPoolAllowedUse{IPPoolAllowedUseLoadBalancer}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &IPPool{Spec: tc.in}
			p.Default()
			again := p.DeepCopy()
			again.Default()
			if !reflect.DeepEqual(again, p) {
				t.Error("Default is not idempotent")
			}
			if p.Spec.AssignmentMode == nil || *p.Spec.AssignmentMode != AssignmentModeAutomatic {
				t.Errorf("assignmentMode = %v, want Automatic", p.Spec.AssignmentMode)
			}
			p.Spec.AssignmentMode = nil
			if !reflect.DeepEqual(p.Spec, tc.want) {
				t.Errorf("Default() = %+v\nwant        %+v", p.Spec, tc.want)
			}
		})
	}
}

func TestDefaultPolicyTypes(t *testing.T) {
	cases := []struct {
		name            string
		types           []PolicyType
		ingress, egress bool
		want            []PolicyType
	}{
		{name: "no rules is an ingress default deny", want: []PolicyType{PolicyTypeIngress}},
		{name: "ingress rules only", ingress: true, want: []PolicyType{PolicyTypeIngress}},
		{name: "egress rules only", egress: true, want: []PolicyType{PolicyTypeEgress}},
		{name: "both", ingress: true, egress: true, want: []PolicyType{PolicyTypeIngress, PolicyTypeEgress}},
		{name: "explicit types are kept", types: []PolicyType{PolicyTypeEgress}, ingress: true, want: []PolicyType{PolicyTypeEgress}},
	}
	for _, tc := range cases {
		if got := DefaultPolicyTypes(tc.types, tc.ingress, tc.egress); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPolicyDefaultTierAndLabel(t *testing.T) {
	gnp := &GlobalNetworkPolicy{Spec: GlobalNetworkPolicySpec{Egress: []Rule{{Action: Allow}}}}
	gnp.Default()
	if gnp.Spec.Tier != TierDefault || gnp.Labels[TierLabel] != TierDefault || !reflect.DeepEqual(gnp.Spec.Types, []PolicyType{PolicyTypeEgress}) {
		t.Errorf("GlobalNetworkPolicy defaults: %+v, labels %v", gnp.Spec, gnp.Labels)
	}
	np := &NetworkPolicy{Spec: NetworkPolicySpec{Tier: "security"}}
	np.Labels = map[string]string{TierLabel: "wrong", "app": "x"}
	np.Default()
	if np.Labels[TierLabel] != "security" || np.Labels["app"] != "x" {
		t.Errorf("NetworkPolicy labels = %v", np.Labels)
	}
}

func TestTierAndBGPConfigurationDefaults(t *testing.T) {
	tier := &Tier{}
	tier.Default()
	if tier.Spec.DefaultAction == nil || *tier.Spec.DefaultAction != Deny {
		t.Errorf("tier defaultAction = %v", tier.Spec.DefaultAction)
	}
	c := &BGPConfiguration{}
	c.Default()
	if c.Spec.LogSeverityScreen != "Info" || c.Spec.ServiceLoadBalancerAggregation != ServiceLoadBalancerAggregationEnabled {
		t.Errorf("BGPConfiguration defaults = %+v", c.Spec)
	}
	if c.Spec.NodeToNodeMeshEnabled != nil || c.Spec.ASNumber != nil {
		t.Error("defaulting must not write the mesh or AS: their absence means the documented default")
	}
}
