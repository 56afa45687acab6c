package diff

import (
	"strings"
	"testing"
)

// TestDeepNesting compares objects nested far deeper than any Kubernetes
// object, which the walkers must handle in reasonable time and still see
// differ. A quadratic walk takes seconds here.
func TestDeepNesting(t *testing.T) {
	const depth = 9000
	nest := func(open, close, leaf string) map[string]any {
		m, ok := decode([]byte(`{"spec":` + strings.Repeat(open, depth) + leaf + strings.Repeat(close, depth) + `}`))
		if !ok {
			t.Fatal("does not decode")
		}
		return m
	}
	for _, tc := range []struct{ open, close string }{{`{"a":`, "}"}, {"[", "]"}} {
		a, b := nest(tc.open, tc.close, "1"), nest(tc.open, tc.close, "2")
		if fs := Maps(a, b); len(fs) != 1 {
			t.Errorf("nested %s: want one field, got %d", tc.open, len(fs))
		}
		if fs := Missing(a, b); len(fs) != 1 {
			t.Errorf("nested %s: want one missing field, got %d", tc.open, len(fs))
		}
		if fs := Maps(a, a); len(fs) != 0 {
			t.Errorf("nested %s: an object differs from itself", tc.open)
		}
	}
}
