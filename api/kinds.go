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

	// Applied is false for review-only kinds, ConnectivityTest and
	// Inventory: read from Git by tabby validate, tabby plan and the
	// controller's validation of a revision, and never sent to a cluster.
	// It is the one rule for them: the controller never applies,
	// inventories or prunes them (it releases the inventory entries of
	// them an earlier release wrote), tabby plan does not report them as
	// changes to the cluster, and they have no CRD and no webhook rule
	// (config/crd_test.go and webhooks/rules_test.go hold the manifests to
	// this field).
	Applied bool

	// Phase orders applies: every object of a lower phase is applied before
	// any object of a higher one, so that what an object refers to exists
	// first (tiers before policies, pools before BGP). Deletes run in the
	// reverse order.
	Phase int

	// StoredAs is the kind the API server stores objects of this kind as,
	// when it is another: a Calico Node is not a resource of its own but
	// the BGP annotations and labels of the Kubernetes Node of its name, as
	// Calico's Kubernetes datastore keeps it. Empty for the other kinds.
	StoredAs schema.GroupVersionKind
}

// KubernetesNode is the kind a Calico Node is stored as.
var KubernetesNode = schema.GroupVersionKind{Version: "v1", Kind: "Node"}

// OnKubernetesNode reports whether objects of the kind are stored on
// Kubernetes Nodes (a Calico Node).
func (k Kind) OnKubernetesNode() bool { return k.StoredAs == KubernetesNode }

// Stored returns the kind the API server stores objects of k as: StoredAs
// when set, else k itself.
func (k Kind) Stored() schema.GroupVersionKind {
	if !k.StoredAs.Empty() {
		return k.StoredAs
	}
	return k.GroupVersionKind
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
	PhaseOffline           // Review-only kinds: never applied.
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
	{GroupVersionKind: v3.GroupVersion.WithKind("Node"), Applied: true, Phase: PhaseNodes, StoredAs: KubernetesNode},
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
