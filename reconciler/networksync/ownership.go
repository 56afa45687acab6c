package networksync

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
	"github.com/tabbynet/tabby/validate"
)

// Codes of the ownership findings. They come from the live cluster, not
// from the repository alone, so validate does not define them.
const (
	codeOwnershipConflict = "ownership-conflict"
	codeOwnershipLost     = "ownership-adopted-elsewhere"
)

// ownershipFindings returns a located finding for every object of the
// revision that is someone else's: a Conflict, or an object of the
// inventory another NetworkSync adopted (Lost).
func ownershipFindings(changes []apply.Change) validate.Findings {
	var out validate.Findings
	for _, c := range changes {
		var code, msg string
		switch c.Action {
		case apply.Conflict:
			code = codeOwnershipConflict
			msg = fmt.Sprintf("the object exists and is not this NetworkSync's: it belongs to %s. Remove it from this path, or, to take it over, set the annotation %s: \"true\" on this manifest",
				c.Owner, v1alpha1.AdoptAnnotation)
		case apply.Lost:
			code = codeOwnershipLost
			msg = fmt.Sprintf("%s adopted the object: this NetworkSync no longer applies it and dropped it from its inventory without deleting it. Remove it from this path",
				c.Owner)
		default:
			continue
		}
		out = append(out, validate.Finding{
			Code: code, Severity: validate.SeverityError, Object: c.Object.ID(), Message: msg,
			Position: manifest.Position{File: c.Object.Source.File, Line: c.Object.Source.Line},
		})
	}
	return out
}

// withoutLost returns the inventory without the objects other NetworkSyncs
// adopted, reporting them in a Released event: they are left in place.
func (ru *run) withoutLost(listed []inventory.ObjMeta, changes []apply.Change) []inventory.ObjMeta {
	lost := map[string]bool{}
	var notes []string
	for _, c := range changes {
		if c.Action == apply.Lost {
			m := inventory.MetaOf(c.Object)
			lost[m.ID()] = true
			notes = append(notes, fmt.Sprintf("%s left the inventory without being deleted: %s adopted it", m, c.Owner))
		}
	}
	if len(lost) == 0 {
		return listed
	}
	ru.announce(corev1.EventTypeWarning, v1alpha1.EventReleased, notes)
	out := make([]inventory.ObjMeta, 0, len(listed))
	for _, m := range listed {
		if !lost[m.ID()] {
			out = append(out, m)
		}
	}
	return out
}

// refuseOwnership ends a run whose revision declares objects that are
// someone else's: nothing is applied, the findings join the validation
// findings in status, and the revision is retried at the interval (the
// other owner may let the objects go).
func (ru *run) refuseOwnership(findings, own validate.Findings) error {
	all := append(append(validate.Findings(nil), findings...), own...)
	ru.obj.Status.Findings = summarise(all)
	items := summarise(own).Items
	return fmt.Errorf("revision %s declares %d object(s) that are not this NetworkSync's; nothing was applied:\n%s",
		ru.revision, len(own), strings.Join(items, "\n"))
}

// announceAdopted reports the adoptions among applied changes in an
// event.
func (ru *run) announceAdopted(applied []apply.Change) {
	var notes []string
	for _, c := range applied {
		if c.Adopted != "" {
			notes = append(notes, fmt.Sprintf("adopted %s (%s) from %s", c.Object.ID(), c.Object.Source, c.Adopted))
		}
	}
	ru.announce(corev1.EventTypeNormal, v1alpha1.EventAdopted, notes)
}

// announceReleased reports in an event the objects a prune left in place.
func (ru *run) announceReleased(released []apply.Release) {
	var notes []string
	for _, rel := range released {
		notes = append(notes, fmt.Sprintf("%s left Git and the inventory but was not deleted: it belongs to %s", rel.Object, rel.Owner))
	}
	ru.announce(corev1.EventTypeWarning, v1alpha1.EventReleased, notes)
}

// announceReviewOnly reports in an event, once, the entries of review-only
// kinds the inventory read held and the inventory written leaves out.
func (ru *run) announceReviewOnly() {
	var notes []string
	for _, m := range ru.reviewOnly {
		notes = append(notes, m.String())
	}
	if len(notes) > 0 {
		ru.r.event(ru.obj, corev1.EventTypeNormal, v1alpha1.EventReviewOnlyReleased, fmt.Sprintf(
			"left the inventory without being deleted: %s. An earlier release listed them; tabby never applies these review-only kinds and no longer manages them. Delete them with kubectl if nothing needs them",
			strings.Join(notes, ", ")))
	}
	ru.reviewOnly = nil
}

// announce records notes in one event: the events of one sync with one
// reason would merge into a series that keeps the first note only.
func (ru *run) announce(typ, reason string, notes []string) {
	if len(notes) == 0 {
		return
	}
	ru.r.event(ru.obj, typ, reason, strings.Join(notes, "; "))
}
