package apply

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestContains(t *testing.T) {
	live := map[string]any{
		"metadata": map[string]any{"name": "p", "resourceVersion": "7", "labels": map[string]any{"a": "1", "b": "2"}},
		"spec":     map[string]any{"asNumber": int64(64513), "peerIP": "10.0.7.1", "filters": []any{"f"}},
	}
	cases := []struct {
		name string
		want map[string]any
		ok   bool
	}{
		{"a subset", map[string]any{"spec": map[string]any{"asNumber": int64(64513)}}, true},
		{"numbers by value", map[string]any{"spec": map[string]any{"asNumber": float64(64513)}}, true},
		{"a label subset", map[string]any{"metadata": map[string]any{"labels": map[string]any{"a": "1"}}}, true},
		{"a changed value", map[string]any{"spec": map[string]any{"asNumber": int64(64512)}}, false},
		{"a missing field", map[string]any{"spec": map[string]any{"keepaliveTime": "20s"}}, false},
		{"lists are compared whole", map[string]any{"spec": map[string]any{"filters": []any{"f", "g"}}}, false},
		{"a type change", map[string]any{"spec": map[string]any{"peerIP": int64(1)}}, false},
	}
	for _, tc := range cases {
		if got := contains(live, tc.want); got != tc.ok {
			t.Errorf("%s: contains = %t", tc.name, got)
		}
	}
}

func TestInventoryID(t *testing.T) {
	m := ObjMeta{Namespace: "frontend", Name: "application.frontend", GroupVersionKind: schema.GroupVersionKind{Group: "projectcalico.org", Version: "v3", Kind: "NetworkPolicy"}}
	id := m.ID()
	if id != "frontend_application.frontend_projectcalico.org_NetworkPolicy" {
		t.Fatalf("ID = %q", id)
	}
	back, err := ParseID(id, "projectcalico.org/v3")
	if err != nil || back != m {
		t.Errorf("ParseID = %+v, %v", back, err)
	}
	core, err := ParseID("_rack6-node1__Node", "v1")
	if err != nil || core.Name != "rack6-node1" || core.Group != "" {
		t.Errorf("core kind: %+v, %v", core, err)
	}
	for _, bad := range [][2]string{{"a_b_c", "v1"}, {"ns_n_projectcalico.org_X", "tabby.dev/v1alpha1"}, {"ns_n_g_K", "a/b/c"}} {
		if _, err := ParseID(bad[0], bad[1]); err == nil {
			t.Errorf("ParseID(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}
