package plan

import (
	"fmt"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/diff"
)

// poolFields weighs a change of each IPPool field: Calico refuses changes
// of cidr and blockSize, and the others change how pods are addressed or
// routed.
var poolFields = map[string]struct {
	level  Level
	effect string
}{
	"spec.cidr":              {LevelBlocking, "Calico refuses it: cidr is immutable; add a new pool, disable this one and move workloads"},
	"spec.blockSize":         {LevelBlocking, "Calico refuses it: blockSize is immutable; add a new pool with the new block size instead"},
	"spec.ipipMode":          {LevelHigh, "pod traffic between nodes changes encapsulation; a fabric that does not route pod addresses drops it without IPIP"},
	"spec.vxlanMode":         {LevelHigh, "pod traffic between nodes changes encapsulation"},
	"spec.disableBGPExport":  {LevelHigh, "the pool's routes are advertised, or withdrawn, over BGP"},
	"spec.natOutgoing":       {LevelMedium, "pods' traffic leaving the pool is NATed, or no longer NATed, to the node's address"},
	"spec.disabled":          {LevelMedium, "new pods get addresses from it, or no longer do; existing pods keep theirs"},
	"spec.nodeSelector":      {LevelMedium, "the nodes allocating from it change; existing pods keep their addresses"},
	"spec.namespaceSelector": {LevelMedium, "the namespaces allocating from it change"},
	"spec.allowedUses":       {LevelMedium, "what may allocate from it changes"},
	"spec.assignmentMode":    {LevelMedium, "how addresses are assigned from it changes"},
}

// pools summarises the IPPools added, removed and changed.
func (b *builder) pools() {
	for _, c := range b.r.Objects {
		if c.Kind != "IPPool" {
			continue
		}
		pc := PoolChange{Name: c.Name, Op: c.Op, Position: c.Position}
		if o := b.headByID[c.ID]; o != nil {
			pc.CIDR = o.Object.(*v3.IPPool).Spec.CIDR
		} else if o := b.baseByID[c.ID]; o != nil {
			pc.CIDR = o.Object.(*v3.IPPool).Spec.CIDR
		}
		switch c.Op {
		case diff.Added:
			b.risk(LevelLow, "pool-added", c.ID, fmt.Sprintf("adds pool %s (%s)", c.Name, pc.CIDR), c.Position)
		case diff.Removed:
			b.risk(LevelHigh, "pool-removed", c.ID,
				fmt.Sprintf("removes pool %s (%s): no new addresses come from it, and pods holding its addresses lose their IPAM pool", c.Name, pc.CIDR), c.Position)
		case diff.Changed:
			for _, f := range c.Fields {
				pc.Changes = append(pc.Changes, f.String())
				field := f.Path
				if i := strings.IndexByte(field, '['); i > 0 {
					field = field[:i]
				}
				if w, ok := poolFields[field]; ok {
					b.risk(w.level, "pool-"+strings.ToLower(strings.TrimPrefix(field, "spec."))+"-changed", c.ID,
						fmt.Sprintf("changes %s of pool %s: %s", f.String(), c.Name, w.effect), f.Position)
				}
			}
		}
		b.r.Pools = append(b.r.Pools, pc)
	}
}
