package diff

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/tabbynet/tabby/manifest"
)

// corpus returns the canonical maps of every object the object cases
// render, before and after.
func corpus(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, tc := range objectCases {
		for _, files := range []map[string]string{tc.base, tc.head} {
			for _, o := range renderFiles(t, files).Objects {
				m, err := manifest.CanonicalMap(o.Object)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, m)
			}
		}
	}
	return out
}

// checkProperties checks what must hold of any two objects.
func checkProperties(t *testing.T, a, b map[string]any) {
	t.Helper()
	if fs := Maps(a, a); len(fs) != 0 {
		t.Errorf("an object differs from itself: %v", fieldLines(fs))
	}
	if fs := Missing(a, a); len(fs) != 0 {
		t.Errorf("an object lacks something of itself: %v", fieldLines(fs))
	}
	ab, ba := Maps(a, b), Maps(b, a)
	if (len(ab) == 0) != (len(ba) == 0) {
		t.Errorf("a to b: %v; b to a: %v", fieldLines(ab), fieldLines(ba))
	}
	// The walker and the canonical text, which aligns list elements,
	// must agree on what is equal.
	sh := shapeOf(kindOf(a, b))
	if same := canon(prepare(a), sh) == canon(prepare(b), sh); same != (len(ab) == 0) {
		t.Errorf("canonical texts equal: %v, yet fields: %v", same, fieldLines(ab))
	}
	if len(ab) == 0 {
		if fs := Missing(b, a); len(fs) != 0 {
			t.Errorf("equal objects, yet one lacks %v", fieldLines(fs))
		}
	}
	if again := Maps(a, b); !reflect.DeepEqual(again, ab) {
		t.Errorf("two runs differ:\n%v\n%v", fieldLines(ab), fieldLines(again))
	}
	checkPaths(t, ab)
	checkPaths(t, Missing(a, b))
	for _, f := range ab {
		if _, err := json.Marshal(f); err != nil {
			t.Errorf("%s: does not encode: %v", f.Path, err)
		}
		_ = f.String()
	}
}

func TestProperties(t *testing.T) {
	objs := corpus(t)
	for _, a := range objs {
		for _, b := range objs {
			checkProperties(t, a, b)
		}
	}
}

// TestReorderingSetsIsCosmetic shuffles every list the table calls a set or
// keyed list, in every object of the corpus, and expects no difference.
func TestReorderingSetsIsCosmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shuffled := 0
	for _, m := range corpus(t) {
		for range 5 {
			group, kind := groupKind(m)
			c := shuffle(rng, deepCopy(m), shapeOf(group, kind), &shuffled)
			if fs := Maps(m, c.(map[string]any)); len(fs) != 0 {
				t.Errorf("%s %v: reordering sets shows %v", kind, m["metadata"], fieldLines(fs))
			}
		}
	}
	if shuffled == 0 {
		t.Fatal("the corpus has no set to shuffle")
	}
}

// shuffle permutes, in place, every list below v that sh says is unordered.
func shuffle(rng *rand.Rand, v any, sh *shape, n *int) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = shuffle(rng, e, sh.field(k), n)
		}
	case []any:
		for i, e := range v {
			v[i] = shuffle(rng, e, sh.element(), n)
		}
		if sh.list().order != ordered && len(v) > 1 {
			rng.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
			*n++
		}
	}
	return v
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = deepCopy(e)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = deepCopy(e)
		}
		return c
	}
	return v
}

// FuzzMaps compares arbitrary JSON objects. It must never panic, and the
// properties of checkProperties must hold.
func FuzzMaps(f *testing.F) {
	objs := corpus(f)
	for i := 0; i+1 < len(objs); i += 2 {
		a, _ := json.Marshal(objs[i])
		b, _ := json.Marshal(objs[i+1])
		f.Add(a, b)
	}
	f.Add([]byte(`{"kind":"NetworkSet","apiVersion":"projectcalico.org/v3","spec":{"nets":[1e6,"a",null,{}]}}`),
		[]byte(`{"kind":"NetworkSet","apiVersion":"projectcalico.org/v3","spec":{"nets":[{},"a",1000000,null]}}`))
	f.Add([]byte(`{"kind":"Fabric","apiVersion":"tabby.dev/v1alpha1","spec":{"routers":[{"name":"a","x":[1,2]},{"name":"a"}]}}`),
		[]byte(`{"kind":"Fabric","apiVersion":"tabby.dev/v1alpha1","spec":{"routers":[{"name":"b","x":[2,1]},{"name":1}]}}`))
	f.Add([]byte(`{"spec":{"a":[1,2,3,4,5]},"metadata":{"labels":{"a.b/c":"d"},"uid":"x"}}`),
		[]byte(`{"spec":{"a":[0,1,3,2,5,6],"b":{}},"metadata":{"labels":{"a.b/c":"e"}},"status":{"x":1}}`))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, okA := decode(x)
		b, okB := decode(y)
		if !okA || !okB {
			return
		}
		checkProperties(t, a, b)
	})
}

// decode decodes a JSON object as manifest.CanonicalMap does.
func decode(data []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}
