package selector

import "fmt"

// maxDepth bounds the nesting of parentheses. Calico has no limit; tabby has
// one so that a hostile selector cannot exhaust the stack of the process that
// parses it. No real selector comes close.
const maxDepth = 128

// valueOps maps the operators that take one string to their opcodes.
var valueOps = [...]opcode{
	tokEq: opEq, tokNe: opNe, tokContains: opContains,
	tokStartsWith: opStartsWith, tokEndsWith: opEndsWith,
}

// parser is a recursive-descent parser over the lexer, with one token of
// look-ahead in tok.
type parser struct {
	lx    lexer
	tok   token
	depth int
}

// parse parses src, which holds no line break, into its normal-form tree.
// It also reports whether the source was the single token global().
func parse(src string) (root node, soleGlobal bool, err *ParseError) {
	p := parser{lx: lexer{src: src}}
	if err := p.advance(false); err != nil {
		return node{}, false, err
	}
	if p.tok.kind == tokEOF {
		return node{op: opAll}, false, nil
	}
	first := p.tok.kind
	root, err = p.or()
	if err != nil {
		return node{}, false, err
	}
	if p.tok.kind != tokEOF {
		return node{}, false, p.trailing()
	}
	return root, first == tokGlobal && root.op == opGlobal, nil
}

func (p *parser) advance(afterLabel bool) *ParseError {
	t, err := p.lx.next(afterLabel)
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// or parses expr := and ( '||' and )*.
func (p *parser) or() (node, *ParseError) {
	n, err := p.and()
	if err != nil || p.tok.kind != tokOr {
		return n, err
	}
	kids := appendFlat(make([]node, 0, 4), n, opOr)
	for p.tok.kind == tokOr {
		if err := p.advance(false); err != nil {
			return node{}, err
		}
		n, err := p.and()
		if err != nil {
			return node{}, err
		}
		kids = appendFlat(kids, n, opOr)
	}
	return node{op: opOr, kids: kids}, nil
}

// and parses and := op ( '&&' op )*.
func (p *parser) and() (node, *ParseError) {
	n, err := p.op()
	if err != nil || p.tok.kind != tokAnd {
		return n, err
	}
	kids := appendFlat(make([]node, 0, 4), n, opAnd)
	for p.tok.kind == tokAnd {
		if err := p.advance(false); err != nil {
			return node{}, err
		}
		n, err := p.op()
		if err != nil {
			return node{}, err
		}
		kids = appendFlat(kids, n, opAnd)
	}
	return node{op: opAnd, kids: kids}, nil
}

// op parses a possibly negated term.
func (p *parser) op() (node, *ParseError) {
	negated := false
	for p.tok.kind == tokNot {
		negated = !negated
		if err := p.advance(false); err != nil {
			return node{}, err
		}
	}
	n, err := p.term()
	if err != nil {
		return node{}, err
	}
	if negated {
		n = negate(n)
	}
	return n, nil
}

// term parses has(k), all(), global(), a parenthesised expression or a
// label test.
func (p *parser) term() (node, *ParseError) {
	t := p.tok
	switch t.kind {
	case tokHas:
		return node{op: opHas, key: t.text}, p.advance(false)
	case tokAll:
		return node{op: opAll}, p.advance(false)
	case tokGlobal:
		return node{op: opGlobal}, p.advance(false)
	case tokLParen:
		return p.paren()
	case tokLabel:
		return p.labelTest()
	case tokString:
		return node{}, p.errorf(t, "want an expression, got %s: the label goes on the left, as in app == %q",
			t.describe(), t.text)
	}
	return node{}, p.errorf(t, `want an expression such as app == "web", has(app) or all(), got %s`, t.describe())
}

func (p *parser) paren() (node, *ParseError) {
	open := p.tok
	if p.depth == maxDepth {
		return node{}, p.errorf(open, "parentheses nested more than %d deep", maxDepth)
	}
	if err := p.advance(false); err != nil {
		return node{}, err
	}
	if p.tok.kind == tokRParen {
		return node{}, p.errorf(p.tok, "empty parentheses: want an expression inside () (all() selects everything)")
	}
	p.depth++
	n, err := p.or()
	p.depth--
	if err != nil {
		return node{}, err
	}
	if p.tok.kind != tokRParen {
		return node{}, p.errorf(p.tok, "want ) to close ( at column %d, got %s",
			column(p.lx.src, open.off), p.tok.describe())
	}
	return n, p.advance(false)
}

// labelTest parses label OP "value" and label [not] in {set}.
func (p *parser) labelTest() (node, *ParseError) {
	label := p.tok
	if err := p.advance(true); err != nil {
		return node{}, err
	}
	opTok := p.tok
	switch opTok.kind {
	case tokEq, tokNe, tokContains, tokStartsWith, tokEndsWith:
		if err := p.advance(false); err != nil {
			return node{}, err
		}
		if p.tok.kind != tokString {
			return node{}, p.errorf(p.tok, "want a quoted string after %s, got %s%s",
				kindText[opTok.kind], p.tok.describe(), quoteHint(p.tok))
		}
		n := node{op: valueOps[opTok.kind], key: label.text, value: p.tok.text}
		return n, p.advance(false)
	case tokIn, tokNotIn:
		set, err := p.set(opTok)
		if err != nil {
			return node{}, err
		}
		op := opIn
		if opTok.kind == tokNotIn {
			op = opNotIn
		}
		return node{op: op, key: label.text, set: set}, nil
	}
	return node{}, p.errorf(opTok,
		"want an operator after label %q (==, !=, in, not in, contains, starts with, ends with), got %s%s",
		label.text, opTok.describe(), operatorHint(label, opTok))
}

// set parses { [ "v" ( , "v" )* [,] ] } after in or not in.
func (p *parser) set(opTok token) ([]string, *ParseError) {
	if err := p.advance(false); err != nil {
		return nil, err
	}
	if p.tok.kind != tokLBrace {
		return nil, p.errorf(p.tok, `want { after %s, got %s: write a set as {"a", "b"}`,
			kindText[opTok.kind], p.tok.describe())
	}
	if err := p.advance(false); err != nil {
		return nil, err
	}
	var values []string
	for p.tok.kind == tokString {
		if values == nil {
			values = make([]string, 0, 4)
		}
		values = append(values, p.tok.text)
		if err := p.advance(false); err != nil {
			return nil, err
		}
		if p.tok.kind != tokComma {
			if p.tok.kind != tokRBrace {
				return nil, p.errorf(p.tok, "want , or } in set, got %s", p.tok.describe())
			}
			break
		}
		if err := p.advance(false); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != tokRBrace {
		return nil, p.errorf(p.tok, "want a quoted string or } in set, got %s%s",
			p.tok.describe(), quoteHint(p.tok))
	}
	return makeSet(values), p.advance(false)
}

// trailing is the error for input left after a complete expression.
func (p *parser) trailing() *ParseError {
	t := p.tok
	switch {
	case t.kind == tokRParen:
		return p.errorf(t, `unexpected ")" with no matching (`)
	case t.kind == tokLabel && (t.text == "and" || t.text == "AND"):
		return p.errorf(t, `want && or || between expressions, got %s: use && for "and"`, t.describe())
	case t.kind == tokLabel && (t.text == "or" || t.text == "OR"):
		return p.errorf(t, `want && or || between expressions, got %s: use || for "or"`, t.describe())
	}
	return p.errorf(t, "want && or || between expressions, got %s", t.describe())
}

func (p *parser) errorf(at token, format string, args ...any) *ParseError {
	return errAt(p.lx.src, at.off, format, args...)
}

// quoteHint suggests quoting a label found where a value belongs.
func quoteHint(t token) string {
	if t.kind != tokLabel {
		return ""
	}
	return fmt.Sprintf(`: values must be quoted, as in %q`, t.text)
}

// secondWord completes the operators spelled with two words.
var secondWord = map[string]string{"not": "in", "starts": "with", "ends": "with"}

// operatorHint suggests a fix for a label not followed by an operator.
func operatorHint(label, got token) string {
	switch {
	case got.kind == tokLParen && got.off > label.off+len(label.text) &&
		(label.text == "has" || label.text == "all" || label.text == "global"):
		return fmt.Sprintf(": write %s( with no space before (", label.text)
	case got.kind == tokEOF || got.kind == tokAnd || got.kind == tokOr || got.kind == tokRParen:
		return fmt.Sprintf("; to test that the label exists, use has(%s)", label.text)
	case got.kind == tokLabel && secondWord[got.text] != "":
		return fmt.Sprintf(": %s needs %s, as in %s %s", got.text, secondWord[got.text], got.text, secondWord[got.text])
	}
	return ""
}
