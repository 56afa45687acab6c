package drift

import (
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/manifest"
)

// Check compares the object Git wants with the live one, nil when it is
// gone, and returns the drift item and whether it drifted (Fields). Both
// objects must be defaulted (api.Default). The manager is read from the live object's
// managedFields (a Calico Node carries its Kubernetes Node's), leaving out
// self's own writes (Own).
func Check(want, live *manifest.Object, self string) (Item, bool) {
	it := Item{Subject: want.ID(), Source: sourceOf(want)}
	if live == nil || live.Object == nil {
		it.Type = Deleted
		return it, true
	}
	fields := Fields(want, live, self)
	if len(fields) == 0 {
		return Item{}, false
	}
	it.Type = Modified
	it.Fields = fields
	if isNode(live) {
		it.Manager, it.Operation, it.ChangedAt = AttributeNode(fields, live.Object.GetManagedFields(), self)
	} else {
		it.Manager, it.Operation, it.ChangedAt = Attribute(fields, live.Object.GetManagedFields(), self)
	}
	return it, true
}

// withoutMarker removes the ownership marker from Git's object in
// canonical form: tabby sets it, whatever a manifest says
// (reconciler/apply), so a manifest's value is never applied.
func withoutMarker(m map[string]any) {
	meta, _ := m["metadata"].(map[string]any)
	if ann, ok := meta["annotations"].(map[string]any); ok {
		delete(ann, v1alpha1.OwnerAnnotation)
	}
}

// Fields returns the fields in which live differs from want: those of want
// that live lacks or holds differently, in document order (diff.Missing),
// then those that self's field managers applied and want no longer sets
// (Removed). Of a Calico Node, only what tabby applies counts. No fields
// is the very test by which reconciler/apply leaves an object unchanged.
func Fields(want, live *manifest.Object, self string) []Field {
	wm, err := manifest.CanonicalMap(want.Object)
	if err != nil {
		return []Field{{Path: "", Desired: "cannot encode: " + err.Error()}}
	}
	if isNode(want) {
		wm = nodeApplied(wm)
	}
	withoutMarker(wm)
	lm, err := manifest.CanonicalMap(live.Object)
	if err != nil {
		return []Field{{Path: "", Live: "cannot encode: " + err.Error()}}
	}
	missing := diff.Missing(wm, lm)
	out := make([]Field, len(missing))
	for i, f := range missing {
		out[i] = Field{Path: f.Path, Desired: f.After, Live: f.Before}
	}
	return append(out, Removed(wm, lm, live.Object.GetManagedFields(), self, isNode(live))...)
}

// CheckUnmanaged returns the item of a live object no revision holds, and
// false for objects that are never managed: Calico Nodes (tabby only sets
// fields on Kubernetes Nodes, never creates them) and Calico's built-in
// tiers. The manager named is the latest writer that is not self's own.
func CheckUnmanaged(live *manifest.Object, self string) (Item, bool) {
	if isNode(live) {
		return Item{}, false
	}
	if live.Kind.Group == v3.GroupName {
		switch live.Kind.Kind {
		case "Tier":
			if builtinTiers[live.Object.GetName()] {
				return Item{}, false
			}
		}
	}
	it := Item{Subject: live.ID(), Type: Unmanaged}
	it.Manager, it.Operation, it.ChangedAt = latestWriter(live.Object.GetManagedFields(), self)
	return it, true
}

// builtinTiers are the tiers Calico creates itself.
var builtinTiers = map[string]bool{"default": true, "kube-admin": true, "kube-baseline": true}

func sourceOf(o *manifest.Object) string {
	if o.Source.File == "" {
		return ""
	}
	return o.Source.String()
}

// nodeApplied returns the part of a Calico Node, in canonical form, that
// tabby applies: its labels and BGP spec, which it sets on the Kubernetes
// Node as labels and annotations (reconciler/apply). The rest (other
// metadata, addresses, tunnel addresses, orchRefs) it never writes, so the
// live Node lacking it is no drift.
func nodeApplied(m map[string]any) map[string]any {
	out := map[string]any{"apiVersion": m["apiVersion"], "kind": m["kind"]}
	meta, _ := m["metadata"].(map[string]any)
	if labels, ok := meta["labels"]; ok {
		out["metadata"] = map[string]any{"labels": labels}
	}
	spec, _ := m["spec"].(map[string]any)
	if bgp, ok := spec["bgp"]; ok {
		out["spec"] = map[string]any{"bgp": bgp}
	}
	return out
}

func isNode(o *manifest.Object) bool {
	return o.Kind.OnKubernetesNode()
}
