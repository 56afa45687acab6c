package v1alpha1

// Condition types of a NetworkSync, read by kstatus.
const (
	// ConditionReady is True when the last attempted revision is applied.
	ConditionReady = "Ready"
	// ConditionReconciling is True while a sync is in progress.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when syncing cannot progress without a
	// change to the NetworkSync or the repository.
	ConditionStalled = "Stalled"
	// ConditionDrifted is True when the cluster differs from the last
	// applied revision; status.drift says how.
	ConditionDrifted = "Drifted"
)

// Reasons of NetworkSync conditions.
const (
	ReasonSucceeded        = "Succeeded"
	ReasonProgressing      = "Progressing"
	ReasonSuspended        = "Suspended"
	ReasonFetchFailed      = "FetchFailed"
	ReasonRenderFailed     = "RenderFailed"
	ReasonValidationFailed = "ValidationFailed"
	ReasonDryRunFailed     = "DryRunFailed"
	ReasonApplyFailed      = "ApplyFailed"
	ReasonPruneFailed      = "PruneFailed"
	ReasonPruneRefused     = "PruneRefused"
	ReasonVerifyFailed     = "VerificationFailed"

	// ReasonDriftDetected: objects differ from Git (Drifted=True).
	ReasonDriftDetected = "DriftDetected"
	// ReasonNoDrift: the cluster matches Git (Drifted=False).
	ReasonNoDrift = "NoDrift"
	// ReasonDriftCorrected: drifted objects were restored (Drifted=False).
	ReasonDriftCorrected = "DriftCorrected"
	// ReasonPreviousRevisionUnreadable: under driftPolicy Report, the last
	// applied revision could not be read to tell Git's changes from drift,
	// so the new revision was applied whole.
	ReasonPreviousRevisionUnreadable = "PreviousRevisionUnreadable"
)

// ReconcileRequestAnnotation requests an immediate sync when its value
// changes; `tabby reconcile` sets it to the current time.
const ReconcileRequestAnnotation = "tabby.dev/reconcile-requested-at"

// BreakGlassAnnotation gives the reason for one break-glass change of an
// object the GitOps guard protects. It is honoured only for members of a
// break-glass group (Guard.BreakGlassGroups, or the controller's
// --break-glass-group), and only when the request sets it: on an update,
// when its value differs from the old object's, so that each change needs
// a reason of its own. The controller removes it from the objects it
// manages after its next successful sync. Such changes are reported as
// drift.
const BreakGlassAnnotation = "tabby.dev/break-glass"

// ReasonBreakGlass is the reason of the Event the webhook records on a
// NetworkSync for every break-glass change of its objects it admits.
const ReasonBreakGlass = "BreakGlass"
