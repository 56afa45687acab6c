package v1alpha1

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// OwnerAnnotation marks every object a NetworkSync applies with the
// NetworkSync that owns it, "<namespace>/<name>" (for a Calico Node, the
// Kubernetes Node that carries its settings). A NetworkSync applies an
// existing object only when the marker names it, and prunes only objects
// whose live marker names it: two NetworkSyncs never apply over or delete
// each other's objects.
const OwnerAnnotation = "tabby.dev/owner"

// AdoptAnnotation, set to "true" on a manifest in Git, lets its NetworkSync
// take over an existing object that another NetworkSync owns, or that was
// made by hand. The adoption is reported in an Adopted event; the previous
// owner stops applying the object and forgets it without deleting it. The
// annotation stays on the object, as Git has it.
const AdoptAnnotation = "tabby.dev/adopt"

// LegacyFieldManager is the field manager every NetworkSync shared before
// field managers were per NetworkSync. It is recognised only to migrate
// objects applied under it (docs/controller.md, "Ownership").
const LegacyFieldManager = "tabby"

// Reasons and events of object ownership.
const (
	// ReasonOwnershipConflict: the revision declares objects that another
	// NetworkSync owns, or that were made by hand; nothing was applied.
	ReasonOwnershipConflict = "OwnershipConflict"
	// EventAdopted: an object was taken over with the adopt annotation.
	EventAdopted = "Adopted"
	// EventReleased: an object of the inventory is owned by someone else
	// now; it left the inventory and was not deleted.
	EventReleased = "Released"
	// EventReviewOnlyReleased: the inventory, as an earlier release wrote
	// it, listed objects of review-only kinds (ConnectivityTest,
	// Inventory), which tabby never applies; they left the inventory and
	// were not deleted.
	EventReviewOnlyReleased = "ReviewOnlyReleased"
)

// fieldManagerPrefix starts every field manager of a NetworkSync.
const fieldManagerPrefix = LegacyFieldManager + "/"

// maxFieldManager is the longest field manager the API server accepts.
const maxFieldManager = 128

// FieldManager returns the field manager of everything the NetworkSync
// namespace/name applies: "tabby/<namespace>/<name>". A name too long for
// the API server's limit of 128 characters is cut, and ends with a hash of
// the whole so that two NetworkSyncs never share a manager.
func FieldManager(namespace, name string) string {
	m := fieldManagerPrefix + namespace + "/" + name
	if len(m) <= maxFieldManager {
		return m
	}
	sum := sha256.Sum256([]byte(namespace + "/" + name))
	suffix := "-" + hex.EncodeToString(sum[:8])
	return m[:maxFieldManager-len(suffix)] + suffix
}

// IsFieldManager reports whether a field manager is tabby's: a
// NetworkSync's, or the legacy shared one.
func IsFieldManager(manager string) bool {
	return manager == LegacyFieldManager || strings.HasPrefix(manager, fieldManagerPrefix)
}

// Owner returns the value of OwnerAnnotation naming the NetworkSync
// namespace/name.
func Owner(namespace, name string) string {
	return namespace + "/" + name
}
