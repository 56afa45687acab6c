package diff

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFieldString(t *testing.T) {
	for _, tc := range []struct {
		f    Field
		want string
	}{
		{Field{Path: "spec.asNumber", Before: json.Number("64513"), After: json.Number("64512")}, "spec.asNumber: 64513 → 64512"},
		{Field{Path: "spec.nets", After: "10.0.0.0/8"}, `spec.nets: added "10.0.0.0/8"`},
		{Field{Path: "spec.nets", Before: "10.0.0.0/8"}, `spec.nets: removed "10.0.0.0/8"`},
		{Field{Path: "spec.disabled", Before: false, After: true}, "spec.disabled: false → true"},
		{Field{Path: "spec.selector", Before: "a == 'x' && b > 1", After: "all()"}, `spec.selector: "a == 'x' && b > 1" → "all()"`},
		{Field{Path: "spec.selector", After: strings.Repeat("é", 50)}, `spec.selector: added "` + strings.Repeat("é", 38) + "…"},
		{Field{Path: "spec.ingress[0]", After: map[string]any{"action": "Allow", "source": map[string]any{"nets": []any{"10.0.0.0/8"}}}},
			`spec.ingress[0]: added {"action":"Allow","source":{"nets":["10.0.0.0/8"]}}`},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestJSON(t *testing.T) {
	c := Change{ID: "projectcalico.org/BGPPeer tor-a", Op: Changed, Fields: []Field{
		{Path: "spec.asNumber", Before: json.Number("64513"), After: json.Number("64512")},
		{Path: "spec.filters[0]", After: "f"},
		{Path: "spec.keepOriginalNextHop", Before: true},
	}}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"projectcalico.org/BGPPeer tor-a","op":"changed","fields":[` +
		`{"path":"spec.asNumber","before":64513,"after":64512},` +
		`{"path":"spec.filters[0]","after":"f"},` +
		`{"path":"spec.keepOriginalNextHop","before":true}]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
}
