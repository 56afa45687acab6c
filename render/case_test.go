package render

import (
	"errors"
	"strings"
	"testing"
)

// TestFieldCaseMessage checks that only a field name written in another
// case is said to be accepted by calicoctl and labelled stricter than
// Calico: a misspelling is rejected by calicoctl too.
func TestFieldCaseMessage(t *testing.T) {
	for _, tc := range []struct {
		field, right string
		calicoctl    bool
	}{
		{"Order", "order", true},
		{"ORDER", "order", true},
		{"ordr", "order", false},
	} {
		root := writeRepo(t, map[string]string{"a.yaml": "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: t\nspec:\n  " + tc.field + ": 10\n"})
		_, err := Dir(t.Context(), root, ".", Options{})
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Fatalf("%s: want one error, got %v", tc.field, err)
		}
		msg := list[0].Msg
		if !strings.Contains(msg, `did you mean "`+tc.right+`"?`) {
			t.Errorf("%s: message does not suggest %q: %s", tc.field, tc.right, msg)
		}
		if got := strings.Contains(msg, "calicoctl") && strings.HasSuffix(msg, "[stricter than Calico]"); got != tc.calicoctl {
			t.Errorf("%s: message says calicoctl accepts it, stricter than Calico: %v, want %v: %s", tc.field, got, tc.calicoctl, msg)
		}
	}
}
