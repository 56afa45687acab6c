package v1alpha1_test

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

func TestFieldManager(t *testing.T) {
	if got := v1alpha1.FieldManager("tabby-system", "prod"); got != "tabby/tabby-system/prod" {
		t.Errorf("FieldManager = %q", got)
	}
	// Names as long as the API server allows: cut to 128 characters, and
	// still apart.
	ns := strings.Repeat("n", 63)
	a := v1alpha1.FieldManager(ns, strings.Repeat("a", 200)+"x")
	b := v1alpha1.FieldManager(ns, strings.Repeat("a", 200)+"y")
	if len(a) != 128 || len(b) != 128 || a == b || !strings.HasPrefix(a, "tabby/"+ns+"/aaa") {
		t.Errorf("long names: %q (%d), %q (%d)", a, len(a), b, len(b))
	}
	for _, m := range []string{"tabby", "tabby/tabby-system/prod", a} {
		if !v1alpha1.IsFieldManager(m) {
			t.Errorf("IsFieldManager(%q) = false", m)
		}
	}
	for _, m := range []string{"tabby-operator", "kubectl", "", "xtabby/a/b"} {
		if v1alpha1.IsFieldManager(m) {
			t.Errorf("IsFieldManager(%q) = true", m)
		}
	}
}
