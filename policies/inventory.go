package policies

import (
	"net/netip"

	"github.com/tabbynet/tabby/manifest"
)

// Namespace is a Kubernetes namespace and its labels.
type Namespace struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}

// ServiceAccount is a Kubernetes service account and its labels.
type ServiceAccount struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// Pod is a workload: one of the cluster's pods, or a hypothetical one a
// caller describes (a ConnectivityTest peer). Name and IPs may be empty for
// a hypothetical pod; it is then matched by its labels alone and by no nets.
type Pod struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	// ServiceAccount is the pod's service account; empty means "default",
	// as the Kubernetes API server fills it in.
	ServiceAccount string       `json:"serviceAccount,omitempty"`
	IPs            []netip.Addr `json:"ips,omitempty"`
	// Ports are the pod's named container ports, which rules can name.
	Ports []NamedPort `json:"ports,omitempty"`
	Node  string      `json:"node,omitempty"`
}

// NamedPort is a named container port.
type NamedPort struct {
	Name     string `json:"name"`
	Protocol uint8  `json:"protocol"` // IANA number: 6 TCP, 17 UDP, 132 SCTP
	Port     uint16 `json:"port"`
}

// Input is everything the engine models: the rendered objects of a
// repository and what the cluster runs (from an endpoints file or a live
// cluster).
type Input struct {
	// Objects are rendered objects. The engine reads Tiers, Calico
	// NetworkPolicies and GlobalNetworkPolicies, Kubernetes NetworkPolicies,
	// NetworkSets, GlobalNetworkSets and HostEndpoints, and ignores other
	// kinds. Objects are expected to be defaulted, as render leaves them.
	Objects         []*manifest.Object
	Namespaces      []Namespace
	ServiceAccounts []ServiceAccount
	Pods            []Pod
}
