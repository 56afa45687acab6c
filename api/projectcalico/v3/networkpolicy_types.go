package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NetworkPolicySpec is the desired state of a namespaced Calico policy.
type NetworkPolicySpec struct {
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

	// Selector selects the endpoints of the policy's namespace it applies to.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Selector string `json:"selector,omitempty"`

	// Types are the directions the policy applies to; defaulted from the
	// rules present when empty.
	// +kubebuilder:validation:MaxItems=2
	// +listType=set
	// +optional
	Types []PolicyType `json:"types,omitempty"`

	// ServiceAccountSelector further selects endpoints by service account.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	ServiceAccountSelector string `json:"serviceAccountSelector,omitempty"`

	// +listType=set
	// +optional
	PerformanceHints []PolicyPerformanceHint `json:"performanceHints,omitempty"`
}

// NetworkPolicy is a Calico policy for the endpoints of one namespace.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced,shortName={cnp,caliconetworkpolicy,caliconetworkpolicies}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Tier",type=string,JSONPath=`.spec.tier`
// +kubebuilder:printcolumn:name="Order",type=number,JSONPath=`.spec.order`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type NetworkPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec NetworkPolicySpec `json:"spec,omitempty"`
}

// NetworkPolicyList is a list of NetworkPolicies.
//
// +kubebuilder:object:root=true
type NetworkPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NetworkPolicy `json:"items"`
}
