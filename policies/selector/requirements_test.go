package selector

import (
	"reflect"
	"testing"
)

func TestRequirements(t *testing.T) {
	type R = Requirement
	for _, tc := range []struct {
		name, sel string
		want      []R
	}{
		// Nothing to index on.
		{"empty", "", nil},
		{"all", "all()", nil},
		{"global", "global()", nil},
		{"not equals", `a != "x"`, nil},
		{"not in", `a not in {"x"}`, nil},
		{"not has", `!has(a)`, nil},
		{"negated equals", `!a == "x"`, nil},
		{"negated and", `!(a == "x" && b == "y")`, nil},
		{"or of different keys", `a == "x" || b == "y"`, nil},
		{"or with all", `a == "x" || all()`, nil},
		{"not all", `!all()`, nil},

		// Single terms.
		{"equals", `a == "x"`, []R{{"a", []string{"x"}}}},
		{"in", `a in {"y", "x"}`, []R{{"a", []string{"x", "y"}}}},
		{"in empty set matches nothing", `a in {}`, []R{{"a", []string{}}}},
		{"has", `has(a)`, []R{{"a", nil}}},
		{"contains", `a contains "x"`, []R{{"a", nil}}},
		{"starts with", `a starts with "x"`, []R{{"a", nil}}},
		{"ends with", `a ends with "x"`, []R{{"a", nil}}},
		{"double negation", `!!has(a)`, []R{{"a", nil}}},
		{"negated not equals", `!(a != "x")`, []R{{"a", []string{"x"}}}},
		{"negated not in", `!(a not in {"x", "y"})`, []R{{"a", []string{"x", "y"}}}},

		// Conjunctions.
		{"typical policy selector", `app == "frontend" && tier in {"web","api"} && !has(canary)`,
			[]R{{"app", []string{"frontend"}}, {"tier", []string{"api", "web"}}}},
		{"sorted by key", `z == "1" && has(m) && a == "2"`,
			[]R{{"a", []string{"2"}}, {"m", nil}, {"z", []string{"1"}}}},
		{"same key twice, same value", `a == "x" && a == "x"`, []R{{"a", []string{"x"}}}},
		{"same key, disjoint values", `a == "x" && a == "y"`, []R{{"a", []string{}}}},
		{"has and equals", `has(a) && a == "x"`, []R{{"a", []string{"x"}}}},
		{"equals and has", `a == "x" && has(a)`, []R{{"a", []string{"x"}}}},
		{"sets intersected", `a in {"x", "y", "z"} && a in {"y", "z", "w"}`, []R{{"a", []string{"y", "z"}}}},
		{"all is neutral", `all() && a == "x"`, []R{{"a", []string{"x"}}}},
		{"non-indexable conjuncts ignored", `a == "x" && b != "y" && !has(c)`, []R{{"a", []string{"x"}}}},
		{"nested and", `(a == "x" && has(b)) && c in {"z"}`,
			[]R{{"a", []string{"x"}}, {"b", nil}, {"c", []string{"z"}}}},

		// Disjunctions.
		{"or of same key unites values", `a == "x" || a == "y"`, []R{{"a", []string{"x", "y"}}}},
		{"or of same key, one any value", `has(a) || a == "y"`, []R{{"a", nil}}},
		{"or keeps common keys", `a == "v2" || (has(b) && has(a))`, []R{{"a", nil}}},
		{"or under and", `(a == "x" || a in {"y", "z"}) && has(b)`,
			[]R{{"a", []string{"x", "y", "z"}}, {"b", nil}}},
		{"three-way or", `a == "1" && b == "1" || a == "2" && b == "2" || a == "3"`,
			[]R{{"a", []string{"1", "2", "3"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := MustParse(tc.sel)
			got := sel.Requirements()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Requirements(%q) = %#v, want %#v", tc.sel, got, tc.want)
			}
			// The same again: Requirements must not share or mutate state.
			if again := sel.Requirements(); !reflect.DeepEqual(again, tc.want) {
				t.Errorf("second Requirements(%q) = %#v", tc.sel, again)
			}
			if len(got) > 0 && got[0].Values != nil && len(got[0].Values) > 0 {
				got[0].Values[0] = "mutated"
				if again := sel.Requirements(); !reflect.DeepEqual(again, tc.want) {
					t.Errorf("mutating the result changed the selector: %#v", again)
				}
			}
		})
	}
}

// TestRequirementsSound checks, for every evaluation case, that a label set
// the selector matches meets each requirement.
func TestRequirementsSound(t *testing.T) {
	for _, tc := range evalCases {
		t.Run(tc.name, func(t *testing.T) {
			sel := MustParse(tc.sel)
			for _, l := range tc.match {
				if r, ok := unmet(sel.Requirements(), l); ok {
					t.Errorf("%q matches %s but requirement %+v is unmet", tc.sel, show(l), r)
				}
			}
		})
	}
}

// unmet returns a requirement that l fails, if any.
func unmet(reqs []Requirement, l Labels) (Requirement, bool) {
	for _, r := range reqs {
		v, ok := l.Get(r.Key)
		if !ok {
			return r, true
		}
		if r.Values == nil {
			continue
		}
		found := false
		for _, want := range r.Values {
			found = found || v == want
		}
		if !found {
			return r, true
		}
	}
	return Requirement{}, false
}
