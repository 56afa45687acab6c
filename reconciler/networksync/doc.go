// Package networksync is the NetworkSync controller: it syncs network
// configuration from a Git repository to the cluster, the way Flux's
// source- and kustomize-controllers do, with the checks network
// configuration needs.
//
// For a revision it resolves the ref (no clone when the revision is the one
// already applied), fetches it, verifies its signature if asked, renders
// it, validates it (any error blocks the whole revision), dry-runs every
// object that would change on the server, applies them with server-side
// apply in dependency order, and prunes what left Git. Nothing live
// changes when fetching, rendering or validating fails (last known good).
// A revision that would prune all managed objects, or more than the prune
// guard allows (a share and a number, per revision and over a sliding
// window, so that padding the inventory first does not help), is refused.
// Review-only kinds (ConnectivityTest, Inventory: api.Kind.Applied false)
// are validated with the revision and never applied, inventoried or
// pruned; inventory entries of them that an earlier release wrote are
// released on the next sync, without a request to the API server.
//
// Each object belongs to one NetworkSync, named by its ownership marker
// (v1alpha1.OwnerAnnotation): a revision that declares an existing object
// that is not this NetworkSync's is refused with a located finding naming
// the owner, unless its manifest opts in to adoption, and a prune deletes
// only what this NetworkSync's marker names (reconciler/apply).
//
// A change to a managed object flows to status like this. The controller
// watches the informers of every managed kind the cluster serves
// (internal/live.Informers, the one loop over them, shared with the
// admission webhook). An add, update or delete marks the object, with the
// resourceVersion its event carries, for each NetworkSync whose last
// applied revision holds it or its kind, and puts those NetworkSyncs on
// the controller's workqueue; an event carrying a resourceVersion the
// NetworkSync already checked or wrote itself marks nothing. Their
// reconcile resolves the ref (no clone when the revision is the one
// applied) and checks what was marked: the object from the informer cache
// against what the revision wants of it, with drift.Compute, the engine
// tabby drift uses, which also decides Unmanaged (an object of a managed
// kind that no NetworkSync holds; other NetworkSyncs' inventories are
// found through a field index of NetworkSyncs by inventory ID). An object
// that looks drifted is read again from the API server, to confirm it and
// to name who changed it from its managedFields. The reconcile then
// corrects the drift under driftPolicy Correct and writes status only when
// it changed: the Drifted condition, the drift summary, an event and the
// metrics. A sync marks what it leaves to check (held objects, candidates
// for Unmanaged) and checks it in the same reconcile.
//
// Deleting a NetworkSync leaves its objects in place: network configuration
// is removed from Git, not by deleting the object that syncs it.
package networksync
