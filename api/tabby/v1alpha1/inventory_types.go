package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// InventorySpec describes what runs in a cluster, for checks made without
// one: namespaces and service accounts with their labels, pods with their
// labels and addresses, and nodes with their labels and BGP identity.
// tabby explain, tabby plan and the ConnectivityTests of tabby validate use
// it; docs/inventory.md documents the format.
type InventorySpec struct {
	// Namespaces and their labels. A namespace that pods name but that is
	// not listed has the label kubernetes.io/metadata.name only.
	// +optional
	Namespaces []InventoryNamespace `json:"namespaces,omitempty"`

	// ServiceAccounts and their labels.
	// +optional
	ServiceAccounts []InventoryServiceAccount `json:"serviceAccounts,omitempty"`

	// Pods, with what policy matches on.
	// +optional
	Pods []InventoryPod `json:"pods,omitempty"`

	// Nodes, with what BGP peering selects and computes on.
	// +optional
	Nodes []InventoryNode `json:"nodes,omitempty"`
}

// InventoryNamespace is a namespace and its labels.
type InventoryNamespace struct {
	Name string `json:"name"`
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
}

// InventoryServiceAccount is a service account and its labels.
type InventoryServiceAccount struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
}

// InventoryPod is a pod.
type InventoryPod struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
	// ServiceAccount the pod runs as. Default "default".
	// +optional
	ServiceAccount string `json:"serviceAccount,omitempty"`
	// IPs of the pod.
	// +optional
	IPs []string `json:"ips,omitempty"`
	// Ports the pod names, which rules can match by name.
	// +optional
	Ports []InventoryPort `json:"ports,omitempty"`
	// Node the pod runs on.
	// +optional
	Node string `json:"node,omitempty"`
}

// InventoryPort is a named port of a pod.
type InventoryPort struct {
	Name string `json:"name"`
	// Protocol of the port. Default TCP.
	// +optional
	Protocol *numorstring.Protocol `json:"protocol,omitempty"`
	Port     int32                 `json:"port"`
}

// InventoryNode is a node: its labels and BGP identity, as a Calico Node
// has them.
type InventoryNode struct {
	Name string `json:"name"`
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
	// +optional
	ASNumber *numorstring.ASNumber `json:"asNumber,omitempty"`
	// IPv4Address is the node's address with its subnet, e.g. 10.0.6.11/24.
	// +optional
	IPv4Address string `json:"ipv4Address,omitempty"`
	// +optional
	IPv6Address string `json:"ipv6Address,omitempty"`
	// +optional
	RouteReflectorClusterID string `json:"routeReflectorClusterID,omitempty"`
}

// Inventory describes what runs in a cluster. It is review-only
// (api.Kind.Applied false): read from a file or a repository, never
// applied, so it has no CRD.
//
// +kubebuilder:object:root=true
type Inventory struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec InventorySpec `json:"spec"`
}

// InventoryList is a list of Inventories.
//
// +kubebuilder:object:root=true
type InventoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Inventory `json:"items"`
}
