package diff

import (
	"strings"
)

// shape is what the lists table says about one place in an object: how the
// list there compares, and the shapes of the fields and elements below it.
// A nil shape is a place the table says nothing about.
type shape struct {
	fields map[string]*shape
	elem   *shape
	how    listHow
}

func (s *shape) field(k string) *shape {
	if s == nil {
		return nil
	}
	return s.fields[k]
}

func (s *shape) element() *shape {
	if s == nil {
		return nil
	}
	return s.elem
}

func (s *shape) list() listHow {
	if s == nil {
		return listHow{}
	}
	return s.how
}

// shapes holds the root shape of each kind the lists table names, by
// "group/Kind".
var shapes = compile(lists)

// shapeOf returns the shape of objects of the kind in group.
func shapeOf(group, kind string) *shape {
	return shapes[group+"/"+kind]
}

// compile turns the lists table into a tree of shapes per kind.
func compile(rules []listRule) map[string]*shape {
	roots := map[string]*shape{}
	for _, r := range rules {
		for _, kind := range expand(r.kinds) {
			if roots[kind] == nil {
				roots[kind] = &shape{}
			}
			for _, p := range expand(r.pattern) {
				roots[kind].at(p).how = r.how
			}
		}
	}
	return roots
}

// at returns the shape at pattern p below s, creating it.
func (s *shape) at(p string) *shape {
	cur := s
	for _, part := range strings.Split(p, ".") {
		name, elems := part, 0
		for strings.HasSuffix(name, "[]") {
			name, elems = strings.TrimSuffix(name, "[]"), elems+1
		}
		if cur.fields == nil {
			cur.fields = map[string]*shape{}
		}
		next := cur.fields[name]
		if next == nil {
			next = &shape{}
			cur.fields[name] = next
		}
		cur = next
		for range elems {
			if cur.elem == nil {
				cur.elem = &shape{}
			}
			cur = cur.elem
		}
	}
	return cur
}

// expand expands the first {a,b,...} group of p, and the groups of the
// results in turn: "x.{a,b}.y" is "x.a.y" and "x.b.y". Groups do not nest.
func expand(p string) []string {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		return []string{p}
	}
	end := strings.IndexByte(p[open:], '}')
	if end < 0 {
		return []string{p}
	}
	end += open
	var out []string
	for _, alt := range strings.Split(p[open+1:end], ",") {
		out = append(out, expand(p[:open]+alt+p[end+1:])...)
	}
	return out
}
