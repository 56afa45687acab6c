package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NodeStatusClassType is a class of information a node reports.
// +kubebuilder:validation:Enum=Agent;BGP;Routes
type NodeStatusClassType string

// Node status classes.
const (
	NodeStatusClassAgent  NodeStatusClassType = "Agent"
	NodeStatusClassBGP    NodeStatusClassType = "BGP"
	NodeStatusClassRoutes NodeStatusClassType = "Routes"
)

// BGPPeerType says where a BGP session came from.
type BGPPeerType string

// BGP peer types, as CalicoNodeStatus reports them.
const (
	BGPPeerTypeNodeMesh   BGPPeerType = "NodeMesh"
	BGPPeerTypeNodePeer   BGPPeerType = "NodePeer"
	BGPPeerTypeGlobalPeer BGPPeerType = "GlobalPeer"
)

// BGPSessionState is the state of a BGP session's finite-state machine.
type BGPSessionState string

// BGP session states.
const (
	BGPSessionStateIdle        BGPSessionState = "Idle"
	BGPSessionStateConnect     BGPSessionState = "Connect"
	BGPSessionStateActive      BGPSessionState = "Active"
	BGPSessionStateOpenSent    BGPSessionState = "OpenSent"
	BGPSessionStateOpenConfirm BGPSessionState = "OpenConfirm"
	BGPSessionStateEstablished BGPSessionState = "Established"
	BGPSessionStateClose       BGPSessionState = "Close"
)

// BGPDaemonState says whether a node's BGP speaker is running.
type BGPDaemonState string

// BGP daemon states.
const (
	BGPDaemonStateReady    BGPDaemonState = "Ready"
	BGPDaemonStateNotReady BGPDaemonState = "NotReady"
)

// CalicoNodeRouteType says whether a route is in the FIB or only the RIB.
type CalicoNodeRouteType string

// Route types.
const (
	RouteTypeFIB CalicoNodeRouteType = "FIB"
	RouteTypeRIB CalicoNodeRouteType = "RIB"
)

// CalicoNodeRouteSourceType says where a route was learned.
type CalicoNodeRouteSourceType string

// Route source types.
const (
	RouteSourceTypeKernel   CalicoNodeRouteSourceType = "Kernel"
	RouteSourceTypeStatic   CalicoNodeRouteSourceType = "Static"
	RouteSourceTypeDirect   CalicoNodeRouteSourceType = "Direct"
	RouteSourceTypeNodeMesh CalicoNodeRouteSourceType = "NodeMesh"
	RouteSourceTypeBGPPeer  CalicoNodeRouteSourceType = "BGPPeer"
)

// CalicoNodeStatusSpec asks a node to report some classes of status.
type CalicoNodeStatusSpec struct {
	// Node names the node that reports.
	Node string `json:"node,omitempty"`

	// Classes are what the node reports.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	// +listType=set
	Classes []NodeStatusClassType `json:"classes,omitempty"`

	// UpdatePeriodSeconds is how often the node reports; 0 stops reporting.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=86400
	UpdatePeriodSeconds *uint32 `json:"updatePeriodSeconds,omitempty"`
}

// CalicoNodeStatusStatus is what the node reported.
type CalicoNodeStatusStatus struct {
	// +nullable
	// +optional
	LastUpdated metav1.Time `json:"lastUpdated,omitzero"`
	// +optional
	Agent CalicoNodeAgentStatus `json:"agent,omitzero"`
	// +optional
	BGP CalicoNodeBGPStatus `json:"bgp,omitzero"`
	// +optional
	Routes CalicoNodeBGPRouteStatus `json:"routes,omitzero"`
}

// CalicoNodeAgentStatus is the state of the node's BGP speakers.
type CalicoNodeAgentStatus struct {
	// +optional
	BIRDV4 BGPDaemonStatus `json:"birdV4,omitzero"`
	// +optional
	BIRDV6 BGPDaemonStatus `json:"birdV6,omitzero"`
}

// BGPDaemonStatus is the state of one BGP speaker.
type BGPDaemonStatus struct {
	// +optional
	State BGPDaemonState `json:"state,omitempty"`
	// +optional
	Version string `json:"version,omitempty"`
	// +optional
	RouterID string `json:"routerID,omitempty"`
	// +optional
	LastBootTime string `json:"lastBootTime,omitempty"`
	// +optional
	LastReconfigurationTime string `json:"lastReconfigurationTime,omitempty"`
}

// CalicoNodeBGPStatus counts and lists the node's BGP sessions.
type CalicoNodeBGPStatus struct {
	NumberEstablishedV4    int `json:"numberEstablishedV4"`
	NumberNotEstablishedV4 int `json:"numberNotEstablishedV4"`
	NumberEstablishedV6    int `json:"numberEstablishedV6"`
	NumberNotEstablishedV6 int `json:"numberNotEstablishedV6"`
	// +optional
	PeersV4 []CalicoNodePeer `json:"peersV4,omitempty"`
	// +optional
	PeersV6 []CalicoNodePeer `json:"peersV6,omitempty"`
}

// CalicoNodePeer is one BGP session.
type CalicoNodePeer struct {
	// +optional
	PeerIP string `json:"peerIP,omitempty"`
	// +optional
	Type BGPPeerType `json:"type,omitempty"`
	// +optional
	State BGPSessionState `json:"state,omitempty"`
	// +optional
	Since string `json:"since,omitempty"`
}

// CalicoNodeBGPRouteStatus lists the node's routes.
type CalicoNodeBGPRouteStatus struct {
	// +optional
	RoutesV4 []CalicoNodeRoute `json:"routesV4,omitempty"`
	// +optional
	RoutesV6 []CalicoNodeRoute `json:"routesV6,omitempty"`
}

// CalicoNodeRoute is one route.
type CalicoNodeRoute struct {
	// +optional
	Type CalicoNodeRouteType `json:"type,omitempty"`
	// +optional
	Destination string `json:"destination,omitempty"`
	// +optional
	Gateway string `json:"gateway,omitempty"`
	// +optional
	Interface string `json:"interface,omitempty"`
	// +optional
	LearnedFrom CalicoNodeRouteLearnedFrom `json:"learnedFrom,omitzero"`
}

// CalicoNodeRouteLearnedFrom says where a route came from.
type CalicoNodeRouteLearnedFrom struct {
	// +optional
	SourceType CalicoNodeRouteSourceType `json:"sourceType,omitempty"`
	// +optional
	PeerIP string `json:"peerIP,omitempty"`
}

// CalicoNodeStatus asks a node for, and holds, its BGP and route status.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={cns}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="Node",type=string,JSONPath=`.spec.node`
// +kubebuilder:printcolumn:name="Established",type=integer,JSONPath=`.status.bgp.numberEstablishedV4`
// +kubebuilder:printcolumn:name="Not Established",type=integer,JSONPath=`.status.bgp.numberNotEstablishedV4`
// +kubebuilder:printcolumn:name="Updated",type=date,JSONPath=`.status.lastUpdated`
type CalicoNodeStatus struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec CalicoNodeStatusSpec `json:"spec,omitempty"`
	// +optional
	Status CalicoNodeStatusStatus `json:"status,omitzero"`
}

// CalicoNodeStatusList is a list of CalicoNodeStatuses.
//
// +kubebuilder:object:root=true
type CalicoNodeStatusList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []CalicoNodeStatus `json:"items"`
}
