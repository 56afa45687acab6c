package drift

import (
	"encoding/json"
	"testing"
)

func TestOwns(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  string // FieldsV1
		path string
		want bool
	}{
		{"a leaf", `{"f:spec":{"f:asNumber":{}}}`, "spec.asNumber", true},
		{"a leaf, beside the map's own entry", `{"f:spec":{".":{},"f:asNumber":{}}}`, "spec.asNumber", true},
		{"another leaf", `{"f:spec":{"f:peerIP":{}}}`, "spec.asNumber", false},
		{"a leaf in another map", `{"f:metadata":{"f:asNumber":{}}}`, "spec.asNumber", false},
		{"nothing", `{}`, "spec.asNumber", false},
		{"a map owned whole", `{"f:spec":{"f:bgp":{}}}`, "spec.bgp.asNumber", true},
		{"a map owned only as itself", `{"f:spec":{"f:bgp":{".":{}}}}`, "spec.bgp.asNumber", true},
		{"a map holding other keys", `{"f:metadata":{"f:labels":{".":{},"f:rack":{}}}}`, "metadata.labels.team", false},
		{"a map holding the key", `{"f:metadata":{"f:labels":{".":{},"f:rack":{}}}}`, "metadata.labels.rack", true},
		{"a map enclosing an owned field", `{"f:spec":{"f:bgp":{"f:asNumber":{}}}}`, "spec.bgp", true},
		{"a list element's field", `{"f:spec":{"f:ingress":{}}}`, "spec.ingress[1].action", true},
		{"a list element", `{"f:spec":{"f:ingress":{}}}`, "spec.ingress[0]", true},
		{"an element of a list owned by element", `{"f:spec":{"f:ingress":{"i:0":{}}}}`, "spec.ingress[0].action", true},
		{"an element of another list", `{"f:spec":{"f:egress":{}}}`, "spec.ingress[1].action", false},
		{"a quoted key", `{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}}}`, `metadata.labels["app.kubernetes.io/name"]`, true},
		{"a quoted key, another", `{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}}}`, `metadata.labels["app.kubernetes.io/part-of"]`, false},
		{"a quoted key holding ]", `{"f:metadata":{"f:annotations":{"f:a]b":{}}}}`, `metadata.annotations["a]b"]`, true},
		{"no path", `{"f:spec":{}}`, "", false},
		{"a path that does not parse", `{"f:spec":{"f:ingress":{}}}`, "spec.ingress[x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var set map[string]any
			if err := json.Unmarshal([]byte(tc.set), &set); err != nil {
				t.Fatal(err)
			}
			if got := owns(set, tc.path); got != tc.want {
				t.Errorf("owns(%s, %s) = %v, want %v", tc.set, tc.path, got, tc.want)
			}
		})
	}
}
