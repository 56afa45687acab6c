package validate

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryFindingIsLocated checks that every finding, and every related
// place it lists, names the file it is about: a note printed as
// "    : note: ..." or {"file":""} tells the reader nothing.
func TestEveryFindingIsLocated(t *testing.T) {
	forEveryFinding(t, func(t *testing.T, fs []sourcedFinding) {
		for _, f := range fs {
			if f.Position.File == "" {
				t.Errorf("%s: %s finding has no file: %s", f.input, f.Code, f.Finding)
			}
			for _, r := range f.Related {
				if r.Position.File == "" {
					t.Errorf("%s: %s finding has a related entry with no file: %q", f.input, f.Code, r.Message)
				}
			}
		}
	})
}

// TestRelatedLiveObjectIsNamed checks that a related place in the cluster,
// which has no file, is named by its object and says it is in the cluster,
// and that its JSON carries no empty position.
func TestRelatedLiveObjectIsNamed(t *testing.T) {
	fs := validateYAML(t, pool("new", "10.0.0.0/24", ""), liveYAML(t, pool("old", "10.0.0.0/16", "")))
	if len(fs) != 1 || len(fs[0].Related) != 1 {
		t.Fatalf("want one finding with one related place, got %v", fs)
	}
	r := fs[0].Related[0]
	if r.Object != "projectcalico.org/IPPool old" || !strings.HasSuffix(r.Message, "(in the cluster)") {
		t.Errorf("related place %#v: want IPPool old, said to be in the cluster", r)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "position") {
		t.Errorf("related place in the cluster has a position in JSON: %s", data)
	}
}
