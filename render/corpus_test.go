package render

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/corpus"
)

// TestCalicoCorpus renders every real Calico manifest of the corpus: those
// the index does not flag must decode; those it flags as strict-decoding
// mistakes must get an error that suggests the right field name.
func TestCalicoCorpus(t *testing.T) {
	root, entries := corpus.Entries(t)
	decoded := 0
	for _, e := range entries {
		_, err := Dir(t.Context(), root, e.File, Options{})
		switch {
		case !e.Flagged() && err != nil:
			t.Errorf("%s (%s %s) does not render: %v", e.File, e.Kind, e.Name, err)
		case !e.Flagged():
			decoded++
		case e.StrictWarning() && strings.Contains(e.Notes, "case-mismatch"):
			if err == nil || !strings.Contains(err.Error(), "did you mean") {
				t.Errorf("%s: want an error suggesting the right field, got %v", e.File, err)
			}
		}
	}
	if decoded < 400 {
		t.Errorf("only %d unflagged manifests decoded; the corpus has more", decoded)
	}
	t.Logf("%d of %d manifests decoded", decoded, len(entries))
}
