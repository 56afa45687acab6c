package selector

import (
	"errors"
	"strings"
	"testing"
)

// validCases are selectors Parse accepts, with their canonical forms. Other
// tests reuse them.
var validCases = []struct {
	name, in, want string
}{
	// Whitespace.
	{"empty", "", "all()"},
	{"only spaces", "   ", "all()"},
	{"only tabs", "\t\t", "all()"},
	{"tabs and spaces around", " \t a == 'x' \t", `a == "x"`},
	{"no spaces at all", `a=="x"&&b!='y'||!has(c)`, `a == "x" && b != "y" || !has(c)`},
	{"many spaces between tokens", `a   ==   "x"    &&   b  in  { "y" ,  "z" }`, `a == "x" && b in {"y", "z"}`},

	// Labels.
	{"label with every class of character", `Az09_./-x == "v"`, `Az09_./-x == "v"`},
	{"label with domain prefix", `projectcalico.org/namespace == "default"`, `projectcalico.org/namespace == "default"`},
	{"label starting with digit", `1a == "v"`, `1a == "v"`},
	{"label starting with dash", `-a == "v"`, `-a == "v"`},
	{"label of 512 characters", strings.Repeat("k", 512) + ` == "v"`, strings.Repeat("k", 512) + ` == "v"`},
	{"label of 512 characters in has", "has(" + strings.Repeat("k", 512) + ")", "has(" + strings.Repeat("k", 512) + ")"},
	{"label named like a keyword: all", `all == "x"`, `all == "x"`},
	{"label named like a keyword: has", `has == "x"`, `has == "x"`},
	{"label named like a keyword: global", `global != "x"`, `global != "x"`},
	{"label named like an operator: in", `in in {"x"}`, `in in {"x"}`},
	{"label named like an operator: not", `not not in {"x"}`, `not not in {"x"}`},
	{"label named like an operator: contains", `contains contains "x"`, `contains contains "x"`},
	{"label named like an operator: starts", `starts starts with "x"`, `starts starts with "x"`},
	{"label with keyword prefix", `hasx == "y" && ally == "z"`, `hasx == "y" && ally == "z"`},
	{"has of label named in", `has(in)`, `has(in)`},

	// Values.
	{"double-quoted value", `a == "x"`, `a == "x"`},
	{"single-quoted value prints double", `a == 'x'`, `a == "x"`},
	{"value holding a single quote", `a == "it's"`, `a == "it's"`},
	{"value holding a double quote prints single", `a == 'say "hi"'`, `a == 'say "hi"'`},
	{"empty value", `a == ""`, `a == ""`},
	{"value with spaces and tabs", "a == ' x\ty '", "a == \" x\ty \""},
	{"value with operators inside", `a == "b && c || !d ( ) { } ,"`, `a == "b && c || !d ( ) { } ,"`},
	{"value with non-ASCII", `a == "café"`, `a == "café"`},
	{"backslash is not an escape", `a == "x\"`, `a == "x\"`},

	// Keywords.
	{"has", `has(a)`, `has(a)`},
	{"has with spaces inside", "has( \ta\t )", `has(a)`},
	{"all", `all()`, `all()`},
	{"all with spaces inside", `all( )`, `all()`},
	{"global", `global()`, `global()`},
	{"global with spaces inside", ` global(  ) `, `global()`},

	// Operators and their spellings.
	{"equals", `a == "x"`, `a == "x"`},
	{"not equals", `a != "x"`, `a != "x"`},
	{"in", `a in {"x"}`, `a in {"x"}`},
	{"in without space before brace", `a in{"x"}`, `a in {"x"}`},
	{"not in", `a not in {"x"}`, `a not in {"x"}`},
	{"notin", `a notin {"x"}`, `a not in {"x"}`},
	{"not in with spaces and tabs between", "a not \t in {'x'}", `a not in {"x"}`},
	{"contains", `a contains "x"`, `a contains "x"`},
	{"contains without space before value", `a contains"x"`, `a contains "x"`},
	{"starts with", `a starts with "x"`, `a starts with "x"`},
	{"startswith", `a startswith "x"`, `a starts with "x"`},
	{"starts  with, two spaces", `a starts  with 'x'`, `a starts with "x"`},
	{"ends with", `a ends with "x"`, `a ends with "x"`},
	{"endswith", `a endswith "x"`, `a ends with "x"`},
	{"ends with without space before value", `a ends with'x'`, `a ends with "x"`},

	// Sets.
	{"empty set", `a in {}`, `a in {}`},
	{"empty set, not in", `a not in { }`, `a not in {}`},
	{"trailing comma", `a in {"x",}`, `a in {"x"}`},
	{"trailing comma with spaces", `a in { "x" , "y" , }`, `a in {"x", "y"}`},
	{"members sorted", `a in {"z", "x", "y", "a"}`, `a in {"a", "x", "y", "z"}`},
	{"members de-duplicated", `a in {"z", "z", 'x', "y", "x", "a"}`, `a in {"a", "x", "y", "z"}`},
	{"members sorted by byte", `a in {"b", "B", "a", "_"}`, `a in {"B", "_", "a", "b"}`},
	{"member quotes chosen one by one", `a in {'"', "'", "c"}`, `a in {'"', "'", "c"}`},
	{"empty-string member", `a in {"", "x"}`, `a in {"", "x"}`},

	// Negation.
	{"not", `!has(a)`, `!has(a)`},
	{"not with space", `! has(a)`, `!has(a)`},
	{"double not cancels", `!!has(a)`, `has(a)`},
	{"triple not", `!!!has(a)`, `!has(a)`},
	{"nots with spaces", `! ! ! has(a)`, `!has(a)`},
	{"not binds tighter than ==", `!a == "x"`, `!a == "x"`},
	{"not of parenthesised comparison", `!(a == "x")`, `!a == "x"`},
	{"not through parentheses cancels", `!(!has(a))`, `has(a)`},
	{"not of and", `!(has(a) && has(b))`, `!(has(a) && has(b))`},
	{"not of or", `! (has( b)||! has(a ))`, `!(has(b) || !has(a))`},
	{"not all", `!all()`, `!all()`},
	{"double not all", `!!all()`, `all()`},

	// Precedence and parentheses.
	{"and binds tighter than or", `has(a) || has(b) && has(c)`, `has(a) || has(b) && has(c)`},
	{"and binds tighter than or, reversed", `has(a) && has(b) || has(c)`, `has(a) && has(b) || has(c)`},
	{"redundant parentheses dropped", `(has(a)) || ((has(b) && has(c)))`, `has(a) || has(b) && has(c)`},
	{"needed parentheses kept", `(has(a) || has(b)) && has(c)`, `(has(a) || has(b)) && has(c)`},
	{"nested and flattened", `has(a) && (has(b) && has(c))`, `has(a) && has(b) && has(c)`},
	{"nested or flattened", `(has(a) || has(b)) || has(c)`, `has(a) || has(b) || has(c)`},
	{"parenthesised all", ` (all() )`, `all()`},
	{"deep parentheses", strings.Repeat("(", 128) + "has(a)" + strings.Repeat(")", 128), `has(a)`},
	{"calico canonicalisation example", `! (a == "b"&&! c != "d")`, `!(a == "b" && !c != "d")`},
	{"order of conjuncts kept", `has(b) && has(a)`, `has(b) && has(a)`},
	{"repeated conjuncts kept", `has(a) && has(a)`, `has(a) && has(a)`},
	{"all inside and kept", `all() && has(a)`, `all() && has(a)`},
	{"global inside and kept", `global() && has(a)`, `global() && has(a)`},
	{"typical policy selector",
		`app == 'frontend' && tier in {'web','api'} && !has(canary)`,
		`app == "frontend" && tier in {"api", "web"} && !has(canary)`},
}

func TestParseValid(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := sel.String(); got != tc.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// invalidCases are selectors Parse rejects, with the column and message of
// the error. Each error class has at least one case.
var invalidCases = []struct {
	name, in string
	col      int
	msg      string
}{
	// Line breaks.
	{"trailing newline from a YAML | block", "app == \"web\"\n", 13,
		"newline in selector: selectors are one line; a YAML | block adds a trailing newline, use a plain or quoted scalar"},
	{"newline inside a value", "app == \"w\neb\"", 10,
		"newline in selector: selectors are one line; a YAML | block adds a trailing newline, use a plain or quoted scalar"},
	{"carriage return", "has(a)\r\n", 7,
		"carriage return in selector: selectors are one line; a YAML | block adds a trailing newline, use a plain or quoted scalar"},
	{"newline between tokens", "has(a) &&\nhas(b)", 10,
		"newline in selector: selectors are one line; a YAML | block adds a trailing newline, use a plain or quoted scalar"},

	// Bad characters and single punctuation.
	{"single =", `app = "x"`, 5, `want == or !=, got a single "=": use == to test equality`},
	{"single = unquoted", `app = x`, 5, `want == or !=, got a single "=": use == to test equality`},
	{"single &", `has(a) & has(b)`, 8, `want &&, got a single "&": use && for "and"`},
	{"single & at end", `has(a) &`, 8, `want &&, got a single "&": use && for "and"`},
	{"single |", `has(a) | has(b)`, 8, `want ||, got a single "|": use || for "or"`},
	{"unexpected character", `%`, 1,
		`unexpected character "%": labels use only letters, digits and _ . / -, and values must be quoted`},
	{"colon in label", `app:web == "x"`, 4,
		`unexpected character ":": labels use only letters, digits and _ . / -, and values must be quoted`},
	{"column counts runes", `a == "é" && $`, 13,
		`unexpected character "$": labels use only letters, digits and _ . / -, and values must be quoted`},
	{"invalid UTF-8 outside a value", "a == \xff", 6,
		`unexpected character "\xff": labels use only letters, digits and _ . / -, and values must be quoted`},
	{"other whitespace", "has(a)\v", 7,
		`unexpected character "\v": labels use only letters, digits and _ . / -, and values must be quoted`},

	// Strings.
	{"unterminated double-quoted string", `a == "abc`, 6, `unterminated string: want a closing " (strings have no escape sequences)`},
	{"unterminated single-quoted string", `a == 'abc`, 6, `unterminated string: want a closing ' (strings have no escape sequences)`},
	{"mismatched quotes", `a == "abc'`, 6, `unterminated string: want a closing " (strings have no escape sequences)`},
	{"backslash does not escape a quote", `a == "x\"y"`, 10, `want && or || between expressions, got label "y"`},
	{"bare string", `"FOO`, 1, `unterminated string: want a closing " (strings have no escape sequences)`},

	// Label length.
	{"label of 513 characters", strings.Repeat("k", 513) + ` == "v"`, 1, "label is 513 characters long, want at most 512"},
	{"label of 513 characters in has", "has(" + strings.Repeat("k", 513) + ")", 5, "label is 513 characters long, want at most 512"},

	// Keywords.
	{"has without closing parenthesis", `has(a`, 6, "want ) to close has(, got end of selector"},
	{"has with two labels", `has(a b)`, 7, `want ) to close has(, got label "b"`},
	{"has without label", `has()`, 5, `want a label inside has(, got ")"`},
	{"has with quoted label", `has("a")`, 5, `want a label inside has(, got a quoted string: labels are not quoted, as in has(app)`},
	{"space before has parenthesis", `has (a)`, 5,
		`want an operator after label "has" (==, !=, in, not in, contains, starts with, ends with), got "(": write has( with no space before (`},
	{"space before all parenthesis", `all ()`, 5,
		`want an operator after label "all" (==, !=, in, not in, contains, starts with, ends with), got "(": write all( with no space before (`},
	{"all with an argument", `all(x)`, 5, `want ) after all(, got label "x": all() takes no arguments`},
	{"global unterminated", `global(`, 8, "want ) after global(, got end of selector: global() takes no arguments"},

	// Label tests.
	{"bare label", `b`, 2,
		`want an operator after label "b" (==, !=, in, not in, contains, starts with, ends with), got end of selector; to test that the label exists, use has(b)`},
	{"bare label before &&", `b && has(a)`, 3,
		`want an operator after label "b" (==, !=, in, not in, contains, starts with, ends with), got "&&"; to test that the label exists, use has(b)`},
	{"label then label", `a b`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "b"`},
	{"label == label", `b == b`, 6, `want a quoted string after ==, got label "b": values must be quoted, as in "b"`},
	{"label contains label", `b contains b`, 12, `want a quoted string after contains, got label "b": values must be quoted, as in "b"`},
	{"label starts with label", `b starts with b`, 15, `want a quoted string after starts with, got label "b": values must be quoted, as in "b"`},
	{"label ends with label", `b endswith b`, 12, `want a quoted string after ends with, got label "b": values must be quoted, as in "b"`},
	{"missing value at end", `a ==`, 5, "want a quoted string after ==, got end of selector"},
	{"operator then operator", `foo != ||`, 8, `want a quoted string after !=, got "||"`},
	{"literal on the left", `'b1' == b`, 1, `want an expression, got string "b1": the label goes on the left, as in app == "b1"`},
	{"operator without word boundary", `a inx {"a"}`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "inx"`},
	{"contains without word boundary", `a containsx "a"`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "containsx"`},
	{"notin without word boundary", `a notinx {"a"}`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "notinx"`},
	{"endswith without word boundary", `a endswithx "a"`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "endswithx"`},
	{"not without in", `a not {"x"}`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "not": not needs in, as in not in`},
	{"starts without with", `a starts "x"`, 3,
		`want an operator after label "a" (==, !=, in, not in, contains, starts with, ends with), got label "starts": starts needs with, as in starts with`},
	{"operator before label", `== "x"`, 1, `want an expression such as app == "web", has(app) or all(), got "=="`},

	// Sets.
	{"in without braces", `foo in ""`, 8, `want { after in, got string "": write a set as {"a", "b"}`},
	{"not in with parentheses", `foo not in ("x")`, 12, `want { after not in, got "(": write a set as {"a", "b"}`},
	{"unquoted member", `a in {x}`, 7, `want a quoted string or } in set, got label "x": values must be quoted, as in "x"`},
	{"missing comma", `a in {"x" "y"}`, 11, `want , or } in set, got string "y"`},
	{"leading comma", `a in {,}`, 7, `want a quoted string or } in set, got ","`},
	{"double comma", `a in {"x",,}`, 11, `want a quoted string or } in set, got ","`},
	{"unterminated set", `a in {"x"`, 10, "want , or } in set, got end of selector"},
	{"unterminated set after comma", `foo in {"", ||`, 13, `want a quoted string or } in set, got "||"`},

	// Parentheses.
	{"empty parentheses", `()`, 2, "empty parentheses: want an expression inside () (all() selects everything)"},
	{"lone open parenthesis", `(`, 2, `want an expression such as app == "web", has(app) or all(), got end of selector`},
	{"unterminated parenthesis", `(a == "foo"`, 12, "want ) to close ( at column 1, got end of selector"},
	{"unterminated inner parenthesis", `has(a) && ((has(b)) || has(c)`, 30, "want ) to close ( at column 11, got end of selector"},
	{"lone close parenthesis", `)`, 1, `want an expression such as app == "web", has(app) or all(), got ")"`},
	{"unmatched close parenthesis", `a == "x")`, 9, `unexpected ")" with no matching (`},
	{"parentheses too deep", strings.Repeat("(", 129) + "has(a)" + strings.Repeat(")", 129), 129, "parentheses nested more than 128 deep"},

	// Incomplete and trailing input.
	{"lone not", `!`, 2, `want an expression such as app == "web", has(app) or all(), got end of selector`},
	{"and at end", `has(foo) &&`, 12, `want an expression such as app == "web", has(app) or all(), got end of selector`},
	{"or at start", `|| has(a)`, 1, `want an expression such as app == "web", has(app) or all(), got "||"`},
	{"trailing label", `a == "x" b`, 10, `want && or || between expressions, got label "b"`},
	{"trailing string", `has(a) "x"`, 8, `want && or || between expressions, got string "x"`},
	{"word and", `a == "x" and b == "y"`, 10, `want && or || between expressions, got label "and": use && for "and"`},
	{"word or", `a == "x" or b == "y"`, 10, `want && or || between expressions, got label "or": use || for "or"`},
	{"two expressions", `all() all()`, 7, `want && or || between expressions, got "all()"`},
	{"trailing garbage after unexpected char", `a == "b" || %`, 13,
		`unexpected character "%": labels use only letters, digits and _ . / -, and values must be quoted`},
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tc.in, sel)
			}
			if sel != nil {
				t.Errorf("Parse(%q) returned a selector with its error", tc.in)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T, want *ParseError", tc.in, err)
			}
			if pe.Selector != tc.in {
				t.Errorf("Selector = %q, want the input %q", pe.Selector, tc.in)
			}
			if pe.Column != tc.col {
				t.Errorf("Column = %d, want %d (error: %v)", pe.Column, tc.col, err)
			}
			if pe.Msg != tc.msg {
				t.Errorf("Msg:\n got %s\nwant %s", pe.Msg, tc.msg)
			}
		})
	}
}

func TestParseErrorString(t *testing.T) {
	_, err := Parse("app = x")
	want := `selector "app = x": column 5: want == or !=, got a single "=": use == to test equality`
	if err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %s", err, want)
	}
	// The selector is quoted, so a line break in it cannot break the message.
	_, err = Parse("has(a)\n")
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Parse error %q holds a raw newline", err)
	}
}

func TestMustParse(t *testing.T) {
	if got := MustParse(`a == 'x'`).String(); got != `a == "x"` {
		t.Errorf("MustParse = %q", got)
	}
	defer func() {
		if _, ok := recover().(*ParseError); !ok {
			t.Error("MustParse of a bad selector did not panic with its *ParseError")
		}
	}()
	MustParse("a = 'x'")
}
