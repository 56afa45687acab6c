package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// FabricSpec lists the routers of the physical fabric. Tools outside tabby
// generate Fabrics, so this schema is fixed.
type FabricSpec struct {
	// Routers of the fabric; names are unique.
	// +listType=map
	// +listMapKey=name
	Routers []FabricRouter `json:"routers"`
}

// FabricRouter is one router of the fabric, e.g. a rack's top-of-rack switch.
type FabricRouter struct {
	// Name is unique within the Fabric.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// ASNumber is the router's AS.
	ASNumber numorstring.ASNumber `json:"asNumber"`

	// Addresses are the router's peering addresses.
	// +kubebuilder:validation:MinItems=1
	// +listType=set
	Addresses []string `json:"addresses"`

	// NodeSelector is a Calico selector of the nodes this router serves.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NodeSelector string `json:"nodeSelector,omitempty"`
}

// Fabric is the inventory of the routing fabric the cluster's nodes peer
// with. Validation, plan and admission check BGPPeers against it: a peer
// whose IP is a router's address must use that router's ASN.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Routers",type=integer,JSONPath=`.spec.routers.size()`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Fabric struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec FabricSpec `json:"spec"`
}

// FabricList is a list of Fabrics.
//
// +kubebuilder:object:root=true
type FabricList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Fabric `json:"items"`
}
