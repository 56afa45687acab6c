package policies

import (
	"math"
	"sort"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// tier is a Tier, built in, declared among the objects, or invalid: named by
// a policy but not existing.
type tier struct {
	name        string
	order       *float64
	defaultPass bool // defaultAction Pass; anything else denies, as in Felix
	invalid     bool
	obj         *manifest.Object
}

func (t *tier) defaultAction() string {
	if t.defaultPass {
		return string(v3.Pass)
	}
	return string(v3.Deny)
}

// builtinTiers are the tiers Calico creates and does not let anyone delete
// or reorder: they exist whether or not the objects declare them.
func builtinTiers() map[string]*tier {
	mk := func(name string, order float64, pass bool) *tier {
		return &tier{name: name, order: &order, defaultPass: pass}
	}
	return map[string]*tier{
		v3.TierDefault:      mk(v3.TierDefault, v3.TierDefaultOrder, false),
		v3.TierKubeAdmin:    mk(v3.TierKubeAdmin, v3.TierKubeAdminOrder, true),
		v3.TierKubeBaseline: mk(v3.TierKubeBaseline, v3.TierKubeBaselineOrder, true),
	}
}

// addTier records a declared tier. A built-in tier keeps its fixed order
// and default action (Calico rejects others); a declaration that disagrees
// is reported.
func (c *compiler) addTier(o *manifest.Object, t *v3.Tier) {
	if b, ok := c.tiers[t.Name]; ok && b.obj == nil && isBuiltinTier(t.Name) {
		b.obj = o
		if t.Spec.Order == nil || *t.Spec.Order != *b.order {
			c.problem(o, "spec.order", "built-in tier %s has the fixed order %g; the declared order is ignored", t.Name, *b.order)
		}
		if t.Spec.DefaultAction != nil && (*t.Spec.DefaultAction == v3.Pass) != b.defaultPass {
			c.problem(o, "spec.defaultAction", "built-in tier %s has the fixed default action %s; the declared one is ignored", t.Name, b.defaultAction())
		}
		return
	}
	if prev, ok := c.tiers[t.Name]; ok && prev.obj != nil {
		c.problem(o, "metadata.name", "tier %s is declared twice (also at %s); the first is used", t.Name, prev.obj.Source)
		return
	}
	order := t.Spec.Order
	if order != nil && math.IsNaN(*order) {
		c.problem(o, "spec.order", "order is NaN; treated as unset (after every ordered tier)")
		order = nil
	}
	c.tiers[t.Name] = &tier{
		name:        t.Name,
		order:       order,
		defaultPass: t.Spec.DefaultAction != nil && *t.Spec.DefaultAction == v3.Pass,
		obj:         o,
	}
}

func isBuiltinTier(name string) bool {
	return name == v3.TierDefault || name == v3.TierKubeAdmin || name == v3.TierKubeBaseline
}

// tierFor returns the tier a policy names, creating an invalid tier for a
// name that no Tier declares.
func (c *compiler) tierFor(name string) *tier {
	if t, ok := c.tiers[name]; ok {
		return t
	}
	t := &tier{name: name, invalid: true}
	c.tiers[name] = t
	return t
}

// sortedTiers returns the tiers in evaluation order, as Felix's TierLess
// orders them: valid tiers before invalid ones, then ascending order with
// nil after every number, then name.
func sortedTiers(tiers map[string]*tier) []*tier {
	out := make([]*tier, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return tierLess(out[i], out[j]) })
	return out
}

func tierLess(a, b *tier) bool {
	if a.invalid != b.invalid {
		return !a.invalid
	}
	if (a.order == nil) != (b.order == nil) {
		return a.order != nil
	}
	if a.order != nil && *a.order != *b.order {
		return *a.order < *b.order
	}
	return a.name < b.name
}
