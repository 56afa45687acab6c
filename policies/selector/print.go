package selector

import "strings"

// Precedence levels, loosest first, for deciding where the canonical form
// needs parentheses.
const (
	precTop = iota
	precOr
	precAnd
	precNot
)

// canonical returns the canonical text of the tree rooted at n. sizeHint is
// the length of the source, which the canonical form is usually close to.
func canonical(n *node, sizeHint int) string {
	var b strings.Builder
	b.Grow(sizeHint + sizeHint/4 + 8)
	n.print(&b, precTop)
	return b.String()
}

// print writes n in canonical form. ctx is the precedence of the operator n
// is an operand of; n is parenthesised when it binds more loosely.
func (n *node) print(b *strings.Builder, ctx int) {
	switch n.op {
	case opAll:
		b.WriteString("all()")
	case opGlobal:
		b.WriteString("global()")
	case opHas:
		b.WriteString("has(")
		b.WriteString(n.key)
		b.WriteByte(')')
	case opEq, opNe, opContains, opStartsWith, opEndsWith:
		b.WriteString(n.key)
		b.WriteString(opSpelling[n.op])
		writeQuoted(b, n.value)
	case opIn, opNotIn:
		b.WriteString(n.key)
		b.WriteString(opSpelling[n.op])
		b.WriteByte('{')
		for i, v := range n.set {
			if i > 0 {
				b.WriteString(", ")
			}
			writeQuoted(b, v)
		}
		b.WriteByte('}')
	case opNot:
		b.WriteByte('!')
		n.kids[0].print(b, precNot)
	case opAnd, opOr:
		prec, sep := precAnd, " && "
		if n.op == opOr {
			prec, sep = precOr, " || "
		}
		if ctx > prec {
			b.WriteByte('(')
		}
		for i := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			n.kids[i].print(b, prec)
		}
		if ctx > prec {
			b.WriteByte(')')
		}
	}
}

// opSpelling is the canonical spelling of each binary label operator, with
// the spaces around it.
var opSpelling = [...]string{
	opEq: " == ", opNe: " != ", opContains: " contains ",
	opStartsWith: " starts with ", opEndsWith: " ends with ",
	opIn: " in ", opNotIn: " not in ",
}

// writeQuoted writes v in double quotes, or in single quotes when v holds a
// double quote. v never holds both: the grammar has no escapes.
func writeQuoted(b *strings.Builder, v string) {
	q := byte('"')
	if strings.IndexByte(v, '"') >= 0 {
		q = '\''
	}
	b.WriteByte(q)
	b.WriteString(v)
	b.WriteByte(q)
}
