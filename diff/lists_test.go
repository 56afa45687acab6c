package diff

import (
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/tabbynet/tabby/api"
)

// TestListsNameRealFields checks the lists table against the Go types: each
// kind exists, each pattern leads through JSON fields to a list, and each
// key of a keyed list is a field of its elements. A typo in the table would
// otherwise silently make a set ordered.
func TestListsNameRealFields(t *testing.T) {
	scheme, err := api.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lists {
		for _, kind := range expand(r.kinds) {
			group, name, _ := strings.Cut(kind, "/")
			var gvk schema.GroupVersionKind
			for _, k := range api.Kinds() {
				if k.Group == group && k.Kind == name {
					gvk = k.GroupVersionKind
				}
			}
			obj, err := scheme.New(gvk)
			if err != nil {
				t.Errorf("%s: no such kind: %v", kind, err)
				continue
			}
			for _, p := range expand(r.pattern) {
				typ, ok := follow(reflect.TypeOf(obj), p)
				if !ok || typ.Kind() != reflect.Slice {
					t.Errorf("%s %s: not a list field", kind, p)
					continue
				}
				for _, key := range r.how.keys {
					if _, ok := jsonField(deref(typ.Elem()), key); !ok {
						t.Errorf("%s %s: elements have no key field %q", kind, p, key)
					}
				}
			}
		}
	}
}

// follow returns the Go type at pattern p of a JSON-encoded type.
func follow(typ reflect.Type, p string) (reflect.Type, bool) {
	for _, part := range strings.Split(p, ".") {
		name := strings.TrimRight(part, "[]")
		f, ok := jsonField(deref(typ), name)
		if !ok {
			return nil, false
		}
		typ = f
		for range strings.Count(part, "[]") {
			if typ = deref(typ); typ.Kind() != reflect.Slice {
				return nil, false
			}
			typ = typ.Elem()
		}
	}
	return deref(typ), true
}

// jsonField returns the type of the field JSON names name in struct typ,
// looking into inlined and embedded structs.
func jsonField(typ reflect.Type, name string) (reflect.Type, bool) {
	if typ.Kind() != reflect.Struct {
		return nil, false
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == name:
			return f.Type, true
		case tag == "" && f.Anonymous:
			if ft, ok := jsonField(deref(f.Type), name); ok {
				return ft, true
			}
		}
	}
	return nil, false
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func TestExpand(t *testing.T) {
	got := expand("spec.{a,b}[].{c,d}{,[].e}")
	want := []string{
		"spec.a[].c", "spec.a[].c[].e", "spec.a[].d", "spec.a[].d[].e",
		"spec.b[].c", "spec.b[].c[].e", "spec.b[].d", "spec.b[].d[].e",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
