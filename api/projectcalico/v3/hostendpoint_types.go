package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// HostEndpointSpec is the desired state of a HostEndpoint.
// +kubebuilder:validation:XValidation:rule="(has(self.interfaceName) && size(self.interfaceName) > 0) || (has(self.expectedIPs) && size(self.expectedIPs) > 0)",message="at least one of interfaceName or expectedIPs must be specified"
type HostEndpointSpec struct {
	// Node is the host the endpoint is on.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Node string `json:"node,omitempty"`

	// InterfaceName is the host interface, or "*" for all of the host's
	// traffic.
	// +optional
	InterfaceName string `json:"interfaceName,omitempty"`

	// ExpectedIPs are the endpoint's addresses, which selectors resolve to.
	// +listType=set
	// +optional
	ExpectedIPs []string `json:"expectedIPs,omitempty"`

	// Profiles apply after policy, in order.
	// +listType=set
	// +optional
	Profiles []string `json:"profiles,omitempty"`

	// Ports are the endpoint's named ports.
	// +optional
	Ports []EndpointPort `json:"ports,omitempty"`
}

// EndpointPort is a named port of an endpoint.
type EndpointPort struct {
	Name     string               `json:"name"`
	Protocol numorstring.Protocol `json:"protocol"`
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port uint16 `json:"port"`
}

// HostEndpoint is a host interface that policy applies to.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={hep,heps}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Node",type=string,JSONPath=`.spec.node`
// +kubebuilder:printcolumn:name="Interface",type=string,JSONPath=`.spec.interfaceName`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type HostEndpoint struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec HostEndpointSpec `json:"spec,omitempty"`
}

// HostEndpointList is a list of HostEndpoints.
//
// +kubebuilder:object:root=true
type HostEndpointList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []HostEndpoint `json:"items"`
}
