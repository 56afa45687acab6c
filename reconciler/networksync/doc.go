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
// changes when fetching, rendering or validating fails (last known good),
// and a revision that would prune most managed objects is refused.
//
// Deleting a NetworkSync leaves its objects in place: network configuration
// is removed from Git, not by deleting the object that syncs it.
package networksync
