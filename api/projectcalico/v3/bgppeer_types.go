package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// SourceAddress says whether a peering pins the node IP as its TCP source.
// +kubebuilder:validation:Enum=UseNodeIP;None
type SourceAddress string

// Source address settings.
const (
	SourceAddressUseNodeIP SourceAddress = "UseNodeIP"
	SourceAddressNone      SourceAddress = "None"
)

// NextHopMode says how the next hop of routes sent to a peer is set.
// +kubebuilder:validation:Enum=Auto;Self;Keep
type NextHopMode string

// Next-hop modes.
const (
	NextHopModeAuto NextHopMode = "Auto"
	NextHopModeSelf NextHopMode = "Self"
	NextHopModeKeep NextHopMode = "Keep"
)

// ReversePeering says whether the reverse of a peering between two nodes is
// generated automatically.
// +kubebuilder:validation:Enum=Auto;Manual
type ReversePeering string

// Reverse peering settings.
const (
	ReversePeeringAuto   ReversePeering = "Auto"
	ReversePeeringManual ReversePeering = "Manual"
)

// BGPPeerSpec is the desired state of a BGPPeer. With neither Node nor
// NodeSelector set the peer is global: every node gets it.
// +kubebuilder:validation:XValidation:rule="!has(self.node) || size(self.node) == 0 || !has(self.nodeSelector) || size(self.nodeSelector) == 0",message="node and nodeSelector cannot both be set"
// +kubebuilder:validation:XValidation:rule="!has(self.peerIP) || size(self.peerIP) == 0 || !has(self.peerSelector) || size(self.peerSelector) == 0",message="peerIP and peerSelector cannot both be set"
// +kubebuilder:validation:XValidation:rule="!has(self.peerSelector) || size(self.peerSelector) == 0 || !has(self.asNumber) || self.asNumber == 0",message="asNumber must be empty when peerSelector is set; the remote node's AS is used"
// +kubebuilder:validation:XValidation:rule="!has(self.reachableBy) || size(self.reachableBy) == 0 || (has(self.peerIP) && size(self.peerIP) > 0)",message="reachableBy requires peerIP"
type BGPPeerSpec struct {
	// Node names the one node that gets this peering.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	Node string `json:"node,omitempty"`

	// NodeSelector selects the nodes that get this peering.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NodeSelector string `json:"nodeSelector,omitempty"`

	// PeerIP is the peer's address: an IP, "IPv4:port" or "[IPv6]:port".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	PeerIP string `json:"peerIP,omitempty"`

	// ASNumber is the peer's AS; 0 means unset.
	// +optional
	ASNumber numorstring.ASNumber `json:"asNumber,omitempty"`

	// LocalASNumber overrides the node's AS for this peering.
	// +optional
	LocalASNumber *numorstring.ASNumber `json:"localASNumber,omitempty"`

	// PeerSelector selects remote Calico nodes to peer with.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	PeerSelector string `json:"peerSelector,omitempty"`

	// KeepOriginalNextHop keeps the next hop of routes sent to eBGP peers.
	// Deprecated: use NextHopMode.
	// +optional
	KeepOriginalNextHop bool `json:"keepOriginalNextHop,omitempty"`

	// NextHopMode says how the next hop of routes sent to the peer is set.
	// +optional
	NextHopMode *NextHopMode `json:"nextHopMode,omitempty"`

	// Password is the session's password.
	// +optional
	Password *BGPPassword `json:"password,omitempty"`

	// SourceAddress says whether the node IP is the session's TCP source.
	// Default UseNodeIP.
	// +optional
	SourceAddress SourceAddress `json:"sourceAddress,omitempty"`

	// MaxRestartTime is the graceful-restart time.
	// +optional
	MaxRestartTime *metav1.Duration `json:"maxRestartTime,omitempty"`

	// KeepaliveTime is the BGP keepalive time.
	// +optional
	KeepaliveTime *metav1.Duration `json:"keepaliveTime,omitempty"`

	// NumAllowedLocalASNumbers lets routes carrying the local AS this many
	// times be accepted, disabling loop prevention.
	// +optional
	NumAllowedLocalASNumbers *int32 `json:"numAllowedLocalASNumbers,omitempty"`

	// TTLSecurity, when above 0, turns on GTSM with this many hops.
	// +optional
	TTLSecurity *uint8 `json:"ttlSecurity,omitempty"`

	// ReachableBy is the gateway through which the peer is reached; a static
	// host route to the peer is installed through it.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	ReachableBy string `json:"reachableBy,omitempty"`

	// Filters are the BGPFilters applied to this peering, in order.
	// +optional
	Filters []string `json:"filters,omitempty"`

	// LocalWorkloadSelector selects local pods to peer with.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	LocalWorkloadSelector string `json:"localWorkloadSelector,omitempty"`

	// ReversePeering says whether the reverse peering is generated for
	// Calico-node peers. Default Auto.
	// +optional
	ReversePeering *ReversePeering `json:"reversePeering,omitempty"`
}

// BGPPeer is a BGP peering of some nodes with a router or with other nodes.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Peer",type=string,JSONPath=`.spec.peerIP`
// +kubebuilder:printcolumn:name="AS",type=integer,JSONPath=`.spec.asNumber`
// +kubebuilder:printcolumn:name="Node",type=string,JSONPath=`.spec.node`
// +kubebuilder:printcolumn:name="Nodes",type=string,JSONPath=`.spec.nodeSelector`
// +kubebuilder:printcolumn:name="Peers",type=string,JSONPath=`.spec.peerSelector`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type BGPPeer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec BGPPeerSpec `json:"spec,omitempty"`
}

// BGPPeerList is a list of BGPPeers.
//
// +kubebuilder:object:root=true
type BGPPeerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []BGPPeer `json:"items"`
}
