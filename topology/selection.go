package topology

import (
	"github.com/tabbynet/tabby/policies/selector"
)

// selection is a parsed selector and, computed on first use, the nodes it
// selects. BGPPeers share a few selectors (one per rack, one for the
// reflectors), so each is parsed and evaluated once.
type selection struct {
	sel     *selector.Selector
	err     error
	matched []*node
	done    bool
}

// selected returns the nodes, sorted by name, that the selector s selects,
// and the parse error when it does not parse (then it selects none).
func (c *cluster) selected(s string) ([]*node, error) {
	e := c.selection(s)
	if e.err != nil {
		return nil, e.err
	}
	if !e.done {
		e.done = true
		for _, n := range c.nodes {
			if e.sel.Matches(n.labels) {
				e.matched = append(e.matched, n)
			}
		}
	}
	return e.matched, nil
}

// parsed returns the parsed selector s, or the parse error.
func (c *cluster) parsed(s string) (*selector.Selector, error) {
	e := c.selection(s)
	return e.sel, e.err
}

func (c *cluster) selection(s string) *selection {
	e := c.selectors[s]
	if e == nil {
		e = &selection{}
		e.sel, e.err = selector.Parse(s)
		c.selectors[s] = e
	}
	return e
}
