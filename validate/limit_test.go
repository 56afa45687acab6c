package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/manifest"
)

// samePools returns n IPPools of one CIDR: n×(n-1) pool-overlap errors.
func samePools(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(pool(fmt.Sprintf("p%03d", i), "10.244.0.0/16", ""))
	}
	return b.String()
}

func limit(n int) func(*Input) { return func(in *Input) { in.MaxFindingsPerCode = n } }

// TestFindingsLimitedPerCode checks that a result lists at most the limit of
// findings of each code, the first ones in order, and one findings-truncated
// finding for the rest, at the first of them, counting them all.
func TestFindingsLimitedPerCode(t *testing.T) {
	yaml := samePools(12) // 132 pool-overlap errors
	all := validateYAML(t, yaml, limit(-1))
	if len(all) != 132 {
		t.Fatalf("unlimited: %d findings, want 132", len(all))
	}
	for _, tc := range []struct {
		name  string
		limit int
		kept  int
	}{
		{"default", 0, DefaultMaxFindingsPerCode},
		{"five", 5, 5},
		{"one", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := validateYAML(t, yaml, limit(tc.limit))
			var kept Findings
			var truncated []Finding
			for _, f := range fs {
				switch f.Code {
				case "pool-overlap":
					kept = append(kept, f)
				case "findings-truncated":
					truncated = append(truncated, f)
				default:
					t.Errorf("unexpected finding %s", f)
				}
			}
			if !slices.EqualFunc(kept, all[:tc.kept], findingEqual) {
				t.Errorf("kept %d findings, want the first %d of the unlimited result", len(kept), tc.kept)
			}
			if len(truncated) != 1 {
				t.Fatalf("want one findings-truncated finding, got %v", truncated)
			}
			tr, first := truncated[0], all[tc.kept]
			want := &Truncation{Code: "pool-overlap", Count: 132 - tc.kept}
			if *tr.Truncated != *want || tr.Severity != SeverityError || tr.Position != first.Position || tr.Object != first.Object || tr.Field != first.Field ||
				!strings.Contains(tr.Message, fmt.Sprintf("%d more pool-overlap findings are not listed, beyond the limit of %d per code; the first of them: %s", want.Count, tc.kept, first.Message)) {
				t.Errorf("truncation %#v, want %+v at the first omitted finding %s", tr, want, first)
			}
			if fs.Errors() != 132 || !fs.HasErrors() {
				t.Errorf("Errors() = %d, want every finding counted, 132", fs.Errors())
			}
			data, err := json.Marshal(tr)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), fmt.Sprintf(`"truncated":{"code":"pool-overlap","count":%d}`, want.Count)) {
				t.Errorf("JSON of the truncation: %s", data)
			}
		})
	}
	t.Run("negative lists every finding", func(t *testing.T) {
		if fs := validateYAML(t, samePools(12), limit(-5)); len(fs) != 132 {
			t.Errorf("%d findings, want 132", len(fs))
		}
	})
	t.Run("at the limit nothing is truncated", func(t *testing.T) {
		if fs := validateYAML(t, yaml, limit(132)); !slices.EqualFunc(fs, all, findingEqual) {
			t.Errorf("limit 132 changed the result: %v", fs)
		}
	})
}

// TestFindingsLimitKeepsTotals checks that, whatever the limit, Errors and
// Warnings count every finding, and each code's findings are counted once:
// kept or truncated.
func TestFindingsLimitKeepsTotals(t *testing.T) {
	yaml := samePools(4) +
		"---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec:\n  asNumber: 13335\n" +
		"---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: a}\nspec:\n  peerIP: 192.0.2.1\n  asNumber: 13336\n" +
		"---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: b}\nspec:\n  peerIP: 192.0.2.2\n  asNumber: 13337\n"
	all := validateYAML(t, yaml, limit(-1))
	perCode := map[string]int{}
	for _, f := range all {
		perCode[f.Code]++
	}
	if perCode["pool-overlap"] != 12 || perCode["asn-public"] != 3 || all.Warnings() == 0 {
		t.Fatalf("unlimited findings %v", all)
	}
	for limit := 1; limit <= 4; limit++ {
		fs := validateYAML(t, yaml, func(in *Input) { in.MaxFindingsPerCode = limit })
		if fs.Errors() != all.Errors() || fs.Warnings() != all.Warnings() {
			t.Errorf("limit %d: %d errors, %d warnings; want %d, %d", limit, fs.Errors(), fs.Warnings(), all.Errors(), all.Warnings())
		}
		got := map[string]int{}
		for _, f := range fs {
			if f.Truncated != nil {
				got[f.Truncated.Code] += f.Truncated.Count
			} else {
				got[f.Code]++
			}
		}
		for code, n := range perCode {
			if got[code] != n {
				t.Errorf("limit %d: %s counted %d times, want %d", limit, code, got[code], n)
			}
		}
	}
}

func findingEqual(a, b Finding) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// FuzzFindingsLimit checks the limit on any sequence of findings: for each
// code, the result keeps the first ones of the unlimited result, and its
// truncation stands for exactly the rest, at the first of them; the totals
// never change.
func FuzzFindingsLimit(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3)
	f.Add([]byte{7, 7, 7, 7, 7, 7}, 1)
	f.Add([]byte{255, 0, 128, 64, 32, 16, 8, 4, 2, 1, 0, 0}, 2)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		limit = limit%8 + 1
		if limit < 1 {
			limit += 8
		}
		var in []Finding
		for i, b := range data {
			code := []string{"a", "b", "c"}[int(b>>1)%3]
			sev := SeverityError // one per code, as a Code has
			if code == "b" {
				sev = SeverityWarning
			}
			in = append(in, Finding{
				Code:     code,
				Severity: sev,
				Object:   fmt.Sprintf("o%d", b>>3%4),
				Message:  fmt.Sprintf("m%d", i%5),
				Position: manifest.Position{File: fmt.Sprintf("f%d", b>>5), Line: int(b>>2) % 3},
			})
		}
		all, limited := newLimitedFindings(-1), newLimitedFindings(limit)
		for _, f := range in {
			all.add(f)
			limited.add(f)
		}
		want, got := all.result(), limited.result()
		if got.Errors() != want.Errors() || got.Warnings() != want.Warnings() {
			t.Fatalf("limit %d: %d errors, %d warnings; want %d, %d", limit, got.Errors(), got.Warnings(), want.Errors(), want.Warnings())
		}
		for _, code := range []string{"a", "b", "c"} {
			var wantKept, gotKept Findings
			var truncated []Finding
			for _, f := range want {
				if f.Code == code {
					wantKept = append(wantKept, f)
				}
			}
			for _, f := range got {
				switch {
				case f.Code == code:
					gotKept = append(gotKept, f)
				case f.Truncated != nil && f.Truncated.Code == code:
					truncated = append(truncated, f)
				}
			}
			n := min(limit, len(wantKept))
			if !slices.EqualFunc(gotKept, wantKept[:n], findingEqual) {
				t.Fatalf("limit %d, code %s: kept %v, want %v", limit, code, gotKept, wantKept[:n])
			}
			if rest := len(wantKept) - n; rest == 0 && len(truncated) != 0 ||
				rest > 0 && (len(truncated) != 1 || truncated[0].Truncated.Count != rest || truncated[0].Position != wantKept[n].Position || truncated[0].Object != wantKept[n].Object) {
				t.Fatalf("limit %d, code %s: truncation %v for the %d findings after %v", limit, code, truncated, rest, wantKept[:n])
			}
		}
	})
}
