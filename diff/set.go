package diff

import (
	"slices"
	"strings"
)

// set compares two lists as multisets: an element of one that the other
// lacks is reported at the path of the list, removed (Before) or added
// (After). Removals come first, then additions, each in the order of their
// canonical text, so that reordering either list changes nothing.
func (w *walker) set(elem *shape, a, b []any) {
	ka, kb := canons(a, elem), canons(b, elem)
	left := make(map[string]int, len(a))
	for _, k := range ka {
		left[k]++
	}
	var onlyA, onlyB []int
	for j, k := range kb {
		if left[k] > 0 {
			left[k]--
			continue
		}
		onlyB = append(onlyB, j)
	}
	for i, k := range ka {
		if left[k] > 0 {
			left[k]--
			onlyA = append(onlyA, i)
		}
	}
	byCanon := func(keys []string) func(x, y int) int {
		return func(x, y int) int { return strings.Compare(keys[x], keys[y]) }
	}
	slices.SortStableFunc(onlyA, byCanon(ka))
	slices.SortStableFunc(onlyB, byCanon(kb))
	if w.mode == cover {
		onlyA, onlyB = w.coverPairs(elem, a, b, onlyA, onlyB)
	}
	for _, i := range onlyA {
		w.emit(a[i], nil)
	}
	for _, j := range onlyB {
		w.emit(nil, b[j])
	}
}

// coverPairs matches each element wanted (of b) that have (a) lacks
// exactly with the first element of a left over that holds it with more
// fields, such as server defaults. It returns the elements still unmatched.
func (w *walker) coverPairs(elem *shape, a, b []any, onlyA, onlyB []int) (restA, restB []int) {
	used := make([]bool, len(onlyA))
	for _, j := range onlyB {
		matched := false
		for x, i := range onlyA {
			if !used[x] && w.equal(cover, elem, a[i], b[j]) {
				used[x], matched = true, true
				break
			}
		}
		if !matched {
			restB = append(restB, j)
		}
	}
	for x, i := range onlyA {
		if !used[x] {
			restA = append(restA, i)
		}
	}
	return restA, restB
}

// keyed compares two lists whose elements are identified by keys: elements
// with the same key are compared field by field, at their index in b;
// elements only b holds are reported added at their index in b, then those
// only a holds removed at their index in a.
func (w *walker) keyed(elem *shape, a, b []any, ka, kb []string) {
	index := make(map[string]int, len(a))
	for i, k := range ka {
		index[k] = i
	}
	matched := make([]bool, len(a))
	for j, k := range kb {
		if w.found {
			return
		}
		w.enterIndex(j)
		if i, ok := index[k]; ok {
			matched[i] = true
			w.value(elem, a[i], b[j])
		} else {
			w.emit(nil, b[j])
		}
		w.leave()
	}
	for i := range a {
		if !matched[i] && !w.found {
			w.enterIndex(i)
			w.emit(a[i], nil)
			w.leave()
		}
	}
}

// keysOf returns the key of each element of l: the canonical texts of its
// key fields. It fails when an element is not a map, lacks a key field or
// holds one that is not a string or number, or when two elements share a
// key; such a list is compared as a set.
func keysOf(l []any, fields []string) ([]string, bool) {
	keys := make([]string, len(l))
	seen := make(map[string]bool, len(l))
	for i, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		var b strings.Builder
		for _, f := range fields {
			switch v := m[f].(type) {
			case map[string]any, []any, nil, bool:
				return nil, false
			default:
				if s, ok := v.(string); ok && s == "" {
					return nil, false
				}
				writeCanon(&b, v, nil)
			}
		}
		k := b.String()
		if seen[k] {
			return nil, false
		}
		seen[k] = true
		keys[i] = k
	}
	return keys, true
}
