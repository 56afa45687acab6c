package drift

import (
	"encoding/json"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// Own reports whether a field manager's writes are the NetworkSync's own,
// and so never the cause of its drift. self is the NetworkSync's field
// manager (v1alpha1.FieldManager): its own writes, and those of the legacy
// manager every NetworkSync shared before (an object not yet migrated
// holds tabby's last apply under it), are its own; another NetworkSync's
// manager is not, since a NetworkSync writing over another's object is
// exactly what drift must name. When self is empty (no NetworkSync is
// known, as for tabby drift on a repository path), every tabby manager is
// tabby's own.
func Own(manager, self string) bool {
	switch {
	case manager == v1alpha1.LegacyFieldManager || manager == self:
		return true
	case self == "":
		return v1alpha1.IsFieldManager(manager)
	}
	return false
}

// Attribute names the field manager that changed the drifted fields: of the
// managers that are not self's own (Own) and own one of them, the one that
// wrote last; when none owns any (a field removed by an update is owned by
// nobody), the latest such writer. It returns empty values when the object
// records no such writer.
func Attribute(fields []Field, managed []metav1.ManagedFieldsEntry, self string) (manager, operation string, at *time.Time) {
	var best *metav1.ManagedFieldsEntry
	for i := range managed {
		e := &managed[i]
		if Own(e.Manager, self) || e.Subresource != "" || e.FieldsV1 == nil {
			continue
		}
		var set map[string]any
		if json.Unmarshal(e.FieldsV1.GetRawBytes(), &set) != nil {
			continue
		}
		for _, f := range fields {
			if owns(set, f.Path) && later(e, best) {
				best = e
				break
			}
		}
	}
	if best == nil {
		return latestWriter(managed, self)
	}
	return describe(best)
}

// AttributeNode names the manager of a Calico Node's drifted fields, which
// live on a Kubernetes Node: its labels as the Node's labels, its BGP spec
// as annotations. The rest of its spec is on no Kubernetes Node, so no
// manager owns it there: the Kubernetes Node's own spec is another thing.
func AttributeNode(fields []Field, managed []metav1.ManagedFieldsEntry, self string) (manager, operation string, at *time.Time) {
	var mapped []Field
	for _, f := range fields {
		for _, path := range onKubernetesNode(f.Path) {
			mapped = append(mapped, Field{Path: path})
		}
	}
	return Attribute(mapped, managed, self)
}

// onKubernetesNode returns the paths of the Kubernetes Node fields that
// hold a Calico Node's field: the annotation of a BGP field, every BGP
// annotation for spec.bgp or the whole spec (as a diff reports them when
// the Kubernetes Node has none), none for the rest of the spec, and the
// same path for metadata.
func onKubernetesNode(path string) []string {
	p, ok := manifest.ParseFieldPath(path)
	if !ok || len(p) == 0 || p[0] != "spec" {
		return []string{path}
	}
	if len(p) > 1 && p[1] != "bgp" {
		return nil
	}
	var out []string
	for _, a := range nodeAnnotations {
		if len(p) < 3 || p[2] == a.field {
			out = append(out, manifest.FieldPath{"metadata", "annotations", a.key}.String())
		}
	}
	return out
}

// nodeAnnotations are the fields of a Calico Node's BGP spec and the
// annotations of the Kubernetes Node that hold them.
var nodeAnnotations = []struct{ field, key string }{
	{"asNumber", v3.NodeAnnotationASNumber},
	{"ipv4Address", v3.NodeAnnotationIPv4Address},
	{"ipv6Address", v3.NodeAnnotationIPv6Address},
	{"routeReflectorClusterID", v3.NodeAnnotationRouteReflectorClusterID},
	{"ipv4IPIPTunnelAddr", v3.NodeAnnotationIPv4IPIPTunnelAddr},
}

// owns reports whether a managed field set (FieldsV1) holds the field at
// path, or the list or object that holds it whole: a list is owned as one
// value unless its elements are keyed, which tabby's kinds never are.
func owns(set map[string]any, path string) bool {
	p, ok := manifest.ParseFieldPath(path)
	if !ok || len(p) == 0 {
		return false
	}
	cur := set
	for _, e := range p {
		k, isKey := e.(string)
		if !isKey {
			return true // an element of a list owned whole
		}
		next, ok := cur["f:"+k]
		if !ok {
			return false
		}
		m, _ := next.(map[string]any)
		if len(m) == 0 || m["."] != nil && len(m) == 1 {
			return true // a leaf, or a value owned whole
		}
		cur = m
	}
	return true
}

// latestWriter returns the manager that is not self's own (Own) and wrote
// the object last.
func latestWriter(managed []metav1.ManagedFieldsEntry, self string) (manager, operation string, at *time.Time) {
	var best *metav1.ManagedFieldsEntry
	for i := range managed {
		e := &managed[i]
		if !Own(e.Manager, self) && e.Subresource == "" && later(e, best) {
			best = e
		}
	}
	if best == nil {
		return "", "", nil
	}
	return describe(best)
}

// later reports whether e was written after best; entries without a time
// come last.
func later(e, best *metav1.ManagedFieldsEntry) bool {
	if best == nil {
		return true
	}
	if e.Time == nil {
		return false
	}
	return best.Time == nil || e.Time.After(best.Time.Time)
}

func describe(e *metav1.ManagedFieldsEntry) (string, string, *time.Time) {
	var at *time.Time
	if e.Time != nil {
		t := e.Time.Time.UTC()
		at = &t
	}
	return e.Manager, string(e.Operation), at
}
