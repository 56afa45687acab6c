package render

import "fmt"

// findings collects the errors of one render, up to its budget, and counts
// the rest: a repository cannot make a render hold millions of them.
type findings struct {
	list    ErrorList
	max     int
	dropped int
	seen    map[*Error]bool // an Error met twice (a bad link used twice) is one
}

func (f *findings) add(errs ...*Error) {
	for _, e := range errs {
		if f.seen[e] {
			continue
		}
		if f.seen == nil {
			f.seen = make(map[*Error]bool)
		}
		f.seen[e] = true
		if len(f.list) < f.max {
			f.list = append(f.list, e)
		} else {
			f.dropped++
		}
	}
}

// count is the number of errors found, listed or not.
func (f *findings) count() int { return len(f.list) + f.dropped }

// result returns the errors sorted by position, then the Error that stopped
// the render, if one did, then one counting the errors left out; or nil
// when there are none. scope is the path rendered, where the count is
// reported.
func (f *findings) result(scope string, stop *Error) error {
	if f.count() == 0 && stop == nil {
		return nil
	}
	l := f.list
	_ = l.sorted()
	if stop != nil {
		l = append(l, stop)
	}
	if f.dropped > 0 {
		l = append(l, &Error{Code: CodeErrorsTruncated, File: scope, Msg: fmt.Sprintf(
			"%d more errors not listed: a render reports at most %d; fix these first, or raise --render-max-findings",
			f.dropped, f.max)})
	}
	return l
}
