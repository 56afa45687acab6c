package selector

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// evalCases give, for each selector, label sets it must match and label sets
// it must not.
var evalCases = []struct {
	name     string
	sel      string
	match    []Map
	nonMatch []Map
}{
	// Empty, all(), global().
	{"empty selector matches everything", "", []Map{nil, {}, {"a": "b"}}, nil},
	{"all() matches everything", "all()", []Map{nil, {"a": "b"}}, nil},
	{"!all() matches nothing", "!all()", nil, []Map{nil, {"a": "b"}}},
	{"global() is true in the generic evaluator", "global()", []Map{nil, {"a": "b"}}, nil},
	{"!global() is false", "!global()", nil, []Map{nil, {"a": "b"}}},

	// Operators that need the label present.
	{"== needs the label with that value", `a == "b"`,
		[]Map{{"a": "b"}, {"a": "b", "c": "d"}},
		[]Map{nil, {}, {"a": "c"}, {"c": "b"}, {"a": ""}, {"a": "B"}}},
	{"== of the empty value needs the label present", `a == ""`,
		[]Map{{"a": ""}},
		[]Map{{}, {"b": ""}, {"a": "x"}}},
	{"in needs the label with a listed value", `a in {"x", "y"}`,
		[]Map{{"a": "x"}, {"a": "y"}},
		[]Map{{}, {"a": "z"}, {"b": "x"}}},
	{"in with quotes in members", `a in {"'", '"', "c"}`,
		[]Map{{"a": "c"}, {"a": `"`}, {"a": `'`}},
		[]Map{{}, {"a": "e"}}},
	{"in {} matches nothing", `a in {}`, nil, []Map{{}, {"a": ""}, {"a": "x"}}},
	{"in a large set", `a in {"a1","a2","a3","a4","a5","a6","a7","a8","a9","b0","b1"}`,
		[]Map{{"a": "a1"}, {"a": "a9"}, {"a": "b1"}},
		[]Map{{}, {"a": "a0"}, {"a": "b2"}, {"a": ""}}},
	{"contains needs the label", `a contains "a"`,
		[]Map{{"a": "a"}, {"a": "bab"}, {"a": "aaa", "b": "c"}},
		[]Map{{}, {"a": "b"}, {"b": "aaa"}}},
	{"contains the empty string needs only presence", `a contains ""`,
		[]Map{{"a": ""}, {"a": "x"}},
		[]Map{{}}},
	{"starts with needs the label", `a starts with "a"`,
		[]Map{{"a": "a"}, {"a": "abb"}},
		[]Map{{}, {"a": "b"}, {"a": "baa"}, {"b": "aaa"}}},
	{"ends with needs the label", `a ends with "a"`,
		[]Map{{"a": "a"}, {"a": "bba"}},
		[]Map{{}, {"a": "b"}, {"a": "aab"}, {"b": "aaa"}}},
	{"comparisons are case-sensitive", `a == "Web"`, []Map{{"a": "Web"}}, []Map{{"a": "web"}, {"A": "Web"}}},

	// Operators that also match an absent label.
	{"!= matches an absent label", `a != "b"`,
		[]Map{nil, {}, {"a": "c"}, {"c": "b"}, {"a": ""}},
		[]Map{{"a": "b"}}},
	{"not in matches an absent label", `a not in {"x", "y"}`,
		[]Map{nil, {}, {"a": "z"}, {"b": "x"}},
		[]Map{{"a": "x"}, {"a": "y"}}},
	{"not in {} matches everything", `a not in {}`, []Map{{}, {"a": "x"}}, nil},
	{"!(==) is not the same as !=: both match absent", `!a == "b"`,
		[]Map{{}, {"a": "c"}}, []Map{{"a": "b"}}},
	{"!(!=) does not match an absent label", `!(a != "b")`,
		[]Map{{"a": "b"}}, []Map{{}, {"a": "c"}}},
	{"!(not in) does not match an absent label", `!(a not in {"b"})`,
		[]Map{{"a": "b"}}, []Map{{}, {"a": "c"}}},

	// Presence.
	{"has tests presence", `has(a)`, []Map{{"a": ""}, {"a": "x"}}, []Map{nil, {}, {"b": "a"}}},
	{"!has tests absence", `!has(a)`, []Map{nil, {"b": "b"}}, []Map{{"a": ""}, {"a": "b"}}},
	{"!!has is has", `!!has(b)`, []Map{{"b": "x"}}, []Map{{"a": "b"}}},
	{"!!!has is !has", `!! ! has(a)`, []Map{{"b": "x"}}, []Map{{"a": "b"}}},

	// Boolean structure.
	{"&& needs both", `a == "a1" && b == "b1"`,
		[]Map{{"a": "a1", "b": "b1"}},
		[]Map{{}, {"a": "a1"}, {"b": "b1"}, {"a": "a1", "b": "x"}}},
	{"|| needs either", `a == "a1" || b == "b1"`,
		[]Map{{"a": "a1"}, {"b": "b1"}, {"a": "a1", "b": "b1"}},
		[]Map{{}, {"a": "x", "b": "x"}}},
	{"&& binds tighter than ||", `has(a) || has(b) && has(c)`,
		[]Map{{"a": ""}, {"b": "", "c": ""}},
		[]Map{{}, {"b": ""}, {"c": ""}}},
	{"parentheses override precedence", `(has(a) || has(b)) && has(c)`,
		[]Map{{"a": "", "c": ""}, {"b": "", "c": ""}},
		[]Map{{"a": ""}, {"b": ""}, {"c": ""}}},
	{"! binds tighter than &&", `!has(a) && has(b)`,
		[]Map{{"b": ""}},
		[]Map{{"a": "", "b": ""}, {}}},
	{"! over a parenthesised ||", `!(!has(a) || has(b))`,
		[]Map{{"a": "a"}},
		[]Map{{}, {"a": "a", "b": "b"}}},
	{"!= under ||", `! a == 'a1' || ! b == 'b1'`,
		[]Map{{}, {"a": "a1"}},
		[]Map{{"a": "a1", "b": "b1"}}},

	// Typical selectors.
	{"typical policy selector", `app == "frontend" && tier in {"web","api"} && !has(canary)`,
		[]Map{{"app": "frontend", "tier": "web"}, {"app": "frontend", "tier": "api", "x": "y"}},
		[]Map{{"app": "frontend"}, {"app": "frontend", "tier": "db"}, {"app": "frontend", "tier": "web", "canary": ""}}},
	{"namespace selector by name", `projectcalico.org/name == "kube-system"`,
		[]Map{{"projectcalico.org/name": "kube-system"}},
		[]Map{{"projectcalico.org/name": "default"}}},
}

func TestMatches(t *testing.T) {
	for _, tc := range evalCases {
		t.Run(tc.name, func(t *testing.T) {
			sel := MustParse(tc.sel)
			// The canonical form must mean the same.
			canon := MustParse(sel.String())
			for _, l := range tc.match {
				if !sel.Matches(l) {
					t.Errorf("%q does not match %s, want it to", tc.sel, show(l))
				}
				if !canon.Matches(l) {
					t.Errorf("canonical %q does not match %s, want it to", canon, show(l))
				}
			}
			for _, l := range tc.nonMatch {
				if sel.Matches(l) {
					t.Errorf("%q matches %s, want it not to", tc.sel, show(l))
				}
				if canon.Matches(l) {
					t.Errorf("canonical %q matches %s, want it not to", canon, show(l))
				}
			}
		})
	}
}

// funcLabels is a Labels that is not a map, as a computed label set is.
type funcLabels func(string) (string, bool)

func (f funcLabels) Get(k string) (string, bool) { return f(k) }

func TestMatchesComputedLabels(t *testing.T) {
	// Labels in the style of an endpoint that inherits its namespace's name.
	l := funcLabels(func(k string) (string, bool) {
		if k == "projectcalico.org/namespace" {
			return "prod", true
		}
		return "", false
	})
	if !MustParse(`projectcalico.org/namespace == "prod" && !has(app)`).Matches(l) {
		t.Error("selector does not match computed labels")
	}
}

func TestMatchesNilLabels(t *testing.T) {
	if !MustParse(`a != "x"`).Matches(nil) {
		t.Error(`a != "x" does not match nil labels`)
	}
	if MustParse(`has(a)`).Matches(nil) {
		t.Error(`has(a) matches nil labels`)
	}
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	sel := MustParse(`app == "frontend" && tier in {"web","api"} && !has(canary) || a not in {"1","2","3","4","5","6","7","8","9","10"}`)
	labels := Map{"app": "frontend", "tier": "web", "a": "5"}
	var l Labels = labels
	if n := testing.AllocsPerRun(100, func() { sel.Matches(l) }); n != 0 {
		t.Errorf("Matches allocates %v times per call, want 0", n)
	}
}

// show prints a label set deterministically for failure messages.
func show(l Map) string {
	if l == nil {
		return "nil"
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, l[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
