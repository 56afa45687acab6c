package selector

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that its errors are well formed,
// and that whatever parses has a canonical form that is a fixed point and
// means the same: both evaluate alike on label sets made from the input's own
// labels and values, and every label set they match meets their
// requirements.
func FuzzParse(f *testing.F) {
	for _, tc := range validCases {
		f.Add(tc.in)
	}
	for _, tc := range invalidCases {
		f.Add(tc.in)
	}
	for _, tc := range evalCases {
		f.Add(tc.sel)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := Parse(s)
		if err != nil {
			var pe *ParseError
			switch {
			case !errors.As(err, &pe):
				t.Fatalf("Parse(%q) error is %T, want *ParseError", s, err)
			case sel != nil:
				t.Fatalf("Parse(%q) returned a selector with its error", s)
			case pe.Selector != s:
				t.Fatalf("ParseError.Selector = %q, want %q", pe.Selector, s)
			case pe.Column < 1 || pe.Column > utf8.RuneCountInString(s)+1:
				t.Fatalf("Parse(%q): column %d out of range", s, pe.Column)
			case pe.Msg == "":
				t.Fatalf("Parse(%q): empty message", s)
			}
			return
		}
		canon := sel.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if got := again.String(); got != canon {
			t.Fatalf("canonical form is not a fixed point: %q -> %q -> %q", s, canon, got)
		}
		if sel.IsAll() != again.IsAll() || sel.UsesGlobal() != again.UsesGlobal() {
			t.Fatalf("IsAll or UsesGlobal differ between %q and its canonical form %q", s, canon)
		}
		reqs := sel.Requirements()
		if !reflect.DeepEqual(reqs, again.Requirements()) {
			t.Fatalf("Requirements differ between %q and %q", s, canon)
		}
		for _, l := range labelSets(s) {
			m := sel.Matches(l)
			if m != again.Matches(l) {
				t.Fatalf("%q and its canonical form %q disagree on %s", s, canon, show(l))
			}
			if r, bad := unmet(reqs, l); m && bad {
				t.Fatalf("%q matches %s but requirement %+v is unmet", s, show(l), r)
			}
		}
	})
}

// labelSets builds label sets from the labels and quoted values in s, so
// that the fuzzer's selectors have a fair chance of matching some of them.
func labelSets(s string) []Map {
	const most = 8
	var keys, values []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				i = len(s)
				continue
			}
			if len(values) < most {
				values = append(values, s[i+1:i+1+end])
			}
			i += end + 2
		case isLabelChar(c):
			n := labelLen(s[i:])
			if len(keys) < most {
				keys = append(keys, s[i:i+n])
			}
			i += n
		default:
			i++
		}
	}
	values = append(values, "", "x")

	sets := []Map{nil}
	for shift := range 3 {
		m := Map{}
		for i, k := range keys {
			m[k] = values[(i+shift)%len(values)]
		}
		sets = append(sets, m)
	}
	// Values that contain the literals without equalling, starting or
	// ending with them.
	wrapped := Map{}
	for i, k := range keys {
		wrapped[k] = "<" + values[i%len(values)] + ">"
	}
	// Some labels absent.
	even, odd := Map{}, Map{}
	for i, k := range keys {
		if i%2 == 0 {
			even[k] = values[i%len(values)]
		} else {
			odd[k] = values[i%len(values)]
		}
	}
	return append(sets, wrapped, even, odd)
}
