package diff

import (
	"slices"
)

// mode says what a walker looks for.
type mode int

const (
	// compare reports every difference between before and after.
	compare mode = iota
	// cover reports what of after (want) before (have) lacks or holds
	// differently; fields only before holds are not differences, elements
	// only before's lists hold are.
	cover
)

// walker walks two values side by side, before (a) and after (b), and
// collects the fields that differ.
type walker struct {
	mode mode
	path path
	out  []Field

	// probe makes the walker stop at the first difference and only record
	// that there was one: it answers "are these equal?".
	probe bool
	found bool
	// base is the depth of the values walked within their object, less
	// len(path).
	base int
}

// emit reports that the value at the current path is before, and after.
func (w *walker) emit(before, after any) {
	if w.probe {
		w.found = true
		return
	}
	w.out = append(w.out, Field{Path: w.path.String(), Before: before, After: after})
}

// enter and leave move the walker into a map key or list index and back.
// A probe reports no path, so it only counts how deep it is, which spares
// boxing every key into an any.
func (w *walker) enterKey(k string) {
	if w.probe {
		w.base++
		return
	}
	w.path = append(w.path, k)
}

func (w *walker) enterIndex(i int) {
	if w.probe {
		w.base++
		return
	}
	w.path = append(w.path, i)
}

func (w *walker) leave() {
	if w.probe {
		w.base--
		return
	}
	w.path = w.path[:len(w.path)-1]
}

// maxDepth is the depth below which values are compared whole: no
// Kubernetes object nests so deep, and aligning lists at every level of a
// deeper one would cost time quadratic in its depth.
const maxDepth = 64

// value compares two present values.
func (w *walker) value(sh *shape, a, b any) {
	if w.base+len(w.path) > maxDepth {
		if canon(a, sh) != canon(b, sh) {
			w.emit(a, b)
		}
		return
	}
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			w.maps(sh, av, bv)
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			w.list(sh, av, bv)
			return
		}
	default:
		if sameScalar(a, b) {
			return
		}
	}
	w.emit(a, b)
}

// maps compares two maps key by key, in sorted key order. A key a map
// lacks and one holding nil are the same: absent.
func (w *walker) maps(sh *shape, a, b map[string]any) {
	if w.probe {
		w.probeMaps(sh, a, b)
		return
	}
	for _, k := range w.keys(a, b) {
		va, vb := a[k], b[k]
		noA, noB := va == nil, vb == nil
		w.enterKey(k)
		switch {
		case noA && noB:
		case noA:
			w.emit(nil, vb)
		case noB:
			if w.mode == compare {
				w.emit(va, nil)
			}
		default:
			w.value(sh.field(k), va, vb)
		}
		w.leave()
	}
}

// probeMaps is maps for a probe, which needs no order: it looks for a
// difference without sorting or allocating.
func (w *walker) probeMaps(sh *shape, a, b map[string]any) {
	if w.mode == compare && len(a) != len(b) {
		w.found = true // pruned maps hold no nil values
		return
	}
	for k, vb := range b {
		va, ok := a[k]
		if !ok {
			w.found = true
			return
		}
		w.enterKey(k)
		w.value(sh.field(k), va, vb)
		w.leave()
		if w.found {
			return
		}
	}
}

// keys returns the keys to compare, sorted: both maps' when comparing,
// only b's (want's) when covering.
func (w *walker) keys(a, b map[string]any) []string {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	if w.mode == compare {
		for k := range a {
			if _, ok := b[k]; !ok {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// list compares two lists as sh says they compare. Lists equal index by
// index (or, covering, whose have elements each cover the want element at
// the same index) show nothing, whatever their order; it is the common
// case, and checking it first spares computing canonical texts.
func (w *walker) list(sh *shape, a, b []any) {
	elem, how := sh.element(), sh.list()
	if w.indexByIndex(elem, a, b) {
		return
	}
	switch how.order {
	case keyed:
		ka, okA := keysOf(a, how.keys)
		kb, okB := keysOf(b, how.keys)
		if okA && okB {
			w.keyed(elem, a, b, ka, kb)
			return
		}
		w.set(elem, a, b)
	case set:
		w.set(elem, a, b)
	default:
		if w.probe {
			// An ordered list not equal index by index always shows
			// something; see ordered.
			w.found = true
			return
		}
		w.ordered(elem, a, b)
	}
}

// indexByIndex reports whether a and b are as long and equal index by
// index.
func (w *walker) indexByIndex(elem *shape, a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !w.equal(w.mode, elem, a[i], b[i]) {
			return false
		}
	}
	return true
}

// equal reports whether a walker in mode m would find nothing between two
// pruned values a and b, elements of the current value.
func (w *walker) equal(m mode, sh *shape, a, b any) bool {
	probe := walker{mode: m, probe: true, base: w.base + len(w.path) + 1}
	probe.value(sh, a, b)
	return !probe.found
}

// run returns what a walker in mode m finds between two pruned objects. It
// probes first: most objects compared are equal, and a probe tells so
// without sorting keys or building paths.
func run(m mode, sh *shape, a, b map[string]any) []Field {
	probe := walker{mode: m, probe: true}
	if probe.maps(sh, a, b); !probe.found {
		return nil
	}
	w := walker{mode: m}
	w.maps(sh, a, b)
	return w.out
}
