package apply

import (
	"testing"
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
