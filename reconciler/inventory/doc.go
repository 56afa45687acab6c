// Package inventory holds what a NetworkSync's status.inventory records:
// the identities of the objects the NetworkSync manages (ObjMeta), their
// IDs in the format of Flux's inventories, "namespace_name_group_kind",
// and how the list is encoded in status (Encode, Decode) and decoded once
// per change of a NetworkSync (Cache).
//
// The controller, the admission webhook's GitOps guard and the CLI read
// inventories with it, so that all three agree on which objects a
// NetworkSync owns. It promises that:
//
//   - Decode(Encode(objs)) holds objs, once each, sorted by ID, and the
//     same objects always encode to the same status (no status write for
//     an unchanged inventory);
//   - an entry that does not parse (not four parts, or a version of
//     another group than its ID's) is an error naming the entry, never
//     an entry left out;
//   - Split sets apart the entries of review-only kinds an earlier release
//     listed; an entry of a kind tabby does not know stays managed.
//
// inventory does no I/O: it reads the NetworkSync objects its callers hand
// it.
package inventory
