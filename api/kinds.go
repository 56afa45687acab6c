package api

import (
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// Kind describes a kind tabby reads from a repository.
type Kind struct {
	schema.GroupVersionKind

	// Namespaced is true for kinds whose objects live in a namespace.
	Namespaced bool

	// Applied is false for kinds that are evaluated offline and never sent
	// to a cluster (ConnectivityTest).
	Applied bool

	// Phase orders applies: every object of a lower phase is applied before
	// any object of a higher one, so that what an object refers to exists
	// first (tiers before policies, pools before BGP). Deletes run in the
	// reverse order.
	Phase int
}

// Apply phases, in dependency order.
const (
	PhaseInventory  = iota // Fabric: referenced by admission checks of peers.
	PhaseTiers             // Tiers: policies name them.
	PhasePools             // IPPools and IPReservations.
	PhaseBGPConfig         // BGPConfiguration: the AS and mesh settings peers rely on.
	PhaseBGPFilters        // BGPFilters: peers name them.
	PhaseBGPPeers          // BGPPeers.
	PhaseEndpoints         // network sets and host endpoints: policies select them.
	PhasePolicies          // Calico and Kubernetes network policies.
	PhaseNodes             // Node BGP settings, patched onto Kubernetes Nodes.
	PhaseStatus            // CalicoNodeStatus requests.
	PhaseOffline           // ConnectivityTests: never applied.
)

var kinds = []Kind{
	calico("Tier", false, PhaseTiers),
	calico("IPPool", false, PhasePools),
	calico("IPReservation", false, PhasePools),
	calico("BGPConfiguration", false, PhaseBGPConfig),
	calico("BGPFilter", false, PhaseBGPFilters),
	calico("BGPPeer", false, PhaseBGPPeers),
	calico("GlobalNetworkSet", false, PhaseEndpoints),
	calico("NetworkSet", true, PhaseEndpoints),
	calico("HostEndpoint", false, PhaseEndpoints),
	calico("GlobalNetworkPolicy", false, PhasePolicies),
	calico("NetworkPolicy", true, PhasePolicies),
	calico("Node", false, PhaseNodes),
	calico("CalicoNodeStatus", false, PhaseStatus),
	{GroupVersionKind: networkingv1.SchemeGroupVersion.WithKind("NetworkPolicy"), Namespaced: true, Applied: true, Phase: PhasePolicies},
	{GroupVersionKind: v1alpha1.GroupVersion.WithKind("Fabric"), Applied: true, Phase: PhaseInventory},
	{GroupVersionKind: v1alpha1.GroupVersion.WithKind("ConnectivityTest"), Phase: PhaseOffline},
	{GroupVersionKind: v1alpha1.GroupVersion.WithKind("Inventory"), Phase: PhaseOffline},
}

func calico(kind string, namespaced bool, phase int) Kind {
	return Kind{GroupVersionKind: v3.GroupVersion.WithKind(kind), Namespaced: namespaced, Applied: true, Phase: phase}
}

// Kinds returns every kind tabby reads from a repository, in apply order.
func Kinds() []Kind {
	return append([]Kind(nil), kinds...)
}

// LookupKind returns the Kind of gvk and whether tabby knows it.
func LookupKind(gvk schema.GroupVersionKind) (Kind, bool) {
	for _, k := range kinds {
		if k.GroupVersionKind == gvk {
			return k, true
		}
	}
	return Kind{}, false
}
