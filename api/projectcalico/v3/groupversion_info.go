package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupName is the API group of Calico's public API.
const GroupName = "projectcalico.org"

var (
	// GroupVersion is the group and version of the kinds in this package.
	GroupVersion = schema.GroupVersion{Group: GroupName, Version: "v3"}

	schemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the kinds of this package to a scheme.
	AddToScheme = schemeBuilder.AddToScheme
)

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&IPPool{}, &IPPoolList{},
		&IPReservation{}, &IPReservationList{},
		&BGPConfiguration{}, &BGPConfigurationList{},
		&BGPPeer{}, &BGPPeerList{},
		&BGPFilter{}, &BGPFilterList{},
		&Tier{}, &TierList{},
		&NetworkPolicy{}, &NetworkPolicyList{},
		&GlobalNetworkPolicy{}, &GlobalNetworkPolicyList{},
		&NetworkSet{}, &NetworkSetList{},
		&GlobalNetworkSet{}, &GlobalNetworkSetList{},
		&HostEndpoint{}, &HostEndpointList{},
		&CalicoNodeStatus{}, &CalicoNodeStatusList{},
		&Node{}, &NodeList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
