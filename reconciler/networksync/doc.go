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
// Deleting a NetworkSync leaves its objects in place: network configuration
// is removed from Git, not by deleting the object that syncs it.
package networksync
