package diff

import (
	"reflect"

	"github.com/tabbynet/tabby/manifest"
)

// Op is what happened to an object.
type Op string

const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Change is an object that differs between two sets of objects.
type Change struct {
	// ID is the object's render ID, "group/Kind namespace/name".
	ID string `json:"id"`
	Op Op     `json:"op"`
	// Before is the object before; nil when Added.
	Before *manifest.Object `json:"-"`
	// After is the object after; nil when Removed.
	After *manifest.Object `json:"-"`
	// Fields are the differences of a Changed object, in document order.
	Fields []Field `json:"fields,omitempty"`
}

// Objects compares two sets of objects, such as the Bundles of two Git
// revisions, matching them by ID. Objects that compare equal are left out.
// The changes follow after's order (a Bundle's apply order), with the
// removed objects last, in before's order. Each ID counts once: should a
// list repeat one, which a Bundle never does, its first object is used.
func Objects(before, after []*manifest.Object) []Change {
	old := make(map[string]*manifest.Object, len(before))
	for _, o := range before {
		if id := o.ID(); old[id] == nil {
			old[id] = o
		}
	}
	var changes []Change
	done := make(map[string]bool, len(after))
	for _, a := range after {
		id := a.ID()
		if done[id] {
			continue
		}
		done[id] = true
		b, ok := old[id]
		if !ok {
			changes = append(changes, Change{ID: id, Op: Added, After: a})
			continue
		}
		if fields := Object(b, a); len(fields) > 0 {
			changes = append(changes, Change{ID: id, Op: Changed, Before: b, After: a, Fields: fields})
		}
	}
	for _, b := range before {
		id := b.ID()
		if done[id] {
			continue
		}
		done[id] = true
		changes = append(changes, Change{ID: id, Op: Removed, Before: b})
	}
	return changes
}

// Object compares two versions of one object and returns the fields that
// differ, in document order, or nil when they are equal but for cosmetic
// differences. The kind of after (or before) says which lists are sets. A
// nil object compares as one without fields.
//
// An object that cannot be encoded as JSON (the typed kinds always can) is
// reported as a single field at the root path, holding the error.
func Object(before, after *manifest.Object) []Field {
	if before != nil && after != nil &&
		identical(reflect.ValueOf(before.Object), reflect.ValueOf(after.Object), 0) {
		return nil // the common case, decided without encoding
	}
	bm, errB := canonicalMap(before)
	am, errA := canonicalMap(after)
	if errB != nil || errA != nil {
		return []Field{{Before: errorText(errB), After: errorText(errA)}}
	}
	kind := after
	if kind == nil {
		kind = before
	}
	var sh *shape
	if kind != nil {
		sh = shapeOf(kind.Kind.Group, kind.Kind.Kind)
	}
	return run(compare, sh, prepare(bm), prepare(am))
}

// canonicalMap returns the canonical map of o, nil for a nil object.
func canonicalMap(o *manifest.Object) (map[string]any, error) {
	if o == nil || o.Object == nil {
		return nil, nil
	}
	return manifest.CanonicalMap(o.Object)
}

// errorText describes an encoding error as a Field value.
func errorText(err error) any {
	if err == nil {
		return nil
	}
	return "cannot encode: " + err.Error()
}
