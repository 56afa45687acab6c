package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// IPReservationSpec is the desired state of an IPReservation.
type IPReservationSpec struct {
	// ReservedCIDRs are CIDRs or bare IPs that IPAM must not hand out. Host
	// bits are tolerated.
	// +listType=set
	// +optional
	ReservedCIDRs []string `json:"reservedCIDRs,omitempty"`
}

// IPReservation keeps addresses inside IPPools from being allocated.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type IPReservation struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec IPReservationSpec `json:"spec"`
}

// IPReservationList is a list of IPReservations.
//
// +kubebuilder:object:root=true
type IPReservationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []IPReservation `json:"items"`
}
