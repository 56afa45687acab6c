package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Built-in tiers: Calico creates them, fixes their order and default action,
// and refuses to delete them.
const (
	TierDefault      = "default"
	TierKubeAdmin    = "kube-admin"
	TierKubeBaseline = "kube-baseline"
)

// Orders of the built-in tiers.
const (
	TierDefaultOrder      float64 = 1_000_000
	TierKubeAdminOrder    float64 = 1_000
	TierKubeBaselineOrder float64 = 10_000_000
)

// TierLabel is the label Calico puts on every policy, naming its tier.
const TierLabel = "projectcalico.org/tier"

// TierSpec is the desired state of a Tier.
type TierSpec struct {
	// Order places the tier among tiers, lowest first; nil sorts last.
	// +optional
	Order *float64 `json:"order,omitempty"`

	// DefaultAction applies to packets that no policy of the tier decided.
	// Default Deny.
	// +kubebuilder:validation:Enum=Deny;Pass
	// +optional
	DefaultAction *Action `json:"defaultAction,omitempty"`
}

// TierStatus is the observed state of a Tier.
type TierStatus struct {
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Tier groups policies; tiers are evaluated in order, each able to decide a
// packet or pass it on.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="Order",type=number,JSONPath=`.spec.order`
// +kubebuilder:printcolumn:name="Default",type=string,JSONPath=`.spec.defaultAction`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Tier struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec TierSpec `json:"spec,omitempty"`
	// +optional
	Status *TierStatus `json:"status,omitempty"`
}

// TierList is a list of Tiers.
//
// +kubebuilder:object:root=true
type TierList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Tier `json:"items"`
}
