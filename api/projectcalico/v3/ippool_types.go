package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// EncapMode says when traffic between pods in a pool is encapsulated.
// +kubebuilder:validation:Enum=Never;Always;CrossSubnet
type EncapMode string

// Encapsulation modes of an IPPool's ipipMode and vxlanMode.
const (
	EncapNever       EncapMode = "Never"
	EncapAlways      EncapMode = "Always"
	EncapCrossSubnet EncapMode = "CrossSubnet"
)

// IPPoolAllowedUse is a use an IPPool's addresses may be put to.
// +kubebuilder:validation:Enum=Workload;Tunnel;LoadBalancer
type IPPoolAllowedUse string

// Allowed uses of an IPPool.
const (
	IPPoolAllowedUseWorkload     IPPoolAllowedUse = "Workload"
	IPPoolAllowedUseTunnel       IPPoolAllowedUse = "Tunnel"
	IPPoolAllowedUseLoadBalancer IPPoolAllowedUse = "LoadBalancer"
)

// AssignmentMode says whether IPAM may pick a pool on its own.
// +kubebuilder:validation:Enum=Automatic;Manual
type AssignmentMode string

// Assignment modes of an IPPool.
const (
	AssignmentModeAutomatic AssignmentMode = "Automatic"
	AssignmentModeManual    AssignmentMode = "Manual"
)

// IPPoolSpec is the desired state of an IPPool.
// +kubebuilder:validation:XValidation:rule="!has(self.ipipMode) || !has(self.vxlanMode) || self.ipipMode == 'Never' || self.vxlanMode == 'Never'",message="ipipMode and vxlanMode cannot both be enabled"
type IPPoolSpec struct {
	// CIDR is the pool's network, strictly masked. Immutable.
	// +kubebuilder:validation:MaxLength=48
	// +kubebuilder:validation:XValidation:rule="isCIDR(self)",message="cidr must be a CIDR such as 10.244.0.0/16"
	CIDR string `json:"cidr"`

	// VXLANMode says when to use VXLAN for traffic between pods. Default Never.
	// +optional
	VXLANMode EncapMode `json:"vxlanMode,omitempty"`

	// IPIPMode says when to use IP-in-IP for traffic between pods. Default Never.
	// +optional
	IPIPMode EncapMode `json:"ipipMode,omitempty"`

	// NATOutgoing masquerades traffic from the pool's pods to destinations
	// outside every pool.
	// +optional
	NATOutgoing bool `json:"natOutgoing,omitempty"`

	// Disabled stops IPAM allocating from the pool.
	// +optional
	Disabled bool `json:"disabled,omitempty"`

	// DisableBGPExport stops the pool's routes being advertised over BGP.
	// +optional
	DisableBGPExport bool `json:"disableBGPExport,omitempty"`

	// BlockSize is the prefix length of the blocks IPAM hands to nodes:
	// 20–32 for IPv4 (default 26), 116–128 for IPv6 (default 122). Immutable.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=128
	// +optional
	BlockSize int `json:"blockSize,omitempty"`

	// NodeSelector selects the nodes that may allocate from the pool.
	// Default all().
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NodeSelector string `json:"nodeSelector,omitempty"`

	// NamespaceSelector selects the namespaces whose pods may allocate from
	// the pool; empty selects every namespace.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NamespaceSelector string `json:"namespaceSelector,omitempty"`

	// AllowedUses lists what the pool's addresses may be used for.
	// Default [Workload, Tunnel].
	// +kubebuilder:validation:MaxItems=10
	// +listType=set
	// +optional
	AllowedUses []IPPoolAllowedUse `json:"allowedUses,omitempty"`

	// AssignmentMode says whether IPAM may choose the pool automatically.
	// Default Automatic.
	// +optional
	AssignmentMode *AssignmentMode `json:"assignmentMode,omitempty"`
}

// IPPoolStatus is the observed state of an IPPool.
type IPPoolStatus struct {
	// Conditions of the pool; Calico writes the Allocatable condition.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// IPPool is a range of addresses from which pods get their IPs.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={ipp,ipps,pool,pools}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="CIDR",type=string,JSONPath=`.spec.cidr`
// +kubebuilder:printcolumn:name="Block",type=integer,JSONPath=`.spec.blockSize`
// +kubebuilder:printcolumn:name="VXLAN",type=string,JSONPath=`.spec.vxlanMode`
// +kubebuilder:printcolumn:name="IPIP",type=string,JSONPath=`.spec.ipipMode`
// +kubebuilder:printcolumn:name="NAT",type=boolean,JSONPath=`.spec.natOutgoing`
// +kubebuilder:printcolumn:name="Disabled",type=boolean,JSONPath=`.spec.disabled`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type IPPool struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec IPPoolSpec `json:"spec"`
	// +optional
	Status *IPPoolStatus `json:"status,omitempty"`
}

// IPPoolList is a list of IPPools.
//
// +kubebuilder:object:root=true
type IPPoolList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []IPPool `json:"items"`
}
