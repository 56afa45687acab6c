package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	kjson "sigs.k8s.io/json"

	"github.com/tabbynet/tabby/manifest"
)

// structInfo maps the JSON names of a struct's fields, embedded inline
// structs included, to their types.
type structInfo struct {
	fields map[string]reflect.Type
	names  []string
}

var structInfos sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{fields: map[string]reflect.Type{}}
	collectFields(t, info)
	sort.Strings(info.names)
	v, _ := structInfos.LoadOrStore(t, info)
	return v.(*structInfo)
}

func collectFields(t reflect.Type, info *structInfo) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && (name == "" || strings.Contains(","+opts+",", ",inline,")) {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, info)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := info.fields[name]; !dup {
			info.names = append(info.names, name)
		}
		info.fields[name] = f.Type
	}
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// isLeaf reports whether t decodes itself, so that its JSON shape is its
// own business.
func isLeaf(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

// enterpriseFields are Calico Enterprise fields that Calico Open Source,
// and so tabby, does not have.
var enterpriseFields = map[string]bool{"domains": true, "allowedEgressDomains": true}

// unknownFields reports every field of v that the Go type t does not have,
// with a suggestion where a known field is spelt alike.
func unknownFields(t reflect.Type, v any, p manifest.FieldPath, report func(manifest.FieldPath, string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isLeaf(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return // a type error, which decoding reports
		}
		info := infoOf(t)
		for _, k := range sortedKeys(m) {
			ft, ok := info.fields[k]
			if !ok {
				report(p.Key(k), unknownFieldMessage(k, info.names))
				continue
			}
			unknownFields(ft, m[k], p.Key(k), report)
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				unknownFields(t.Elem(), m[k], p.Key(k), report)
			}
		}
	case reflect.Slice, reflect.Array:
		if l, ok := v.([]any); ok {
			for i, item := range l {
				unknownFields(t.Elem(), item, p.Index(i), report)
			}
		}
	}
}

func unknownFieldMessage(k string, known []string) string {
	if enterpriseFields[k] {
		return fmt.Sprintf("field %q is a Calico Enterprise feature; Calico Open Source and tabby do not support it", k)
	}
	if s := suggest(k, known); strings.EqualFold(s, k) {
		// Go's JSON decoding matches field names case-insensitively, and
		// calicoctl decodes with it; the API server does not.
		return fmt.Sprintf("field %q is not known; did you mean %q? calicoctl, whose Go JSON decoding ignores case, accepts %q in Calico resources, but kubectl and Calico's CRDs drop or reject it (the API server prunes an unknown field, or refuses it under strict field validation); write %q [stricter than Calico]", k, s, k, s)
	} else if s != "" {
		return fmt.Sprintf("field %q is not known; did you mean %q?", k, s)
	}
	return fmt.Sprintf("field %q is not known; known fields are %s", k, strings.Join(known, ", "))
}

// suggest returns the known name closest to k: one differing only in case,
// one that k is a prefix of (or the reverse), or one within edit distance 2.
func suggest(k string, known []string) string {
	for _, n := range known {
		if strings.EqualFold(n, k) {
			return n
		}
	}
	best, bestDist := "", 3
	for _, n := range known {
		if len(k) >= 4 && (strings.HasPrefix(strings.ToLower(n), strings.ToLower(k)) || strings.HasPrefix(strings.ToLower(k), strings.ToLower(n))) && len(n) >= 4 {
			return n
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodeInto decodes v into the value ptr points to, as the Kubernetes API
// machinery does: field names are case-sensitive and integers stay integers.
func decodeInto(v any, ptr any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return kjson.UnmarshalCaseSensitivePreserveInts(data, ptr)
}

// blame finds the innermost value of v that does not decode into type t, and
// says what is wrong with it. It runs only after decoding failed, so its
// cost, a decode per level, is paid only for broken documents.
func blame(t reflect.Type, v any, p manifest.FieldPath) (manifest.FieldPath, string) {
	err := decodeInto(v, reflect.New(t).Interface())
	if err == nil {
		return nil, ""
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if !isLeaf(base) {
		switch base.Kind() {
		case reflect.Struct:
			if m, ok := v.(map[string]any); ok {
				info := infoOf(base)
				for _, k := range sortedKeys(m) {
					if ft, ok := info.fields[k]; ok {
						if bp, msg := blame(ft, m[k], p.Key(k)); bp != nil {
							return bp, msg
						}
					}
				}
			}
		case reflect.Map:
			if m, ok := v.(map[string]any); ok {
				for _, k := range sortedKeys(m) {
					if bp, msg := blame(base.Elem(), m[k], p.Key(k)); bp != nil {
						return bp, msg
					}
				}
			}
		case reflect.Slice, reflect.Array:
			if l, ok := v.([]any); ok {
				for i, item := range l {
					if bp, msg := blame(base.Elem(), item, p.Index(i)); bp != nil {
						return bp, msg
					}
				}
			}
		}
	}
	if p == nil {
		p = manifest.FieldPath{}
	}
	if isLeaf(base) {
		return p, strings.TrimPrefix(err.Error(), "json: ")
	}
	return p, fmt.Sprintf("want %s, got %s", describeType(base), describeValue(v))
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if bits := t.Bits(); bits < 64 {
			return fmt.Sprintf("an integer in 0-%d", uint64(1)<<bits-1)
		}
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return t.String()
}

func describeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case int64, uint64:
		return fmt.Sprintf("the number %d", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case json.Number:
		return fmt.Sprintf("the number %s", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%v", v)
}
