package selector

import (
	"slices"
	"strings"
)

// opcode is what a node tests.
type opcode uint8

const (
	opAll        opcode = iota // all(): true
	opGlobal                   // global(): true in the generic evaluator
	opHas                      // has(key)
	opEq                       // key == value
	opNe                       // key != value
	opContains                 // key contains value
	opStartsWith               // key starts with value
	opEndsWith                 // key ends with value
	opIn                       // key in set
	opNotIn                    // key not in set
	opNot                      // !kids[0]
	opAnd                      // kids[0] && kids[1] && ...
	opOr                       // kids[0] || kids[1] || ...
)

// node is one node of a parsed selector. The parser keeps the tree in a
// normal form that the canonical printer relies on:
//
//   - an opAnd or opOr node has at least two kids, and no kid with its own op
//     (a parenthesised && inside && is spliced into its parent);
//   - an opNot node has exactly one kid, which is never an opNot;
//   - set is sorted and holds no duplicates.
type node struct {
	op    opcode
	key   string
	value string
	set   []string
	kids  []node
}

// eval reports whether the label set l satisfies n. It does not allocate.
func (n *node) eval(l Labels) bool {
	switch n.op {
	case opAll, opGlobal:
		return true
	case opHas:
		_, ok := l.Get(n.key)
		return ok
	case opEq:
		v, ok := l.Get(n.key)
		return ok && v == n.value
	case opNe:
		v, ok := l.Get(n.key)
		return !ok || v != n.value
	case opContains:
		v, ok := l.Get(n.key)
		return ok && strings.Contains(v, n.value)
	case opStartsWith:
		v, ok := l.Get(n.key)
		return ok && strings.HasPrefix(v, n.value)
	case opEndsWith:
		v, ok := l.Get(n.key)
		return ok && strings.HasSuffix(v, n.value)
	case opIn:
		v, ok := l.Get(n.key)
		return ok && inSet(n.set, v)
	case opNotIn:
		v, ok := l.Get(n.key)
		return !ok || !inSet(n.set, v)
	case opNot:
		return !n.kids[0].eval(l)
	case opAnd:
		for i := range n.kids {
			if !n.kids[i].eval(l) {
				return false
			}
		}
		return true
	case opOr:
		for i := range n.kids {
			if n.kids[i].eval(l) {
				return true
			}
		}
		return false
	}
	return false
}

// inSet reports whether v is in the sorted set. Small sets, the usual case,
// are scanned; larger ones are searched.
func inSet(set []string, v string) bool {
	if len(set) <= 8 {
		for _, s := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	_, found := slices.BinarySearch(set, v)
	return found
}

// usesGlobal reports whether n or any node below it is global().
func (n *node) usesGlobal() bool {
	if n.op == opGlobal {
		return true
	}
	for i := range n.kids {
		if n.kids[i].usesGlobal() {
			return true
		}
	}
	return false
}

// negate returns !n, cancelling a double negation.
func negate(n node) node {
	if n.op == opNot {
		return n.kids[0]
	}
	return node{op: opNot, kids: []node{n}}
}

// appendFlat appends n to kids of an op node, splicing in n's own kids when
// n has the same op (so (a && b) && c holds three kids, not two).
func appendFlat(kids []node, n node, op opcode) []node {
	if n.op == op {
		return append(kids, n.kids...)
	}
	return append(kids, n)
}

// makeSet sorts and de-duplicates values in place and returns the result,
// never nil, so that "in {}" keeps its empty set.
func makeSet(values []string) []string {
	if values == nil {
		return []string{}
	}
	slices.Sort(values)
	return slices.Clip(slices.Compact(values))
}
