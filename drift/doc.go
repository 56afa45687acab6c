// Package drift compares what Git wants with what the cluster holds and
// says, per object and field, what differs, who changed it and when.
//
// An object drifts when a field Git sets is missing from the live object or
// holds another value there (diff.Missing, after the same defaulting,
// api.Default, on both sides), or when the live object holds a field that
// tabby's field manager applied and Git no longer sets (Removed, read from
// the live object's managedFields): the next apply removes it. Other fields
// only the live object holds, such as server defaults and other managers'
// labels, are not drift. reconciler/apply leaves an object unchanged by the
// same test (Fields), so that a sync writes exactly what drift reports. Of a Calico
// Node, only what tabby sets on its Kubernetes Node counts: its labels and
// BGP spec, which live there as labels and annotations. A managed object
// gone from the cluster is Deleted; an object of a kind the repository
// manages that neither it nor another NetworkSync holds is Unmanaged.
//
// Who changed a field is read from the live object's managedFields: the
// field manager that owns the drifted field now, other than tabby's own, or
// failing that the latest writer other than tabby.
//
// Items are keyed by subject, so that other kinds of drift (such as a
// node's actual state against its desired state) can join a Report.
//
// A Report is written for a terminal or as Markdown for an issue (its JSON
// is its fields); the Markdown escapes every string the report holds (package
// internal/mdescape), so that no name, value or field manager can add a
// heading, a table row or cell, HTML or a mention of its own.
//
// drift is pure: its results depend only on its arguments; it reads no
// clock, network, file or logger. First-seen times are the caller's.
package drift
