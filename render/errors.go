package render

import (
	"fmt"
	"sort"
	"strings"
)

// Error is a problem with a repository's content, located in one of its
// files. Field is the path of the offending field within its object, such as
// spec.ingress[0].protocol, when the problem is a field's.
type Error struct {
	// Code names the kind of problem, such as yaml-syntax or
	// unknown-field; docs/findings.md lists every code. Empty reads as
	// CodeRenderError.
	Code   string
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
}

// CodeRenderError is the code of an Error that names no other.
const CodeRenderError = "render-error"

// CodeOrDefault returns e's code, or CodeRenderError when it has none.
func (e *Error) CodeOrDefault() string {
	if e.Code == "" {
		return CodeRenderError
	}
	return e.Code
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one pass, sorted by file and line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sorted returns the list ordered by position, or nil when it is empty, so
// that callers can return it as an error without a typed-nil surprise.
func (l ErrorList) sorted() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Column < l[j].Column
	})
	return l
}
