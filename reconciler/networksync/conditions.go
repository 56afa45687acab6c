package networksync

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// setReady records a sync's outcome as kstatus reads it: Ready, and
// Reconciling cleared. A failure that needs a change to the NetworkSync or
// the repository (a render or validation error, a refused prune) is
// Stalled as well.
func setReady(obj *v1alpha1.NetworkSync, status metav1.ConditionStatus, reason, msg string, stalled bool) {
	set(obj, v1alpha1.ConditionReady, status, reason, msg)
	meta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.ConditionReconciling)
	if stalled {
		set(obj, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason, msg)
	} else {
		meta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.ConditionStalled)
	}
}

// setReconciling marks a sync in progress.
func setReconciling(obj *v1alpha1.NetworkSync, msg string) {
	set(obj, v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonProgressing, msg)
}

func set(obj *v1alpha1.NetworkSync, typ string, status metav1.ConditionStatus, reason, msg string) {
	meta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type: typ, Status: status, Reason: reason, Message: msg, ObservedGeneration: obj.Generation,
	})
}

func isReady(obj *v1alpha1.NetworkSync) bool {
	return meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionReady)
}

// readyStatus returns the status of the Ready condition, Unknown when unset.
func readyStatus(obj *v1alpha1.NetworkSync) metav1.ConditionStatus {
	if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); c != nil {
		return c.Status
	}
	return metav1.ConditionUnknown
}

// observed reports whether the Ready condition describes the current
// generation of the spec.
func observed(obj *v1alpha1.NetworkSync) bool {
	c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	return c != nil && c.ObservedGeneration == obj.Generation
}
