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

// BreakGlassAnnotation on a managed object lets anyone change it despite
// the GitOps guard; its value is the reason, which must not be empty. Such
// changes are reported as drift.
const BreakGlassAnnotation = "tabby.dev/break-glass"
