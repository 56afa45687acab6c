package selector

import "strings"

// Selector is a parsed selector. It is immutable, so one Selector may be
// used by any number of goroutines at once. The zero value, like a nil
// *Selector, is the empty selector: it selects everything.
type Selector struct {
	root       node
	text       string // canonical form, computed once by Parse
	soleGlobal bool   // the source was the single token global()
}

// Parse parses a selector. The empty string, or one of only spaces and tabs,
// is valid and selects everything, as all() does. Every error is a
// *ParseError.
func Parse(s string) (*Selector, error) {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		what := "newline"
		if s[i] == '\r' {
			what = "carriage return"
		}
		return nil, errAt(s, i, "%s in selector: selectors are one line; "+
			"a YAML | block adds a trailing newline, use a plain or quoted scalar", what)
	}
	root, soleGlobal, err := parse(s)
	if err != nil {
		return nil, err
	}
	return &Selector{root: root, text: canonical(&root, len(s)), soleGlobal: soleGlobal}, nil
}

// MustParse is Parse for tests and examples: it panics on an error. Code that
// handles selectors from manifests must call Parse.
func MustParse(s string) *Selector {
	sel, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return sel
}

// String returns the selector's canonical form, described in the package
// documentation. Two selectors written differently but with the same
// canonical form select the same label sets.
func (s *Selector) String() string {
	if s == nil || s.text == "" {
		return "all()"
	}
	return s.text
}

// Matches reports whether the selector selects the label set l. A nil l is
// the empty label set. Matches itself does not allocate.
func (s *Selector) Matches(l Labels) bool {
	if s == nil {
		return true
	}
	if l == nil {
		l = Map(nil)
	}
	return s.root.eval(l)
}

// IsAll reports whether the selector is written as the empty selector or
// all(), possibly parenthesised or under an even number of !. It is a
// syntactic test, not a proof: has(a) || !has(a) selects everything too, but
// is not IsAll.
func (s *Selector) IsAll() bool {
	return s == nil || s.root.op == opAll
}

// UsesGlobal reports whether global() appears anywhere in the selector.
func (s *Selector) UsesGlobal() bool {
	return s != nil && s.root.usesGlobal()
}

// IsGlobal reports whether the selector is exactly global(): the one token,
// with spaces or tabs allowed around it and inside its parentheses, but not
// wrapped in parentheses or negations. This is the test Calico applies to an
// EntityRule namespaceSelector, the one place global() is allowed. It is a
// property of the source text, so it may differ between a selector and its
// canonical form: (global()) is not IsGlobal, its canonical form global() is.
func (s *Selector) IsGlobal() bool {
	return s != nil && s.soleGlobal
}
