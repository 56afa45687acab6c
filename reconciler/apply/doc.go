// Package apply turns the objects of a rendered revision into cluster
// state: it compares them with what is live, dry-runs on the server every
// object that would change, applies them with server-side apply in
// dependency order, and prunes objects of the inventory that are gone from
// Git. Node BGP settings are patched onto Kubernetes Nodes, which are never
// created or deleted.
//
// A Manager acts for one NetworkSync. Everything it writes carries that
// NetworkSync's field manager, "tabby/<namespace>/<name>"
// (v1alpha1.FieldManager), so that drift is told apart from other managers
// and a prune removes only its own fields, and every object it applies
// carries the ownership marker v1alpha1.OwnerAnnotation naming it. It
// promises that:
//
//   - an existing object is Unchanged, and not sent, exactly when drift
//     finds no difference (drift.Fields): every field Git sets holds Git's
//     value, and no field this NetworkSync's field manager applied is one
//     Git no longer sets, so a revision that only removes a field is
//     applied and server-side apply removes the field;
//   - an existing object is applied only when its marker names this
//     NetworkSync, or it has none and this inventory lists it (applied
//     before markers existed, by the shared legacy field manager "tabby",
//     whose managedFields entry is handed over to the new manager first);
//     any other is a Conflict naming its owner, unless the manifest carries
//     v1alpha1.AdoptAnnotation;
//   - a prune deletes only an object whose live marker, read from the API
//     server, names this NetworkSync (or a legacy object no other
//     inventory lists), with its UID and resourceVersion as preconditions;
//     it releases any other, leaving it in place;
//   - an object of a review-only kind (api.Kind.Applied false:
//     ConnectivityTest, Inventory) is never applied: Diff leaves it out;
//     inventory.Split sets apart the inventory entries of such kinds an
//     earlier release wrote, for the caller to release rather than prune.
//
// Two NetworkSyncs therefore never apply over, or delete, each other's
// objects without a manifest saying so.
package apply
