package drift_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
)

// TestRemoved checks which fields of the live object count as dropped by
// Git: those self applied and Git no longer sets, and no others.
func TestRemoved(t *testing.T) {
	self := v1alpha1.FieldManager("tabby-system", "prod")
	live := map[string]any{
		"metadata": map[string]any{
			"labels":      map[string]any{"rack": "7", "role": "tor", "team": "netops"},
			"annotations": map[string]any{v1alpha1.OwnerAnnotation: "tabby-system/prod"},
		},
		"spec": map[string]any{"peerIP": "10.0.7.1", "keepOriginalNextHop": true, "filters": []any{"a", "b"}},
	}
	want := map[string]any{
		"metadata": map[string]any{"labels": map[string]any{"rack": "7"}},
		"spec":     map[string]any{"peerIP": "10.0.7.1"},
	}
	applied := `{"f:metadata":{"f:labels":{".":{},"f:rack":{},"f:role":{}},"f:annotations":{"f:` + v1alpha1.OwnerAnnotation + `":{}}},` +
		`"f:spec":{"f:peerIP":{},"f:keepOriginalNextHop":{},"f:filters":{}}}`
	entry := func(manager string, op metav1.ManagedFieldsOperationType, set string) metav1.ManagedFieldsEntry {
		return metav1.ManagedFieldsEntry{Manager: manager, Operation: op, FieldsV1: metav1.NewFieldsV1(set)}
	}
	cases := []struct {
		name    string
		managed []metav1.ManagedFieldsEntry
		self    string
		want    []string
	}{
		{"self's applied fields Git dropped", []metav1.ManagedFieldsEntry{entry(self, metav1.ManagedFieldsOperationApply, applied)}, self,
			[]string{"metadata.labels.role", "spec.filters", "spec.keepOriginalNextHop"}},
		{"the legacy manager's are self's", []metav1.ManagedFieldsEntry{entry(v1alpha1.LegacyFieldManager, metav1.ManagedFieldsOperationApply, applied)}, self,
			[]string{"metadata.labels.role", "spec.filters", "spec.keepOriginalNextHop"}},
		{"another NetworkSync's are not", []metav1.ManagedFieldsEntry{entry(v1alpha1.FieldManager("tabby-system", "lab"), metav1.ManagedFieldsOperationApply, applied)}, self, nil},
		{"another manager's are not", []metav1.ManagedFieldsEntry{entry("kubectl-label", metav1.ManagedFieldsOperationApply, `{"f:metadata":{"f:labels":{"f:team":{}}}}`)}, self, nil},
		{"an update is no revision's", []metav1.ManagedFieldsEntry{entry(self, metav1.ManagedFieldsOperationUpdate, applied)}, self, nil},
		{"a set that does not decode is none", []metav1.ManagedFieldsEntry{entry(self, metav1.ManagedFieldsOperationApply, `{`)}, self, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := drift.Removed(want, live, tc.managed, tc.self, false)
			if len(got) != len(tc.want) {
				t.Fatalf("Removed = %v; want %v", got, tc.want)
			}
			for i, f := range got {
				if f.Path != tc.want[i] || f.Desired != nil || f.Live == nil {
					t.Errorf("field %d = %+v; want %s, with the live value alone", i, f, tc.want[i])
				}
			}
		})
	}
	t.Run("of a Calico Node, BGP annotations are its spec.bgp", func(t *testing.T) {
		node := map[string]any{
			"metadata": map[string]any{"labels": map[string]any{"rack": "7"}},
			"spec":     map[string]any{"bgp": map[string]any{"asNumber": "64513", "ipv4Address": "10.0.6.11/24"}},
		}
		set := `{"f:metadata":{"f:labels":{"f:rack":{}},"f:annotations":{"f:` + v3.NodeAnnotationASNumber + `":{},"f:` + v3.NodeAnnotationIPv4Address + `":{},"f:` + v1alpha1.OwnerAnnotation + `":{}}}}`
		got := drift.Removed(map[string]any{"spec": map[string]any{"bgp": map[string]any{"ipv4Address": "10.0.6.11/24"}}}, node,
			[]metav1.ManagedFieldsEntry{entry(self, metav1.ManagedFieldsOperationApply, set)}, self, true)
		if len(got) != 2 || got[0].Path != "metadata.labels.rack" || got[1].Path != "spec.bgp.asNumber" {
			t.Errorf("Removed = %v; want metadata.labels.rack and spec.bgp.asNumber", got)
		}
	})
}

// A managedFields entry is whatever the object's writers left there: any
// bytes. Removed never fails on one, and reports only fields the live
// object holds and Git's lacks.
func FuzzRemoved(f *testing.F) {
	for _, s := range []string{
		`{"f:metadata":{"f:labels":{".":{},"f:rack":{},"f:role":{}}},"f:spec":{"f:peerIP":{},"f:filters":{"k:{\"name\":\"a\"}":{".":{},"f:name":{}}}}}`,
		`{"f:spec":{"f:bgp":{"f:asNumber":{}}},"f:metadata":{"f:annotations":{"f:projectcalico.org/ASNumber":{}}}}`,
		`{"f:spec":{"i:0":{}}}`, `{"v:1":{}}`, `{}`, `[]`, `{"f:spec":null}`,
	} {
		f.Add(s, false)
	}
	self := v1alpha1.FieldManager("tabby-system", "prod")
	want := map[string]any{"metadata": map[string]any{"labels": map[string]any{"rack": "7"}}, "spec": map[string]any{"peerIP": "10.0.7.1"}}
	live := map[string]any{
		"metadata": map[string]any{"labels": map[string]any{"rack": "7", "role": "tor"}, "annotations": map[string]any{v3.NodeAnnotationASNumber: "64513"}},
		"spec":     map[string]any{"peerIP": "10.0.7.1", "filters": []any{map[string]any{"name": "a"}}, "bgp": map[string]any{"asNumber": "64513"}},
	}
	f.Fuzz(func(t *testing.T, set string, node bool) {
		managed := []metav1.ManagedFieldsEntry{{Manager: self, Operation: metav1.ManagedFieldsOperationApply, FieldsV1: metav1.NewFieldsV1(set)}}
		for _, fd := range drift.Removed(want, live, managed, self, node) {
			if fd.Live == nil || fd.Desired != nil {
				t.Errorf("%+v: want the live value alone", fd)
			}
			if fd.Path == "metadata.labels.rack" || fd.Path == "spec.peerIP" || fd.Path == "" {
				t.Errorf("%s reported removed; Git sets it", fd.Path)
			}
		}
	})
}
