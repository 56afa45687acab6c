package selector

import (
	"sync"
	"testing"
)

func TestCanonicalRoundTrip(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			first := MustParse(tc.in).String()
			again, err := Parse(first)
			if err != nil {
				t.Fatalf("canonical form %q does not parse: %v", first, err)
			}
			if second := again.String(); second != first {
				t.Errorf("canonical form is not a fixed point: %q -> %q -> %q", tc.in, first, second)
			}
		})
	}
}

func TestCanonicalEquality(t *testing.T) {
	// Each group holds spellings of one selector; all must print alike.
	for _, group := range [][]string{
		{"", " ", "all()", " all( ) ", "(all())", "!!all()", "!(!all())"},
		{`a == "x"`, `a=='x'`, `(a == "x")`, `!!a == "x"`, "\ta  ==\t\"x\" "},
		{`a in {"x", "y"}`, `a in {'y','x'}`, `a in {"y", "x", "y",}`, `a in{"x","y"}`},
		{`a not in {"x"}`, `a notin {'x'}`, `a not  in {"x",}`, `!!(a not in {"x"})`},
		{`a starts with "x"`, `a startswith 'x'`, `a starts	with "x"`},
		{`a ends with "x"`, `a endswith 'x'`},
		{`has(a) && has(b) && has(c)`, `(has(a) && has(b)) && has(c)`, `has(a) && (has(b) && (has(c)))`},
		{`!(has(a) || has(b))`, `!((has(a)) || has(b))`, `!!!(has(a) || has(b))`},
	} {
		want := MustParse(group[0]).String()
		for _, in := range group[1:] {
			if got := MustParse(in).String(); got != want {
				t.Errorf("Parse(%q).String() = %q, want %q like %q", in, got, want, group[0])
			}
		}
	}
}

func TestPredicates(t *testing.T) {
	for _, tc := range []struct {
		name, in                  string
		isAll, usesGlobal, global bool
	}{
		{"empty", "", true, false, false},
		{"spaces", "  ", true, false, false},
		{"all", "all()", true, false, false},
		{"all with spaces", " all( ) ", true, false, false},
		{"parenthesised all", "(all())", true, false, false},
		{"double-negated all", "!!all()", true, false, false},
		{"negated all", "!all()", false, false, false},
		{"all and more", "all() && has(a)", false, false, false},
		{"tautology is not IsAll", "has(a) || !has(a)", false, false, false},
		{"global", "global()", false, true, true},
		{"global with spaces around and inside", " \tglobal(  )\t ", false, true, true},
		{"parenthesised global is not sole", "(global())", false, true, false},
		{"double-negated global is not sole", "!!global()", false, true, false},
		{"negated global", "!global()", false, true, false},
		{"global combined", `global() && a == "x"`, false, true, false},
		{"global deep inside", `has(a) || !(has(b) && global())`, false, true, false},
		{"global in a value is not global", `a == "global()"`, false, false, false},
		{"label named global", `global == "x"`, false, false, false},
		{"plain", `a == "x"`, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := MustParse(tc.in)
			if got := sel.IsAll(); got != tc.isAll {
				t.Errorf("IsAll() = %v, want %v", got, tc.isAll)
			}
			if got := sel.UsesGlobal(); got != tc.usesGlobal {
				t.Errorf("UsesGlobal() = %v, want %v", got, tc.usesGlobal)
			}
			if got := sel.IsGlobal(); got != tc.global {
				t.Errorf("IsGlobal() = %v, want %v", got, tc.global)
			}
		})
	}
}

func TestNilAndZeroSelector(t *testing.T) {
	for name, sel := range map[string]*Selector{"nil": nil, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			if got := sel.String(); got != "all()" {
				t.Errorf("String() = %q, want all()", got)
			}
			if !sel.Matches(Map{"a": "b"}) || !sel.Matches(nil) {
				t.Error("does not match everything")
			}
			if !sel.IsAll() || sel.UsesGlobal() || sel.IsGlobal() {
				t.Error("predicates differ from the empty selector's")
			}
			if r := sel.Requirements(); r != nil {
				t.Errorf("Requirements() = %v, want nil", r)
			}
		})
	}
}

// TestConcurrentUse lets the race detector check that a shared Selector is
// read-only.
func TestConcurrentUse(t *testing.T) {
	sel := MustParse(`app == "frontend" && tier in {"web","api"} && !has(canary)`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				sel.Matches(Map{"app": "frontend", "tier": "web"})
				_ = sel.String()
				_ = sel.Requirements()
				_ = sel.UsesGlobal()
			}
		})
	}
	wg.Wait()
}
