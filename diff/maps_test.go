package diff

import (
	"slices"
	"strings"
	"testing"
)

// TestMaps covers the engine on small objects written as JSON.
func TestMaps(t *testing.T) {
	const policy = `"apiVersion":"projectcalico.org/v3","kind":"GlobalNetworkPolicy"`
	const fabric = `"apiVersion":"tabby.dev/v1alpha1","kind":"Fabric"`
	for _, tc := range []struct {
		name          string
		before, after string
		want          []string
	}{
		{
			name:   "numbers compare by value",
			before: `{"spec":{"a":1e6,"b":0.5,"c":1,"d":-0}}`,
			after:  `{"spec":{"a":1000000,"b":5e-1,"c":1.0,"d":0}}`,
		},
		{
			name:   "a number is not its string",
			before: `{"spec":{"asNumber":"64512"}}`,
			after:  `{"spec":{"asNumber":64512}}`,
			want:   []string{`spec.asNumber: "64512" → 64512`},
		},
		{
			name:   "null, empty and absent are the same",
			before: `{"metadata":{"labels":{}},"spec":{"a":null,"b":[],"c":{"d":{}},"e":[{}]}}`,
			after:  `{"spec":{"e":[{"f":null}]}}`,
		},
		{
			name:   "server metadata, status, apiVersion and kind are ignored",
			before: `{"apiVersion":"v1","kind":"A","metadata":{"name":"a","uid":"1","resourceVersion":"2"},"status":{"x":1},"spec":{}}`,
			after:  `{"apiVersion":"v2","kind":"B","metadata":{"name":"b","generation":3,"finalizers":["f"]},"status":{"x":2}}`,
		},
		{
			name:   "other top-level fields are compared",
			before: `{"data":{"a":"1"}}`,
			after:  `{"data":{"a":"2"}}`,
			want:   []string{`data.a: "1" → "2"`},
		},
		{
			name:   "a value changes type",
			before: `{"spec":{"a":{"b":1}}}`,
			after:  `{"spec":{"a":[1]}}`,
			want:   []string{`spec.a: {"b":1} → [1]`},
		},
		{
			name:   "fields in document order",
			before: `{"spec":{"z":1,"a":1},"metadata":{"labels":{"b":"1"},"annotations":{"a":"1"}}}`,
			after:  `{"spec":{"z":2,"a":2},"metadata":{"labels":{"b":"2"},"annotations":{"a":"2"}}}`,
			want: []string{`metadata.annotations.a: "1" → "2"`, `metadata.labels.b: "1" → "2"`,
				`spec.a: 1 → 2`, `spec.z: 1 → 2`},
		},
		{
			name:   "ordered: scalar replaced",
			before: `{"spec":{"filters":["a","b","c"]}}`,
			after:  `{"spec":{"filters":["a","x","c"]}}`,
			want:   []string{`spec.filters[1]: "b" → "x"`},
		},
		{
			name:   "ordered: moved element",
			before: `{"spec":{"filters":["a","b","c"]}}`,
			after:  `{"spec":{"filters":["b","c","a"]}}`,
			want:   []string{`spec.filters[0]: removed "a"`, `spec.filters[2]: added "a"`},
		},
		{
			name:   "ordered: removed from the middle",
			before: `{"spec":{"filters":["a","b","c","d"]}}`,
			after:  `{"spec":{"filters":["a","d"]}}`,
			want:   []string{`spec.filters[1]: removed "b"`, `spec.filters[2]: removed "c"`},
		},
		{
			name:   "ordered: a rule inserted before a changed one pairs the changed one",
			before: `{` + policy + `,"spec":{"ingress":[{"action":"Allow","protocol":"TCP","source":{"selector":"a"}},{"action":"Deny"}]}}`,
			after:  `{` + policy + `,"spec":{"ingress":[{"action":"Log"},{"action":"Allow","protocol":"UDP","source":{"selector":"a"}},{"action":"Deny"}]}}`,
			want:   []string{`spec.ingress[0]: added {"action":"Log"}`, `spec.ingress[1].protocol: "TCP" → "UDP"`},
		},
		{
			name:   "set inside an ordered rule",
			before: `{` + policy + `,"spec":{"ingress":[{"action":"Allow","source":{"nets":["a","b"],"notNets":["c"]}}]}}`,
			after:  `{` + policy + `,"spec":{"ingress":[{"action":"Allow","source":{"nets":["b","a","d"],"notNets":["c"]}}]}}`,
			want:   []string{`spec.ingress[0].source.nets: added "d"`},
		},
		{
			name:   "set: duplicates count",
			before: `{` + policy + `,"spec":{"types":["Ingress","Ingress"]}}`,
			after:  `{` + policy + `,"spec":{"types":["Ingress"]}}`,
			want:   []string{`spec.types: removed "Ingress"`},
		},
		{
			name:   "set: removals then additions, in canonical order",
			before: `{` + policy + `,"spec":{"types":["b","a","x"]}}`,
			after:  `{` + policy + `,"spec":{"types":["x","d","c"]}}`,
			want:   []string{`spec.types: removed "a"`, `spec.types: removed "b"`, `spec.types: added "c"`, `spec.types: added "d"`},
		},
		{
			name:   "keyed: element added, removed and changed",
			before: `{` + fabric + `,"spec":{"routers":[{"name":"a","asNumber":1},{"name":"b","asNumber":2}]}}`,
			after:  `{` + fabric + `,"spec":{"routers":[{"name":"c","asNumber":3},{"name":"a","asNumber":4}]}}`,
			want: []string{`spec.routers[0]: added {"asNumber":3,"name":"c"}`, `spec.routers[1].asNumber: 1 → 4`,
				`spec.routers[1]: removed {"asNumber":2,"name":"b"}`},
		},
		{
			name:   "keyed: a repeated key compares as a set",
			before: `{` + fabric + `,"spec":{"routers":[{"name":"a","asNumber":1},{"name":"a","asNumber":2}]}}`,
			after:  `{` + fabric + `,"spec":{"routers":[{"name":"a","asNumber":2},{"name":"a","asNumber":3}]}}`,
			want:   []string{`spec.routers: removed {"asNumber":1,"name":"a"}`, `spec.routers: added {"asNumber":3,"name":"a"}`},
		},
		{
			name:   "keys that need quoting",
			before: `{"metadata":{"annotations":{"a.b/c":"1","x]\"y":"1"}}}`,
			after:  `{"metadata":{"annotations":{"a.b/c":"2","x]\"y":"2"}}}`,
			want:   []string{`metadata.annotations["a.b/c"]: "1" → "2"`, `metadata.annotations["x]\"y"]: "1" → "2"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, ok := decode([]byte(tc.before))
			after, ok2 := decode([]byte(tc.after))
			if !ok || !ok2 {
				t.Fatal("test objects do not decode")
			}
			fs := Maps(before, after)
			if got := fieldLines(fs); !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			checkPaths(t, fs)
		})
	}
}
