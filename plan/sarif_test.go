package plan

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/tabbynet/tabby/internal/mdescape/mdtest"
	"github.com/tabbynet/tabby/internal/sarif"
	"github.com/tabbynet/tabby/validate"
)

// FuzzSARIF checks that whatever the repository holds, the SARIF log is
// valid JSON of the same shape: one run, one result per finding and risk,
// each message and location carrying the repository's text as it is (JSON
// shows invalid UTF-8 as U+FFFD), and that it reads back to itself.
func FuzzSARIF(f *testing.F) {
	for _, s := range mdtest.Hostile {
		f.Add(s)
	}
	f.Add(`"}]}],"runs":[{"results":[]}],"x":{"`)
	f.Add("\u2028\u2029</script>")
	f.Add("") // no file, so the kustomization
	codes := map[string]bool{}
	for _, c := range validate.Codes() {
		codes[c.ID] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := sampleReport()
		inject(r, s)
		var out bytes.Buffer
		if err := r.WriteSARIF(&out, s); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(out.Bytes()) {
			t.Fatalf("invalid JSON:\n%s", out.Bytes())
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(out.Bytes(), &top); err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(top)); !slices.Equal(keys, []string{"$schema", "runs", "version"}) {
			t.Fatalf("top-level keys %q", keys)
		}
		var log sarif.Document
		dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&log); err != nil {
			t.Fatalf("decode: %v\n%s", err, out.Bytes())
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 {
			t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
		}

		text := string([]rune(s)) // as JSON has it
		var want []string
		for _, fs := range []validate.Findings{r.Findings.New, r.Findings.Existing} {
			for range fs {
				want = append(want, text)
			}
		}
		if !codes[s] {
			want = append(want, text+": "+text) // the risk
		}
		results := log.Runs[0].Results
		if len(results) != len(want) {
			t.Fatalf("%d results, want %d", len(results), len(want))
		}
		for i, res := range results {
			if res.Message.Text != want[i] {
				t.Errorf("result %d: message %q, want %q", i, res.Message.Text, want[i])
			}
			uri := text
			if s == "" { // no file: the kustomization of the path, ""
				uri = "kustomization.yaml"
			}
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != uri {
				t.Errorf("result %d: locations %+v, want %q", i, res.Locations, uri)
			}
		}

		var again bytes.Buffer
		enc := json.NewEncoder(&again)
		enc.SetIndent("", "  ")
		if err := enc.Encode(log); err != nil {
			t.Fatal(err)
		}
		// Invalid UTF-8 is written as the escape \ufffd, and read back
		// as U+FFFD itself.
		if utf8.ValidString(s) && !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Errorf("does not read back to itself:\n%s\nread back:\n%s", out.Bytes(), again.Bytes())
		}
	})
}
