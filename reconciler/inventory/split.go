package inventory

// Split sets apart the inventory entries of review-only kinds
// (api.Kind.Applied false: ConnectivityTest, Inventory) from those tabby
// manages. tabby never applies a review-only kind, so no inventory of this
// release lists one; an earlier release's may. Such entries are released,
// never pruned: the caller drops them from the inventory without a request
// to the API server, which works whether or not their CRD is still
// installed, and leaves the objects, if any, in place. They are not
// managed objects either for the prune guard or for the drift checks. An
// entry of a kind tabby does not know stays managed, as before.
func Split(inventory []ObjMeta) (managed, reviewOnly []ObjMeta) {
	for _, m := range inventory {
		if k, ok := m.LookupKind(); ok && !k.Applied {
			reviewOnly = append(reviewOnly, m)
			continue
		}
		managed = append(managed, m)
	}
	return managed, reviewOnly
}
