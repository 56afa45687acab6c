package diff

import "strings"

// Maps compares two objects in their canonical JSON form (manifest.CanonicalMap)
// and returns every field that differs, in document order. Only the fields
// that matter are compared: see the package documentation. The kind, read
// from the apiVersion and kind the maps state, says which lists are sets.
func Maps(before, after map[string]any) []Field {
	return run(compare, shapeOf(kindOf(before, after)), prepare(before), prepare(after))
}

// Missing returns what the live object have lacks of the desired object
// want: every field of want that have lacks or holds differently, with
// Before have's value and After want's. Fields only have holds (server
// defaults, status, other managers' labels and annotations) are not
// differences; elements only have's lists hold are, since they change what
// the list means. It is what drift is.
func Missing(want, have map[string]any) []Field {
	return run(cover, shapeOf(kindOf(have, want)), prepare(have), prepare(want))
}

// kindOf returns the API group and kind two objects state: the one that
// states them, or both when they agree. Objects of different kinds have no
// kind, and all their lists compare as ordered.
func kindOf(a, b map[string]any) (group, kind string) {
	ga, ka := groupKind(a)
	gb, kb := groupKind(b)
	switch {
	case ka == "":
		return gb, kb
	case kb == "" || ga == gb && ka == kb:
		return ga, ka
	}
	return "", ""
}

// groupKind returns the API group and kind an object states.
func groupKind(m map[string]any) (group, kind string) {
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ = m["kind"].(string)
	if kind == "" {
		return "", ""
	}
	if slash := strings.LastIndexByte(apiVersion, '/'); slash >= 0 {
		return apiVersion[:slash], kind
	}
	return "", kind
}

// prepare returns the fields of obj that are compared, pruned.
func prepare(obj map[string]any) map[string]any {
	p, _ := prune(relevant(obj))
	m, _ := p.(map[string]any)
	return m
}

// relevant returns the fields of obj that are compared: every top-level
// field but apiVersion and kind (the object's ID holds them) and status
// (the cluster's to write), and of metadata only labels and annotations
// (name and namespace are in the ID; the rest is the server's).
func relevant(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		switch k {
		case "apiVersion", "kind", "status":
		case "metadata":
			meta, _ := v.(map[string]any)
			kept := map[string]any{}
			for _, f := range []string{"labels", "annotations"} {
				if fv, ok := meta[f]; ok {
					kept[f] = fv
				}
			}
			out[k] = kept
		default:
			out[k] = v
		}
	}
	return out
}
