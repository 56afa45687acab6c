package v3

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// BGPConfigurationNameDefault is the name of the global BGPConfiguration.
// Per-node overrides are named NodeBGPConfigurationPrefix + node name.
const (
	BGPConfigurationNameDefault = "default"
	NodeBGPConfigurationPrefix  = "node."
)

// Defaults Calico uses when no BGPConfiguration says otherwise.
const (
	DefaultASNumber   numorstring.ASNumber = 64512
	DefaultListenPort uint16               = 179
)

// BindMode says which addresses the BGP speaker listens on.
// +kubebuilder:validation:Enum=None;NodeIP
type BindMode string

// Bind modes.
const (
	BindModeNone   BindMode = "None"
	BindModeNodeIP BindMode = "NodeIP"
)

// ServiceLoadBalancerAggregation says whether LoadBalancer IPs are advertised
// as their configured CIDR or one host route each.
// +kubebuilder:validation:Enum=Enabled;Disabled
type ServiceLoadBalancerAggregation string

// Service LoadBalancer aggregation settings.
const (
	ServiceLoadBalancerAggregationEnabled  ServiceLoadBalancerAggregation = "Enabled"
	ServiceLoadBalancerAggregationDisabled ServiceLoadBalancerAggregation = "Disabled"
)

// ProgramClusterRoutes says whether the BGP daemon or the policy agent
// programs routes to remote workloads.
// +kubebuilder:validation:Enum=Enabled;Disabled;EnabledIPIPOnly;EnabledNoEncapOnly
type ProgramClusterRoutes string

// ProgramClusterRoutes settings.
const (
	ProgramClusterRoutesEnabled            ProgramClusterRoutes = "Enabled"
	ProgramClusterRoutesDisabled           ProgramClusterRoutes = "Disabled"
	ProgramClusterRoutesEnabledIPIPOnly    ProgramClusterRoutes = "EnabledIPIPOnly"
	ProgramClusterRoutesEnabledNoEncapOnly ProgramClusterRoutes = "EnabledNoEncapOnly"
)

// BGPConfigurationSpec is the cluster's (name "default") or one node's (name
// "node.<name>") BGP settings.
// +kubebuilder:validation:XValidation:rule="!has(self.communities) || size(self.communities) == 0 || (has(self.prefixAdvertisements) && size(self.prefixAdvertisements) > 0)",message="communities requires prefixAdvertisements"
type BGPConfigurationSpec struct {
	// LogSeverityScreen is the BGP daemon's log level. Default Info.
	// +optional
	LogSeverityScreen string `json:"logSeverityScreen,omitempty"`

	// NodeToNodeMeshEnabled turns the full node-to-node mesh on or off.
	// Default true.
	// +optional
	NodeToNodeMeshEnabled *bool `json:"nodeToNodeMeshEnabled,omitempty"`

	// ASNumber is the AS of nodes that set none themselves. Default 64512.
	// +optional
	ASNumber *numorstring.ASNumber `json:"asNumber,omitempty"`

	// ServiceLoadBalancerIPs are the CIDRs whose LoadBalancer IPs are advertised.
	// +optional
	ServiceLoadBalancerIPs []ServiceLoadBalancerIPBlock `json:"serviceLoadBalancerIPs,omitempty"`

	// ServiceExternalIPs are the CIDRs whose external IPs are advertised.
	// +optional
	ServiceExternalIPs []ServiceExternalIPBlock `json:"serviceExternalIPs,omitempty"`

	// ServiceClusterIPs are the service cluster IP ranges, advertised from
	// every node.
	// +optional
	ServiceClusterIPs []ServiceClusterIPBlock `json:"serviceClusterIPs,omitempty"`

	// ServiceLoadBalancerAggregation says whether LoadBalancer IPs are
	// advertised as their CIDR or one route each. Default Enabled.
	// +optional
	ServiceLoadBalancerAggregation ServiceLoadBalancerAggregation `json:"serviceLoadBalancerAggregation,omitempty"`

	// Communities names community values for use in PrefixAdvertisements.
	// +kubebuilder:validation:MaxItems=500
	// +optional
	Communities []Community `json:"communities,omitempty"`

	// PrefixAdvertisements attaches communities to advertised prefixes.
	// +kubebuilder:validation:MaxItems=500
	// +optional
	PrefixAdvertisements []PrefixAdvertisement `json:"prefixAdvertisements,omitempty"`

	// ListenPort is the BGP port. Default 179.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +optional
	ListenPort uint16 `json:"listenPort,omitempty"`

	// NodeMeshPassword is the password of mesh sessions.
	// +optional
	NodeMeshPassword *BGPPassword `json:"nodeMeshPassword,omitempty"`

	// NodeMeshMaxRestartTime is the graceful-restart time of mesh sessions.
	// +optional
	NodeMeshMaxRestartTime *metav1.Duration `json:"nodeMeshMaxRestartTime,omitempty"`

	// BindMode says which addresses the BGP speaker listens on. Default None.
	// +optional
	BindMode *BindMode `json:"bindMode,omitempty"`

	// IgnoredInterfaces are interfaces whose routes are never exported.
	// +listType=set
	// +optional
	IgnoredInterfaces []string `json:"ignoredInterfaces,omitempty"`

	// LocalWorkloadPeeringIPV4 is the node's IPv4 address for peering with
	// local workloads.
	// +optional
	LocalWorkloadPeeringIPV4 string `json:"localWorkloadPeeringIPV4,omitempty"`

	// LocalWorkloadPeeringIPV6 is the node's IPv6 address for peering with
	// local workloads.
	// +optional
	LocalWorkloadPeeringIPV6 string `json:"localWorkloadPeeringIPV6,omitempty"`

	// ProgramClusterRoutes says who programs routes to remote workloads.
	// Default EnabledNoEncapOnly.
	// +optional
	ProgramClusterRoutes *ProgramClusterRoutes `json:"programClusterRoutes,omitempty"`

	// IPv4NormalRoutePriority is the kernel metric of ordinary IPv4 routes.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2147483646
	// +optional
	IPv4NormalRoutePriority *int `json:"ipv4NormalRoutePriority,omitempty"`

	// IPv6NormalRoutePriority is the kernel metric of ordinary IPv6 routes.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2147483646
	// +optional
	IPv6NormalRoutePriority *int `json:"ipv6NormalRoutePriority,omitempty"`
}

// ServiceLoadBalancerIPBlock is one CIDR of LoadBalancer IPs.
type ServiceLoadBalancerIPBlock struct {
	CIDR string `json:"cidr,omitempty"`
}

// ServiceExternalIPBlock is one CIDR of external IPs.
type ServiceExternalIPBlock struct {
	CIDR string `json:"cidr,omitempty"`
}

// ServiceClusterIPBlock is one CIDR of cluster IPs.
type ServiceClusterIPBlock struct {
	CIDR string `json:"cidr,omitempty"`
}

// Community names a BGP community value: "aa:nn" (standard) or "aa:nn:mm"
// (large).
type Community struct {
	Name string `json:"name,omitempty"`
	// +kubebuilder:validation:Pattern=`^(\d+):(\d+)$|^(\d+):(\d+):(\d+)$`
	Value string `json:"value,omitempty"`
}

// PrefixAdvertisement attaches communities, by value or by name, to a prefix.
type PrefixAdvertisement struct {
	CIDR string `json:"cidr,omitempty"`
	// +kubebuilder:validation:MaxItems=50
	Communities []string `json:"communities,omitempty"`
}

// BGPPassword is a BGP session password, read from a Secret.
type BGPPassword struct {
	// SecretKeyRef selects a key of a Secret in the node agent's namespace.
	SecretKeyRef *corev1.SecretKeySelector `json:"secretKeyRef,omitempty"`
}

// BGPConfiguration holds BGP settings for the cluster or for one node.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={bgpconfig,bgpconfigs}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="AS",type=integer,JSONPath=`.spec.asNumber`
// +kubebuilder:printcolumn:name="Mesh",type=boolean,JSONPath=`.spec.nodeToNodeMeshEnabled`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type BGPConfiguration struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec BGPConfigurationSpec `json:"spec,omitempty"`
}

// BGPConfigurationList is a list of BGPConfigurations.
//
// +kubebuilder:object:root=true
type BGPConfigurationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []BGPConfiguration `json:"items"`
}
