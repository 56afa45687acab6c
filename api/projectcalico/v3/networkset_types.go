package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NetworkSetSpec lists the networks of a NetworkSet or GlobalNetworkSet.
type NetworkSetSpec struct {
	// Nets are CIDRs or bare IPs; host bits are tolerated.
	// +listType=set
	// +optional
	Nets []string `json:"nets,omitempty"`
}

// NetworkSet is a labelled set of networks that policies of its namespace
// can select.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced,shortName={netset,netsets}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type NetworkSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec NetworkSetSpec `json:"spec,omitempty"`
}

// NetworkSetList is a list of NetworkSets.
//
// +kubebuilder:object:root=true
type NetworkSetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NetworkSet `json:"items"`
}

// GlobalNetworkSet is a labelled set of networks that any policy can select.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={gns}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type GlobalNetworkSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec NetworkSetSpec `json:"spec,omitempty"`
}

// GlobalNetworkSetList is a list of GlobalNetworkSets.
//
// +kubebuilder:object:root=true
type GlobalNetworkSetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []GlobalNetworkSet `json:"items"`
}
