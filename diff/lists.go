package diff

// How the lists of each kind compare. A list not named here is ordered:
// reordering it is a change. The table follows CALICO-SPEC.md §1 and the
// Kubernetes NetworkPolicy API; TestListsNameRealFields checks that every
// pattern names a list field of its kind's Go type.
//
// Patterns are field paths with "[]" for "every element" and {a,b}
// alternatives, expanded before use; kinds are "group/Kind" and may use
// alternatives too.
var lists = []listRule{
	// Calico policies: the rules are ordered, the first match wins, so
	// spec.ingress and spec.egress keep their default. What one rule
	// matches is a set.
	{calico + "{NetworkPolicy,GlobalNetworkPolicy}", "spec.{types,performanceHints}", asSet},
	{calico + "{NetworkPolicy,GlobalNetworkPolicy}", "spec.{ingress,egress}[].{source,destination}.{nets,notNets,ports,notPorts}", asSet},
	{calico + "{NetworkPolicy,GlobalNetworkPolicy}", "spec.{ingress,egress}[].{source,destination}.serviceAccounts.names", asSet},
	{calico + "{NetworkPolicy,GlobalNetworkPolicy}", "spec.{ingress,egress}[].http.{methods,paths}", asSet},

	// Kubernetes NetworkPolicy: rules are a union, and so are their peers
	// and ports; label selector requirements are ANDed.
	{k8s + "NetworkPolicy", "spec.{policyTypes,ingress,egress}", asSet},
	{k8s + "NetworkPolicy", "spec.{ingress[].from,ingress[].ports,egress[].to,egress[].ports}", asSet},
	{k8s + "NetworkPolicy", "spec.{ingress[].from,egress[].to}[].ipBlock.except", asSet},
	{k8s + "NetworkPolicy", "spec.podSelector.matchExpressions{,[].values}", asSet},
	{k8s + "NetworkPolicy", "spec.{ingress[].from,egress[].to}[].{podSelector,namespaceSelector}.matchExpressions{,[].values}", asSet},

	// Address sets.
	{calico + "{NetworkSet,GlobalNetworkSet}", "spec.nets", asSet},
	{calico + "IPPool", "spec.allowedUses", asSet},
	{calico + "IPReservation", "spec.reservedCIDRs", asSet},
	{calico + "HostEndpoint", "spec.{expectedIPs,profiles,ports}", asSet},
	{calico + "CalicoNodeStatus", "spec.classes", asSet},

	// BGP. BGPPeer.spec.filters and the BGPFilter rule lists are ordered.
	{calico + "BGPConfiguration", "spec.{serviceClusterIPs,serviceExternalIPs,serviceLoadBalancerIPs,ignoredInterfaces}", asSet},
	{calico + "BGPConfiguration", "spec.communities", keyedBy("name")},
	{calico + "BGPConfiguration", "spec.prefixAdvertisements", keyedBy("cidr")},
	{calico + "BGPConfiguration", "spec.prefixAdvertisements[].communities", asSet},

	// tabby's kinds: named entries.
	{tabby + "Fabric", "spec.routers", keyedBy("name")},
	{tabby + "Fabric", "spec.routers[].addresses", asSet},
	{tabby + "Inventory", "spec.{namespaces,nodes}", keyedBy("name")},
	{tabby + "Inventory", "spec.{serviceAccounts,pods}", keyedBy("namespace", "name")},
	{tabby + "Inventory", "spec.pods[].ips", asSet},
	{tabby + "Inventory", "spec.pods[].ports", keyedBy("name")},
	{tabby + "ConnectivityTest", "spec.cases", keyedBy("name")},
}

// API groups, as kinds are spelt in the table.
const (
	calico = "projectcalico.org/"
	k8s    = "networking.k8s.io/"
	tabby  = "tabby.dev/"
)

// order says how the elements of a list compare.
type order int

const (
	// ordered lists are aligned element by element: a move is a change.
	ordered order = iota
	// set lists compare as multisets: order carries no meaning.
	set
	// keyed lists are sets whose elements are told apart by key fields,
	// so a change inside one element is reported at its index.
	keyed
)

// listRule says how the list at pattern, in objects of kinds, compares.
type listRule struct {
	kinds   string
	pattern string
	how     listHow
}

type listHow struct {
	order order
	keys  []string
}

var asSet = listHow{order: set}

func keyedBy(keys ...string) listHow { return listHow{order: keyed, keys: keys} }
