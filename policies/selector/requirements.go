package selector

import (
	"slices"
	"strings"
)

// Requirement is a constraint on one label that every label set a selector
// matches satisfies.
type Requirement struct {
	// Key is the label that must be present.
	Key string
	// Values, when not nil, are the values the label may take, sorted and
	// without duplicates. Nil means any value will do. Empty but not nil
	// means no value will do: the selector matches nothing.
	Values []string
}

// Requirements returns constraints that every label set the selector matches
// satisfies, sorted by key, one per key. It is for indexes that must not
// test every selector against every label set: a label set that fails a
// requirement need not be tested; one that meets them all still must be.
//
// A requirement comes from a top-level &&-conjunct of the form k == "v",
// k in {...} or !(k != "v") and !(k not in {...}) (their equivalents), which
// give the key and its allowed values; or has(k), k contains "v",
// k starts with "v" or k ends with "v", which need the key present. Conjuncts
// on the same key are intersected. A parenthesised || contributes the keys
// that every one of its branches requires, with the union of their values,
// so a == "x" || a == "y" requires a in {"x", "y"}.
//
// Anything else contributes nothing: a selector with no such conjunct (all(),
// a != "x", !has(a), has(a) || has(b), ...) returns nil, and must be tested
// against every label set. The result is a fresh slice the caller may keep.
func (s *Selector) Requirements() []Requirement {
	if s == nil {
		return nil
	}
	return requirements(&s.root)
}

func requirements(n *node) []Requirement {
	switch n.op {
	case opHas, opContains, opStartsWith, opEndsWith:
		return []Requirement{{Key: n.key}}
	case opEq:
		return []Requirement{{Key: n.key, Values: []string{n.value}}}
	case opIn:
		return []Requirement{{Key: n.key, Values: slices.Clone(n.set)}}
	case opNot:
		// !(k != "v") is k == "v" and !(k not in S) is k in S: both are
		// false when k is absent.
		switch k := &n.kids[0]; k.op {
		case opNe:
			return []Requirement{{Key: k.key, Values: []string{k.value}}}
		case opNotIn:
			return []Requirement{{Key: k.key, Values: slices.Clone(k.set)}}
		}
	case opAnd:
		var all []Requirement
		for i := range n.kids {
			all = intersect(all, requirements(&n.kids[i]))
		}
		return all
	case opOr:
		all := requirements(&n.kids[0])
		for i := 1; i < len(n.kids) && len(all) > 0; i++ {
			all = union(all, requirements(&n.kids[i]))
		}
		return all
	}
	return nil
}

// intersect combines the requirements of two conjuncts: every key of
// either, with a key's values intersected where both constrain them.
func intersect(a, b []Requirement) []Requirement {
	out := make([]Requirement, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0].Key < b[0].Key:
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0].Key < a[0].Key:
			out, b = append(out, b[0]), b[1:]
		default:
			r := a[0]
			switch {
			case r.Values == nil:
				r.Values = b[0].Values
			case b[0].Values != nil:
				r.Values = intersectValues(r.Values, b[0].Values)
			}
			out, a, b = append(out, r), a[1:], b[1:]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// union combines the requirements of two disjuncts: only keys both
// require, with their values united (any value, if either allows any).
func union(a, b []Requirement) []Requirement {
	var out []Requirement
	for len(a) > 0 && len(b) > 0 {
		switch c := strings.Compare(a[0].Key, b[0].Key); {
		case c < 0:
			a = a[1:]
		case c > 0:
			b = b[1:]
		default:
			r := Requirement{Key: a[0].Key}
			if a[0].Values != nil && b[0].Values != nil {
				r.Values = unionValues(a[0].Values, b[0].Values)
			}
			out, a, b = append(out, r), a[1:], b[1:]
		}
	}
	return out
}

// intersectValues returns the values in both sorted sets, never nil.
func intersectValues(a, b []string) []string {
	out := []string{}
	for len(a) > 0 && len(b) > 0 {
		switch c := strings.Compare(a[0], b[0]); {
		case c < 0:
			a = a[1:]
		case c > 0:
			b = b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// unionValues returns the values in either sorted set, sorted, never nil.
func unionValues(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}
