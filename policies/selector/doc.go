// Package selector implements Calico's label-selector language: the
// expressions in policy selector, namespaceSelector and serviceAccountSelector
// fields, EntityRule selectors, IP pool node selectors and BGP peer selectors.
// Everything in tabby that takes a selector goes through this package, so
// validation, the policy engine and the BGP topology agree on what a selector
// means.
//
// # Promises
//
//   - The language and its meaning are exactly Calico's (libcalico-go
//     lib/selector), except where listed under Differences from Calico.
//   - The package is pure: no logging, clock, network or file access, and no
//     panics at run time (MustParse, for tests, is the one function that
//     panics). Parse returns every error as a *ParseError giving the column
//     and what was expected.
//   - A *Selector is immutable and safe for concurrent use. Matches does not
//     allocate (unless the Labels implementation it is given does).
//   - String returns a canonical form: deterministic, and a fixed point,
//     Parse(s.String()).String() == s.String(). Selectors that differ only in
//     spacing, quoting, operator spelling, redundant parentheses, doubled
//     negations, or the order and repetition of set members have the same
//     canonical form, so diffs can compare selectors by it.
//
// # Syntax
//
// Whitespace is spaces and tabs only. A newline or carriage return anywhere,
// even inside a quoted value, is an error: a YAML | block scalar adds a
// trailing newline, so a selector must be a plain or quoted scalar.
//
// A label is a run of 1 to 512 characters from a-z A-Z 0-9 _ . / -, as in
// app or projectcalico.org/namespace. A value is quoted with '…' or "…" and
// has no escape sequences: it may contain the other quote character, never
// its own. has(, all( and global( are written with no space before the
// parenthesis; spaces inside are allowed, as in has( app ). The word
// operators (in, not in, contains, starts with, ends with) must end at a word
// boundary, and their words may be separated by any spaces or none: notin,
// startswith and endswith are accepted. The grammar, loosest binding first:
//
//	selector := ''                       (selects everything, as all() does)
//	          | expr
//	expr     := and ( '||' and )*
//	and      := op ( '&&' op )*
//	op       := '!'* term                 (an even number of ! cancels out)
//	term     := 'has(' label ')' | 'all()' | 'global()' | '(' expr ')'
//	          | label ( '==' | '!=' | 'contains' | 'starts with' | 'ends with' ) value
//	          | label ( 'in' | 'not in' ) '{' [ value ( ',' value )* [ ',' ] ] '}'
//
// So !a == "x" means !(a == "x"), and a || b && c means a || (b && c). A bare
// label, a value on the left (“"x" == a”), a label on the right (a == b),
// empty parentheses, an unterminated value or parenthesis, a single &, | or =,
// and anything after a complete expression are errors.
//
// # Meaning
//
// A selector is evaluated against a label set (Labels):
//
//	k == "v", k in {...}                     k is present with that value / one of those values
//	k contains, starts with, ends with "v"   k is present and its value contains / starts / ends with v
//	k != "v", k not in {...}                 k is absent, or present with another value
//	has(k)                                   k is present, with any value
//	all(), the empty selector                every label set; !all() matches none
//	global()                                 every label set (see below)
//	k in {}                                  no label set; k not in {} matches every one
//
// global() has a meaning of its own only as the whole of an EntityRule
// namespaceSelector, where Calico turns it into "not in any namespace"; there
// it must be the sole token, which IsGlobal tests. Everywhere else Calico
// rejects it, which UsesGlobal lets validation do. The generic evaluator here
// treats it as true, as Calico's does.
//
// # Canonical form
//
// String prints the parsed selector with this grammar, which Parse accepts:
//
//	canon := disj | conj | unary
//	disj  := ( conj | unary ) ( ' || ' ( conj | unary ) )+
//	conj  := unary ( ' && ' unary )+
//	unary := test | '!' test
//	       | '(' disj ')'                 (only as an operand of &&)
//	       | '!(' disj ')' | '!(' conj ')'
//	test  := 'all()' | 'global()' | 'has(' label ')'
//	       | label ( ' == ' | ' != ' | ' contains ' | ' starts with ' | ' ends with ' ) q
//	       | label ( ' in ' | ' not in ' ) '{' [ q ( ', ' q )* ] '}'
//	q     := '"' value '"'                (or '…' when the value holds a ")
//
// That is: the empty selector prints as all(); operators have one spelling
// (starts with, not in) with single spaces around them; parentheses appear
// only where precedence needs them; at most one ! stands before a term.
// Set members are sorted (by byte) and de-duplicated. Nested && inside &&
// (and || inside ||) are flattened, since both are associative. The order of
// conjuncts and disjuncts is kept: the canonical form normalises spelling, it
// does not reorder or simplify logic.
//
// # Differences from Calico
//
//   - Calico accepts a newline or carriage return inside a quoted value; tabby
//     rejects it anywhere. Kubernetes label values cannot hold one, so such a
//     selector is always a mistake.
//   - Parentheses may nest at most 128 deep (Calico has no limit), so that a
//     hostile selector cannot exhaust the parser's stack.
//   - Calico's own String() wraps every && and || group in parentheses and
//     keeps doubled negations; tabby's canonical form does not, so the two
//     strings differ and must not be compared with each other.
//   - Calico's validator detects global() with a text search on the raw
//     selector: it misses global( ) (with a space inside) and wrongly flags a
//     value such as a == "global()". UsesGlobal works on the parsed selector
//     and has neither fault.
package selector
