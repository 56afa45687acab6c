package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// Annotations on a Kubernetes Node that carry its Calico BGP settings. A v3
// Node has no storage of its own in a Kubernetes-datastore cluster: its
// labels are the Kubernetes Node's labels and its BGP spec lives in these
// annotations.
const (
	NodeAnnotationASNumber                = "projectcalico.org/ASNumber"
	NodeAnnotationIPv4Address             = "projectcalico.org/IPv4Address"
	NodeAnnotationIPv6Address             = "projectcalico.org/IPv6Address"
	NodeAnnotationRouteReflectorClusterID = "projectcalico.org/RouteReflectorClusterID"
	NodeAnnotationIPv4IPIPTunnelAddr      = "projectcalico.org/IPv4IPIPTunnelAddr"
)

// NodeSpec is the part of a Calico Node tabby manages: its BGP settings.
// The other fields exist so that Node manifests exported from a cluster
// decode; tabby does not apply them.
type NodeSpec struct {
	// BGP holds the node's BGP settings.
	// +optional
	BGP *NodeBGPSpec `json:"bgp,omitempty"`

	// +optional
	IPv4VXLANTunnelAddr string `json:"ipv4VXLANTunnelAddr,omitempty"`
	// +optional
	VXLANTunnelMACAddr string `json:"vxlanTunnelMACAddr,omitempty"`
	// +optional
	IPv6VXLANTunnelAddr string `json:"ipv6VXLANTunnelAddr,omitempty"`
	// +optional
	VXLANTunnelMACAddrV6 string `json:"vxlanTunnelMACAddrV6,omitempty"`
	// +optional
	OrchRefs []OrchRef `json:"orchRefs,omitempty"`
	// +optional
	Wireguard *NodeWireguardSpec `json:"wireguard,omitempty"`
	// +optional
	Addresses []NodeAddress `json:"addresses,omitempty"`
	// +optional
	Interfaces []NodeInterface `json:"interfaces,omitempty"`
}

// NodeBGPSpec is a node's BGP identity.
type NodeBGPSpec struct {
	// ASNumber is the node's AS; the global AS when unset.
	// +optional
	ASNumber *numorstring.ASNumber `json:"asNumber,omitempty"`
	// IPv4Address is the node's IPv4 address with its prefix, e.g.
	// 10.0.6.11/24; host bits are expected.
	// +optional
	IPv4Address string `json:"ipv4Address,omitempty"`
	// IPv6Address is the node's IPv6 address with its prefix.
	// +optional
	IPv6Address string `json:"ipv6Address,omitempty"`
	// +optional
	IPv4IPIPTunnelAddr string `json:"ipv4IPIPTunnelAddr,omitempty"`
	// RouteReflectorClusterID, a dotted IPv4 value, makes the node a route
	// reflector of that cluster.
	// +optional
	RouteReflectorClusterID string `json:"routeReflectorClusterID,omitempty"`
}

// OrchRef ties a Calico node to an orchestrator's node.
type OrchRef struct {
	// +optional
	NodeName     string `json:"nodeName,omitempty"`
	Orchestrator string `json:"orchestrator"`
}

// NodeWireguardSpec holds a node's WireGuard addresses.
type NodeWireguardSpec struct {
	// +optional
	InterfaceIPv4Address string `json:"interfaceIPv4Address,omitempty"`
	// +optional
	InterfaceIPv6Address string `json:"interfaceIPv6Address,omitempty"`
}

// NodeAddress is an address of a node.
type NodeAddress struct {
	Address string `json:"address"`
	// +optional
	Type string `json:"type,omitempty"`
}

// NodeInterface is an interface of a node.
type NodeInterface struct {
	// +optional
	Name string `json:"name,omitempty"`
	// +optional
	Addresses []string `json:"addresses,omitempty"`
}

// Node is a Calico node's labels and BGP settings. It has no CRD: tabby
// applies it as labels and annotations on the Kubernetes Node of the same
// name, and never creates or deletes Kubernetes Nodes.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
type Node struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec NodeSpec `json:"spec,omitempty"`
}

// NodeList is a list of Nodes.
//
// +kubebuilder:object:root=true
type NodeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Node `json:"items"`
}
