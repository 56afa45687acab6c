// Package v1alpha1 holds tabby's own kinds, in the tabby.dev group:
// NetworkSync (what to sync from Git, and how it went), Fabric (the physical
// routing fabric: routers, their ASNs and addresses, and the nodes they
// serve), ConnectivityTest (flows a repository expects to be allowed or
// denied) and Inventory (the namespaces, pods and nodes of a cluster, for
// checks made without one). NetworkSync and Fabric have CRDs;
// ConnectivityTest and Inventory are review-only (api.Kind.Applied false):
// read from Git or files and evaluated, never applied, and without a CRD.
//
// AS numbers accept the whole 32-bit range, unlike Calico's CRDs.
//
// +kubebuilder:object:generate=true
// +groupName=tabby.dev
package v1alpha1
