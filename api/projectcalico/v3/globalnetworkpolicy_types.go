package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// GlobalNetworkPolicySpec is the desired state of a cluster-wide policy.
// +kubebuilder:validation:XValidation:rule="!(has(self.doNotTrack) && self.doNotTrack && has(self.preDNAT) && self.preDNAT)",message="preDNAT and doNotTrack cannot both be true"
// +kubebuilder:validation:XValidation:rule="(has(self.applyOnForward) && self.applyOnForward) || ((!has(self.doNotTrack) || !self.doNotTrack) && (!has(self.preDNAT) || !self.preDNAT))",message="applyOnForward must be true if either preDNAT or doNotTrack is true"
type GlobalNetworkPolicySpec struct {
	// Tier is the policy's tier. Default "default".
	// +optional
	Tier string `json:"tier,omitempty"`

	// Order places the policy within its tier, lowest first; nil sorts last.
	// +optional
	Order *float64 `json:"order,omitempty"`

	// Ingress rules, in order.
	// +kubebuilder:validation:MaxItems=1024
	// +listType=atomic
	// +optional
	Ingress []Rule `json:"ingress,omitempty"`

	// Egress rules, in order.
	// +kubebuilder:validation:MaxItems=1024
	// +listType=atomic
	// +optional
	Egress []Rule `json:"egress,omitempty"`

	// Selector selects the endpoints the policy applies to.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Selector string `json:"selector,omitempty"`

	// Types are the directions the policy applies to; defaulted from the
	// rules present when empty.
	// +kubebuilder:validation:MaxItems=2
	// +listType=set
	// +optional
	Types []PolicyType `json:"types,omitempty"`

	// DoNotTrack applies the policy before connection tracking.
	// +optional
	DoNotTrack bool `json:"doNotTrack,omitempty"`

	// PreDNAT applies the policy before DNAT.
	// +optional
	PreDNAT bool `json:"preDNAT,omitempty"`

	// ApplyOnForward applies the policy to forwarded traffic too.
	// +optional
	ApplyOnForward bool `json:"applyOnForward,omitempty"`

	// ServiceAccountSelector further selects endpoints by service account.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	ServiceAccountSelector string `json:"serviceAccountSelector,omitempty"`

	// NamespaceSelector further selects endpoints by namespace.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NamespaceSelector string `json:"namespaceSelector,omitempty"`

	// +listType=set
	// +optional
	PerformanceHints []PolicyPerformanceHint `json:"performanceHints,omitempty"`
}

// GlobalNetworkPolicy is a Calico policy for endpoints of any namespace and
// for host endpoints.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={gnp,cgnp,calicoglobalnetworkpolicy}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Tier",type=string,JSONPath=`.spec.tier`
// +kubebuilder:printcolumn:name="Order",type=number,JSONPath=`.spec.order`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type GlobalNetworkPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec GlobalNetworkPolicySpec `json:"spec,omitempty"`
}

// GlobalNetworkPolicyList is a list of GlobalNetworkPolicies.
//
// +kubebuilder:object:root=true
type GlobalNetworkPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []GlobalNetworkPolicy `json:"items"`
}
