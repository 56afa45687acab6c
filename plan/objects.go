package plan

import (
	"fmt"

	"github.com/tabbynet/tabby/diff"
)

// objects lists the objects added, removed and changed, field by field:
// those the next sync applies or prunes in Objects, counted and weighed;
// those of review-only kinds, which no sync applies, in ReviewOnly.
func (b *builder) objects() {
	for _, c := range diff.Objects(b.base.Objects, b.head.Objects) {
		o := c.After
		if o == nil {
			o = c.Before
		}
		oc := ObjectChange{ID: c.ID, Kind: o.Kind.Kind, Namespace: o.Object.GetNamespace(), Name: o.Object.GetName(), Op: c.Op}
		switch c.Op {
		case diff.Removed:
			oc.Position = b.base.Locate(o, "")
		default:
			oc.Position = b.head.Locate(o, "")
			for _, f := range c.Fields {
				oc.Fields = append(oc.Fields, FieldChange{Field: f, Position: b.head.Locate(o, f.Path)})
			}
		}
		if !o.Kind.Applied {
			b.r.ReviewOnly = append(b.r.ReviewOnly, oc)
			continue
		}
		switch c.Op {
		case diff.Removed:
			b.r.Summary.Removed++
		case diff.Added:
			b.r.Summary.Added++
		default:
			b.r.Summary.Changed++
		}
		b.r.Objects = append(b.r.Objects, oc)
		b.objectRisk(oc)
	}
}

// objectRisk records the risks of a change that its kind's section does
// not cover better.
func (b *builder) objectRisk(c ObjectChange) {
	switch c.Kind {
	case "BGPPeer", "BGPConfiguration", "Node", "IPPool":
		return // the BGP and pool sections weigh these
	}
	if c.Op == diff.Removed {
		b.risk(LevelMedium, "object-removed", c.ID, "is deleted from the cluster by the next sync (prune)", c.Position)
		return
	}
	if c.Kind != "Tier" || c.Op != diff.Changed {
		return
	}
	for _, f := range c.Fields {
		switch f.Path {
		case "spec.order", "spec.defaultAction":
			b.risk(LevelMedium, "tier-reordered", c.ID,
				fmt.Sprintf("changes %s of tier %s: every policy in it is evaluated %s", f.Path, c.Name, tierEffect(f.Path)), f.Position)
		}
	}
}

func tierEffect(path string) string {
	if path == "spec.order" {
		return "at another point among the tiers"
	}
	return "with another end-of-tier action"
}
