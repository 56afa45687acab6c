package drift

import (
	"cmp"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/manifest"
)

// Type is the kind of drift of an item.
type Type string

// Types of drift.
const (
	// Modified: the live object lacks fields Git sets, or holds other
	// values in them.
	Modified Type = "Modified"
	// Deleted: the object Git holds is gone from the cluster.
	Deleted Type = "Deleted"
	// Unmanaged: the cluster holds an object of a kind the repository
	// manages that no revision holds.
	Unmanaged Type = "Unmanaged"
)

// Field is one drifted field.
type Field struct {
	// Path of the field: spec.asNumber, spec.ingress[1].action.
	Path string `json:"path"`
	// Desired is Git's value, as JSON decodes it; nil when Git's object
	// lacks the field (a list element only the live object holds).
	Desired any `json:"desired,omitempty"`
	// Live is the cluster's value; nil when the live object lacks it.
	Live any `json:"live,omitempty"`
}

// String renders the field on one line: `spec.asNumber: Git 64513, cluster 64999`.
func (f Field) String() string {
	return f.Path + ": Git " + Value(f.Desired) + ", cluster " + Value(f.Live)
}

// Value renders a field value as short JSON, "(absent)" for nil.
func Value(v any) string {
	if v == nil {
		return "(absent)"
	}
	return diff.Value(v)
}

// Item is one object, or other subject, that drifted.
type Item struct {
	// Subject names what drifted: for an object, its ID
	// ("projectcalico.org/BGPPeer tor-rack7").
	Subject string `json:"subject"`
	Type    Type   `json:"type"`
	// Source is where Git defines the object; empty for an Unmanaged one.
	Source string `json:"source,omitempty"`
	// Fields are the drifted fields of a Modified object.
	Fields []Field `json:"fields,omitempty"`
	// Manager is the field manager that made the change, when known.
	Manager string `json:"manager,omitempty"`
	// Operation is the manager's operation: Update or Apply.
	Operation string `json:"operation,omitempty"`
	// ChangedAt is when the manager last wrote the object.
	ChangedAt *time.Time `json:"changedAt,omitempty"`
	// FirstSeen is when the drift was first seen; the caller's to set.
	FirstSeen *time.Time `json:"firstSeen,omitempty"`
}

// Report is the drift of a set of objects.
type Report struct {
	Items []Item `json:"items"`
}

// Counts returns how many items are of each type.
func (r Report) Counts() (modified, deleted, unmanaged int) {
	for _, it := range r.Items {
		switch it.Type {
		case Modified:
			modified++
		case Deleted:
			deleted++
		case Unmanaged:
			unmanaged++
		}
	}
	return modified, deleted, unmanaged
}

// Empty reports whether nothing drifted.
func (r Report) Empty() bool { return len(r.Items) == 0 }

// Input is what Compute compares.
type Input struct {
	// Desired are the objects Git applies.
	Desired []*manifest.Object
	// Live are the cluster's objects of the kinds Desired holds, defaulted
	// as render defaults objects, with their managedFields.
	Live []*manifest.Object
	// Kinds are kinds the repository manages besides those of Desired: a
	// live object of one of them that no one manages is Unmanaged too. The
	// controller, which compares one object at a time, passes the kinds of
	// the whole revision here.
	Kinds []schema.GroupKind
	// Managed holds the IDs of objects other NetworkSyncs manage: they
	// are not Unmanaged.
	Managed map[string]bool
	// Manager is the field manager of the NetworkSync whose drift this is
	// (v1alpha1.FieldManager): its writes are not drift (Own). Empty when
	// no NetworkSync is known: every tabby manager's writes are tabby's.
	Manager string
}

// Compute returns the drift of every desired object, and the live objects
// of the desired kinds that are unmanaged. Items come sorted by subject.
func Compute(in Input) Report {
	live := make(map[string]*manifest.Object, len(in.Live))
	for _, o := range in.Live {
		live[o.ID()] = o
	}
	kinds := make(map[schema.GroupKind]bool, len(in.Kinds))
	for _, gk := range in.Kinds {
		kinds[gk] = true
	}
	want := make(map[string]bool, len(in.Desired))
	var r Report
	for _, d := range in.Desired {
		id := d.ID()
		want[id] = true
		kinds[d.Kind.GroupKind()] = true
		if it, drifted := Check(d, live[id], in.Manager); drifted {
			r.Items = append(r.Items, it)
		}
	}
	for _, o := range in.Live {
		id := o.ID()
		if want[id] || in.Managed[id] || !kinds[o.Kind.GroupKind()] {
			continue
		}
		if it, ok := CheckUnmanaged(o, in.Manager); ok {
			r.Items = append(r.Items, it)
		}
	}
	Sort(r.Items)
	return r
}

// Sort orders items by subject.
func Sort(items []Item) {
	slices.SortFunc(items, func(a, b Item) int { return cmp.Compare(a.Subject, b.Subject) })
}
