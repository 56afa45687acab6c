package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DriftPolicy says what the controller does when the cluster drifts from Git.
// +kubebuilder:validation:Enum=Correct;Report
type DriftPolicy string

// Drift policies.
const (
	// DriftCorrect re-applies Git's state over drifted objects.
	DriftCorrect DriftPolicy = "Correct"
	// DriftReport only reports drift.
	DriftReport DriftPolicy = "Report"
)

// NetworkSyncSpec says which Git repository, revision and path to sync, and
// how.
type NetworkSyncSpec struct {
	// URL of the Git repository: https://, http://, ssh://, or file:// when
	// the controller runs with --allow-local-git-urls (tests and demos).
	// +kubebuilder:validation:Pattern=`^(https?|ssh|file)://.*$`
	URL string `json:"url"`

	// Ref is the revision to sync. Default: the branch main.
	// +optional
	Ref *GitRef `json:"ref,omitempty"`

	// Path is the directory within the repository to render, relative to its
	// root. Default: the root.
	// +optional
	Path string `json:"path,omitempty"`

	// SecretRef names a Secret in the NetworkSync's namespace with the Git
	// credentials: username and password (or password alone, as a token) for
	// HTTPS; identity and known_hosts for SSH.
	// +optional
	SecretRef *corev1.LocalObjectReference `json:"secretRef,omitempty"`

	// Interval between syncs. A sync is also triggered by a push event or by
	// the reconcile annotation.
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Interval metav1.Duration `json:"interval,omitempty"`

	// RetryInterval between attempts after a failure. Default: Interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	RetryInterval *metav1.Duration `json:"retryInterval,omitempty"`

	// Timeout of each Git operation and of each apply. Default 60s.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Suspend stops syncing; the objects in the cluster are left as they are.
	// +optional
	Suspend bool `json:"suspend,omitempty"`

	// Prune deletes objects tabby applied that are gone from Git.
	// +optional
	Prune bool `json:"prune,omitempty"`

	// PruneGuard refuses revisions that would delete many managed objects.
	// +optional
	PruneGuard *PruneGuard `json:"pruneGuard,omitempty"`

	// DriftPolicy says what to do when live objects drift from Git.
	// Default Correct.
	// +kubebuilder:default=Correct
	// +optional
	DriftPolicy DriftPolicy `json:"driftPolicy,omitempty"`

	// Verify requires revisions to be signed by one of the given keys.
	// +optional
	Verify *GitVerification `json:"verify,omitempty"`

	// Receiver lets the Git host trigger a sync with a push event, sent to
	// the controller's receiver at /hook/<namespace>/<name>.
	// +optional
	Receiver *Receiver `json:"receiver,omitempty"`

	// Guard, when set, lets only the controller change the objects this
	// NetworkSync manages: anyone else is denied at admission and told to
	// change Git instead, unless they break glass.
	// +optional
	Guard *Guard `json:"guard,omitempty"`
}

// Guard is the GitOps guard of a NetworkSync's objects.
type Guard struct {
	// BreakGlassGroups are groups whose members may change managed objects
	// directly, in an emergency, in addition to the controller's
	// --break-glass-group: a create or update must set the annotation
	// tabby.dev/break-glass to a reason for that change; a delete needs
	// membership only. Every such change is recorded as an Event on the
	// NetworkSync and reported as drift.
	// +optional
	BreakGlassGroups []string `json:"breakGlassGroups,omitempty"`
}

// Receiver configures push events for a NetworkSync.
type Receiver struct {
	// SecretRef names a Secret whose key "token" holds the shared secret:
	// GitHub's webhook secret (X-Hub-Signature-256) or GitLab's token
	// (X-Gitlab-Token).
	SecretRef corev1.LocalObjectReference `json:"secretRef"`
}

// GitRef selects a revision. The most specific field set wins: Commit, then
// SemVer, then Tag, then Branch.
type GitRef struct {
	// Branch to follow.
	// +optional
	Branch string `json:"branch,omitempty"`

	// Tag to sync.
	// +optional
	Tag string `json:"tag,omitempty"`

	// SemVer range; the highest matching tag is synced.
	// +optional
	SemVer string `json:"semver,omitempty"`

	// Commit SHA to sync, optionally on Branch.
	// +kubebuilder:validation:Pattern=`^[0-9a-f]{7,40}$`
	// +optional
	Commit string `json:"commit,omitempty"`
}

// PruneGuard bounds how much of the inventory a revision, and the
// revisions of a sliding window, may delete. A refused revision applies
// nothing and is retried at the interval.
type PruneGuard struct {
	// MaxPercent is the largest share of managed objects one revision may
	// prune, and the largest share of the inventory as it was at the start
	// of the window that the revisions of the window may prune together.
	// Default 50.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	MaxPercent *int32 `json:"maxPercent,omitempty"`

	// MaxObjects is the largest number of objects one revision may prune,
	// whatever their share. Default 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000
	// +optional
	MaxObjects *int32 `json:"maxObjects,omitempty"`

	// Window is the sliding window over which prunes add up: a revision is
	// refused when it and the revisions applied within the window before it
	// would prune together more than MaxObjectsPerWindow objects, or more
	// than MaxPercent of the inventory as it was when the window began, so
	// that padding the inventory with objects in one commit and dropping
	// the real ones in the next does not pass. "0s" turns the window off.
	// Default 1h.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('168h')",message="window must be at most 168h"
	// +optional
	Window *metav1.Duration `json:"window,omitempty"`

	// MaxObjectsPerWindow is the largest number of objects the revisions of
	// one window may prune together. Default: MaxObjects.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000
	// +optional
	MaxObjectsPerWindow *int32 `json:"maxObjectsPerWindow,omitempty"`

	// AllowPruneAll turns the guard off: a revision may prune any number
	// of managed objects, all of them included.
	// +optional
	AllowPruneAll bool `json:"allowPruneAll,omitempty"`
}

// GitVerification names the keys revisions must be signed with.
type GitVerification struct {
	// SecretRef names a Secret whose values are armored OpenPGP public keys
	// or SSH public keys in authorized_keys form.
	SecretRef corev1.LocalObjectReference `json:"secretRef"`
}

// NetworkSyncStatus is the observed state of a NetworkSync.
type NetworkSyncStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions: Ready, Reconciling and Stalled, as kstatus reads them.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// LastAppliedRevision is the last revision applied in full.
	// +optional
	LastAppliedRevision string `json:"lastAppliedRevision,omitempty"`

	// LastAttemptedRevision is the last revision a sync was attempted for.
	// +optional
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`

	// LastHandledReconcileAt is the value of the reconcile annotation last
	// acted on.
	// +optional
	LastHandledReconcileAt string `json:"lastHandledReconcileAt,omitempty"`

	// Inventory lists the objects applied from Git.
	// +optional
	Inventory *ResourceInventory `json:"inventory,omitempty"`

	// Findings summarises the validation findings of the last attempted
	// revision.
	// +optional
	Findings *FindingsSummary `json:"findings,omitempty"`

	// History lists the last syncs, newest first.
	// +optional
	History []SyncRecord `json:"history,omitempty"`

	// PruneHistory lists the syncs that changed the inventory within the
	// prune guard's window, newest first: what the guard counts a
	// revision's prune against. Bounded; the oldest records are merged.
	// +kubebuilder:validation:MaxItems=10
	// +optional
	PruneHistory []PruneRecord `json:"pruneHistory,omitempty"`

	// Drift summarises how the cluster differs from the last applied
	// revision: objects changed or deleted behind tabby's back, and
	// objects of the managed kinds that no revision holds.
	// +optional
	Drift *DriftStatus `json:"drift,omitempty"`
}

// DriftStatus counts the drifted objects and lists the first of them.
type DriftStatus struct {
	// Modified counts managed objects whose fields differ from Git.
	Modified int `json:"modified"`
	// Deleted counts managed objects deleted from the cluster.
	Deleted int `json:"deleted"`
	// Unmanaged counts objects of the managed kinds that no revision holds.
	Unmanaged int `json:"unmanaged"`
	// Items are the first drifted objects, by subject.
	// +optional
	Items []DriftItem `json:"items,omitempty"`
	// LastCorrection is the last time the controller restored drifted
	// objects to Git's state.
	// +optional
	LastCorrection *DriftCorrection `json:"lastCorrection,omitempty"`
}

// DriftItem is one drifted object.
type DriftItem struct {
	// Subject names the object: "projectcalico.org/BGPPeer tor-rack7".
	Subject string `json:"subject"`
	// Type is Modified, Deleted or Unmanaged.
	Type string `json:"type"`
	// Source is where Git defines the object, file:line.
	// +optional
	Source string `json:"source,omitempty"`
	// Fields are the first drifted fields of a Modified object.
	// +optional
	Fields []DriftField `json:"fields,omitempty"`
	// Manager is the field manager that made the change, when known.
	// +optional
	Manager string `json:"manager,omitempty"`
	// Operation is the manager's operation, Update or Apply.
	// +optional
	Operation string `json:"operation,omitempty"`
	// ChangedAt is when the manager last wrote the object.
	// +optional
	ChangedAt *metav1.Time `json:"changedAt,omitempty"`
	// FirstSeen is when the controller first saw the drift.
	FirstSeen metav1.Time `json:"firstSeen"`
}

// DriftField is one drifted field; values are short JSON.
type DriftField struct {
	Path string `json:"path"`
	// Desired is Git's value, "(absent)" when Git's object lacks it.
	Desired string `json:"desired"`
	// Live is the cluster's value, "(absent)" when it lacks it.
	Live string `json:"live"`
}

// DriftCorrection records a correction of drift.
type DriftCorrection struct {
	// Time of the correction.
	Time metav1.Time `json:"time"`
	// Revision whose state was restored.
	Revision string `json:"revision"`
	// Count of objects restored.
	Count int `json:"count"`
	// Objects restored, the first of them, each "Type subject".
	// +optional
	Objects []string `json:"objects,omitempty"`
}

// ResourceInventory is the set of objects a NetworkSync manages. The
// entries are stored compressed: as a list, 10,000 of them took 700 KiB of
// the NetworkSync, which every status write and read paid for. Build one
// with NewResourceInventory and read it with Entries.
type ResourceInventory struct {
	// Count is the number of entries.
	Count int `json:"count"`
	// Data holds the entries, one "<id> <version>" per line, sorted by ID,
	// gzip-compressed and base64-encoded.
	// +optional
	Data string `json:"data,omitempty"`
}

// InventoryEntry identifies one managed object.
type InventoryEntry struct {
	// ID is "namespace_name_group_kind", as in Flux's inventory.
	ID string `json:"id"`
	// Version is the API version the object was applied with.
	Version string `json:"v"`
}

// FindingsSummary counts validation findings and lists the first few.
type FindingsSummary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Items are the first findings, "file:line: severity CODE: message".
	// +optional
	Items []string `json:"items,omitempty"`
}

// PruneRecord is one sync that changed the inventory.
type PruneRecord struct {
	// Time the sync changed the inventory.
	Time metav1.Time `json:"time"`
	// Pruned is the number of objects it deleted.
	Pruned int `json:"pruned"`
	// InventoryBefore is the size of the inventory before it.
	InventoryBefore int `json:"inventoryBefore"`
}

// SyncRecord is the outcome of one sync.
type SyncRecord struct {
	Revision  string          `json:"revision"`
	StartedAt metav1.Time     `json:"startedAt"`
	Duration  metav1.Duration `json:"duration"`
	// Result is Succeeded or the reason of the failure.
	Result string `json:"result"`
}

// NetworkSync syncs network configuration from a Git repository to the
// cluster, validating every revision before it applies anything.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName={nsync}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.spec.url`,priority=1
// +kubebuilder:printcolumn:name="Revision",type=string,JSONPath=`.status.lastAppliedRevision`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Drifted",type=string,JSONPath=`.status.conditions[?(@.type=="Drifted")].status`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type NetworkSync struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec NetworkSyncSpec `json:"spec"`
	// +optional
	Status NetworkSyncStatus `json:"status,omitzero"`
}

// NetworkSyncList is a list of NetworkSyncs.
//
// +kubebuilder:object:root=true
type NetworkSyncList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NetworkSync `json:"items"`
}
