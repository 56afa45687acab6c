package apply

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func fieldsEntry(manager string, op metav1.ManagedFieldsOperationType, fields string) metav1.ManagedFieldsEntry {
	f := &metav1.FieldsV1{}
	f.SetRawBytes([]byte(fields))
	return metav1.ManagedFieldsEntry{Manager: manager, Operation: op, APIVersion: "projectcalico.org/v3", FieldsType: "FieldsV1", FieldsV1: f}
}

func TestJoinManagers(t *testing.T) {
	const self = "tabby/tabby-system/a"
	legacy := func(m string) bool { return m == "tabby" }
	apply, update := metav1.ManagedFieldsOperationApply, metav1.ManagedFieldsOperationUpdate
	for _, tc := range []struct {
		name    string
		managed []metav1.ManagedFieldsEntry
		want    []string // manager/operation: fields
		changed bool
	}{
		{
			name: "the legacy entry is renamed",
			managed: []metav1.ManagedFieldsEntry{
				fieldsEntry("kubectl-edit", update, `{"f:metadata":{"f:labels":{"f:x":{}}}}`),
				fieldsEntry("tabby", apply, `{"f:spec":{"f:nets":{}}}`),
			},
			want:    []string{`kubectl-edit/Update: {"f:metadata":{"f:labels":{"f:x":{}}}}`, `tabby/tabby-system/a/Apply: {"f:spec":{"f:nets":{}}}`},
			changed: true,
		},
		{
			name: "the legacy entry joins the new one",
			managed: []metav1.ManagedFieldsEntry{
				fieldsEntry(self, apply, `{"f:metadata":{"f:annotations":{"f:tabby.dev/owner":{}}}}`),
				fieldsEntry("tabby", apply, `{"f:spec":{"f:nets":{}}}`),
			},
			want:    []string{`tabby/tabby-system/a/Apply: {"f:metadata":{"f:annotations":{"f:tabby.dev/owner":{}}},"f:spec":{"f:nets":{}}}`},
			changed: true,
		},
		{
			name: "an Update entry of the legacy manager stays",
			managed: []metav1.ManagedFieldsEntry{
				fieldsEntry("tabby", update, `{"f:spec":{"f:nets":{}}}`),
			},
			want: []string{`tabby/Update: {"f:spec":{"f:nets":{}}}`},
		},
		{
			name:    "nothing to hand over",
			managed: []metav1.ManagedFieldsEntry{fieldsEntry(self, apply, `{"f:spec":{}}`)},
			want:    []string{`tabby/tabby-system/a/Apply: {"f:spec":{}}`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed, err := joinManagers(tc.managed, legacy, self)
			if err != nil || changed != tc.changed {
				t.Fatalf("changed %t, err %v; want changed %t", changed, err, tc.changed)
			}
			var desc []string
			for _, e := range got {
				desc = append(desc, e.Manager+"/"+string(e.Operation)+": "+e.FieldsV1.GetRawString())
			}
			if strings.Join(desc, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(desc, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	// Entries of two API versions cannot be joined.
	other := fieldsEntry("tabby", apply, `{"f:spec":{}}`)
	other.APIVersion = "projectcalico.org/v4"
	if _, _, err := joinManagers([]metav1.ManagedFieldsEntry{fieldsEntry(self, apply, `{}`), other}, legacy, self); err == nil {
		t.Error("entries of two API versions joined")
	}
}
