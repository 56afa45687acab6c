package drift_test

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/drift"
)

// writer is who Attribute names.
type writer struct {
	manager, operation string
	at                 *time.Time
}

func (w writer) String() string { return w.manager + " (" + w.operation + ") at " + stamp(w.at) }

func paths(ps ...string) []drift.Field {
	out := make([]drift.Field, len(ps))
	for i, p := range ps {
		out[i] = drift.Field{Path: p}
	}
	return out
}

func TestAttribute(t *testing.T) {
	const asNumber = `{"f:spec":{".":{},"f:asNumber":{}}}`
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name    string
		fields  []drift.Field
		managed []metav1.ManagedFieldsEntry
		want    writer
	}{
		{
			name:   "the owner of the field, not the latest writer",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("tabby", apply, at(0), asNumber),
				entry("kubectl-edit", update, at(5), asNumber),
				entry("another-manager", update, at(9), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "never tabby, even when it wrote the field last",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("tabby", apply, at(9), asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "of two owners, the later, wherever it is listed",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("helm", apply, at(7), asNumber),
				entry("kubectl-edit", update, at(5), asNumber),
			},
			want: writer{"helm", "Apply", ptr(at(7))},
		},
		{
			name:   "of the owners of several fields, the later",
			fields: paths("spec.asNumber", "spec.peerIP"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("kubectl-patch", update, at(6), `{"f:spec":{"f:peerIP":{}}}`),
				entry("another-manager", update, at(9), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
			},
			want: writer{"kubectl-patch", "Update", ptr(at(6))},
		},
		{
			name:   "a field owned by nobody: the latest writer but tabby",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(2), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
				entry("helm", update, at(3), `{"f:spec":{"f:peerIP":{}}}`),
				entry("tabby", apply, at(9), `{"f:spec":{"f:peerIP":{},"f:nodeSelector":{}}}`),
			},
			want: writer{"helm", "Update", ptr(at(3))},
		},
		{
			name:   "an owner through the status subresource is ignored",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				statusEntry("calico-node", at(9), asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "a writer through the status subresource is ignored",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
				statusEntry("calico-node", at(9), `{"f:status":{"f:conditions":{}}}`),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "a list element, owned with its list",
			fields: paths("spec.ingress[1].action"),
			managed: []metav1.ManagedFieldsEntry{
				entry("tabby", apply, at(0), `{"f:spec":{"f:ingress":{},"f:selector":{}}}`),
				entry("kubectl-edit", update, at(5), `{"f:spec":{"f:ingress":{}}}`),
				entry("another-manager", update, at(9), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "a list element only the live object holds",
			fields: paths("spec.ingress[1]"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), `{"f:spec":{"f:ingress":{}}}`),
				entry("another-manager", update, at(9), `{"f:spec":{"f:egress":{}}}`),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "a label whose key is quoted",
			fields: paths(`metadata.labels["app.kubernetes.io/name"]`),
			managed: []metav1.ManagedFieldsEntry{
				entry("argocd", update, at(5), `{"f:metadata":{"f:labels":{".":{},"f:app.kubernetes.io/name":{}}}}`),
				entry("another-manager", update, at(9), `{"f:metadata":{"f:labels":{"f:app.kubernetes.io/part-of":{}}}}`),
			},
			want: writer{"argocd", "Update", ptr(at(5))},
		},
		{
			name:   "an owner of the enclosing map only, of other keys",
			fields: paths("metadata.labels.team"),
			managed: []metav1.ManagedFieldsEntry{
				entry("creator", update, at(7), `{"f:metadata":{"f:labels":{".":{},"f:rack":{}}}}`),
				entry("kubectl-label", update, at(5), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
			},
			want: writer{"kubectl-label", "Update", ptr(at(5))},
		},
		{
			name:   "an entry without a time loses to one with",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("untimed", update, time.Time{}, asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:    "an owner without a time",
			fields:  paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{entry("untimed", update, time.Time{}, asNumber)},
			want:    writer{"untimed", "Update", nil},
		},
		{
			name:    "a time given in another zone comes back in UTC",
			fields:  paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{entry("kubectl-edit", update, at(5).In(cet), asNumber)},
			want:    writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:   "entries whose fields do not decode are no owners",
			fields: paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("garbled", update, at(8), `{"f:spec":`),
				{Manager: "fieldless", Operation: update, Time: &metav1.Time{Time: at(7)}},
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:    "only tabby wrote the object",
			fields:  paths("spec.asNumber"),
			managed: []metav1.ManagedFieldsEntry{entry("tabby", apply, at(0), asNumber)},
		},
		{
			name:   "no managedFields",
			fields: paths("spec.asNumber"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, op, when := drift.Attribute(tc.fields, tc.managed, "")
			if got := (writer{m, op, when}); got.String() != tc.want.String() {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// A Calico Node's BGP fields are owned through the annotations of its
// Kubernetes Node; its labels are the Kubernetes Node's own.
func TestAttributeNode(t *testing.T) {
	managed := []metav1.ManagedFieldsEntry{
		entry("tabby", apply, at(0), `{"f:metadata":{"f:annotations":{"f:projectcalico.org/ASNumber":{},"f:projectcalico.org/IPv4Address":{}}}}`),
		entry("kubectl-annotate", update, at(3), `{"f:metadata":{"f:annotations":{"f:projectcalico.org/ASNumber":{}}}}`),
		entry("calico-node", update, at(4), `{"f:metadata":{"f:annotations":{"f:projectcalico.org/IPv4Address":{},"f:projectcalico.org/IPv6Address":{}}}}`),
		entry("rr-operator", update, at(5), `{"f:metadata":{"f:annotations":{"f:projectcalico.org/RouteReflectorClusterID":{}}}}`),
		entry("ipip-allocator", update, at(6), `{"f:metadata":{"f:annotations":{"f:projectcalico.org/IPv4IPIPTunnelAddr":{}}}}`),
		entry("node-labeler", update, at(7), `{"f:metadata":{"f:labels":{"f:rack":{}}}}`),
		// The latest writer, and of nothing that drifted.
		entry("kubelet", update, at(9), `{"f:metadata":{"f:labels":{"f:kubernetes.io/hostname":{}}},"f:spec":{"f:podCIDR":{}}}`),
		statusEntry("kubelet", at(10), `{"f:status":{"f:conditions":{}}}`),
	}
	for _, tc := range []struct {
		path string
		want writer
	}{
		{"spec.bgp.asNumber", writer{"kubectl-annotate", "Update", ptr(at(3))}},
		{"spec.bgp.ipv4Address", writer{"calico-node", "Update", ptr(at(4))}},
		{"spec.bgp.ipv6Address", writer{"calico-node", "Update", ptr(at(4))}},
		{"spec.bgp.routeReflectorClusterID", writer{"rr-operator", "Update", ptr(at(5))}},
		{"spec.bgp.ipv4IPIPTunnelAddr", writer{"ipip-allocator", "Update", ptr(at(6))}},
		{"metadata.labels.rack", writer{"node-labeler", "Update", ptr(at(7))}},
		// Every BGP annotation, as when the Kubernetes Node has none.
		{"spec.bgp", writer{"ipip-allocator", "Update", ptr(at(6))}},
		{"spec", writer{"ipip-allocator", "Update", ptr(at(6))}},
		// On no Kubernetes Node: the latest writer but tabby.
		{"spec.addresses", writer{"kubelet", "Update", ptr(at(9))}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			fs := paths(tc.path)
			m, op, when := drift.AttributeNode(fs, managed, "")
			if fs[0].Path != tc.path {
				t.Errorf("the caller's field became %s", fs[0].Path)
			}
			if got := (writer{m, op, when}); got.String() != tc.want.String() {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestAttributeOwnManagers checks whose writes are a NetworkSync's own:
// its field manager's and the legacy shared one's, never another
// NetworkSync's, which drift names like any other writer.
func TestAttributeOwnManagers(t *testing.T) {
	const asNumber = `{"f:spec":{".":{},"f:asNumber":{}}}`
	const self = "tabby/tabby-system/core"
	for _, tc := range []struct {
		name    string
		self    string
		managed []metav1.ManagedFieldsEntry
		want    writer
	}{
		{
			name: "its own manager, even when it wrote the field last",
			self: self,
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry(self, apply, at(9), asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name: "the legacy manager of an object not yet upgraded",
			self: self,
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("tabby", apply, at(9), asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name: "another NetworkSync's manager is named",
			self: self,
			managed: []metav1.ManagedFieldsEntry{
				entry(self, apply, at(1), asNumber),
				entry("kubectl-edit", update, at(5), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
				entry("tabby/tabby-system/edge", apply, at(7), asNumber),
			},
			want: writer{"tabby/tabby-system/edge", "Apply", ptr(at(7))},
		},
		{
			name: "another NetworkSync's manager, as the latest writer",
			self: self,
			managed: []metav1.ManagedFieldsEntry{
				entry(self, apply, at(9), asNumber),
				entry("tabby/tabby-system/edge", apply, at(7), `{"f:metadata":{"f:labels":{"f:team":{}}}}`),
			},
			want: writer{"tabby/tabby-system/edge", "Apply", ptr(at(7))},
		},
		{
			name: "no NetworkSync known: every tabby manager is tabby's",
			managed: []metav1.ManagedFieldsEntry{
				entry("kubectl-edit", update, at(5), asNumber),
				entry("tabby/tabby-system/edge", apply, at(7), asNumber),
				entry("tabby/tabby-system/core", apply, at(9), asNumber),
			},
			want: writer{"kubectl-edit", "Update", ptr(at(5))},
		},
		{
			name:    "a manager that only starts like tabby's is someone else",
			self:    self,
			managed: []metav1.ManagedFieldsEntry{entry("tabby-operator", apply, at(7), asNumber)},
			want:    writer{"tabby-operator", "Apply", ptr(at(7))},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, op, when := drift.Attribute(paths("spec.asNumber"), tc.managed, tc.self)
			if got := (writer{m, op, when}); got.String() != tc.want.String() {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
