package topology

import (
	"fmt"
	"sort"
)

// problems collects what Compute could not use, once each.
type problems struct {
	seen map[string]bool
	list []string
}

func (p *problems) addf(format string, args ...any) {
	p.add(fmt.Sprintf(format, args...))
}

func (p *problems) add(msg string) {
	if p.seen[msg] {
		return
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	p.seen[msg] = true
	p.list = append(p.list, msg)
}

// sorted returns the problems sorted, nil when there are none.
func (p *problems) sorted() []string {
	sort.Strings(p.list)
	return p.list
}
