package plan

import (
	"net/netip"
	"sort"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// Input is what a plan compares.
type Input struct {
	// Path is the repository path planned; BaseName and HeadName label the
	// revisions, e.g. "main (3f2a1c9)".
	Path, BaseName, HeadName string

	// Base and Head are the rendered revisions. Base is nil when the path
	// does not exist in base, or does not render (BaseErrors say why):
	// head is then compared against nothing.
	Base, Head *render.Bundle
	BaseErrors []string
	// HeadErrors are why head does not render; they block.
	HeadErrors render.ErrorList

	// Cluster holds Calico Node and Inventory objects that describe the
	// cluster's nodes, namespaces and pods, in addition to those among the
	// revisions' objects: an inventory file, or the live cluster's nodes.
	Cluster []*manifest.Object
	// Workloads are more namespaces, service accounts and pods (from a live
	// cluster); its Objects are ignored.
	Workloads policies.Input

	// ServiceCIDRs and PodCIDRs are the cluster's, when known.
	ServiceCIDRs, PodCIDRs []netip.Prefix
}

// Compute reviews the change from in.Base to in.Head. A head that does not
// render is reported by its errors alone, each a blocking render-error: with
// nothing rendered, every object of base would otherwise show as removed.
func Compute(in Input) *Report {
	b := newBuilder(in)
	for _, e := range in.HeadErrors {
		b.r.HeadErrors = append(b.r.HeadErrors, e.Error())
		b.risk(LevelBlocking, "render-error", "head", e.Msg, manifest.Position{File: e.File, Line: e.Line, Column: e.Column})
	}
	if len(in.HeadErrors) > 0 {
		b.finish()
		return b.r
	}
	b.findings()
	b.objects()
	b.bgp()
	b.pools()
	b.policy()
	b.finish()
	return b.r
}

// builder assembles a Report.
type builder struct {
	in         Input
	r          *Report
	base, head *render.Bundle // never nil: an empty bundle stands for none
	headByID   map[string]*manifest.Object
	baseByID   map[string]*manifest.Object
	baseF      validate.Findings
	headF      validate.Findings
}

func newBuilder(in Input) *builder {
	b := &builder{in: in, base: in.Base, head: in.Head}
	if b.base == nil {
		b.base = &render.Bundle{}
	}
	if b.head == nil {
		b.head = &render.Bundle{}
	}
	b.r = &Report{Path: in.Path, Base: in.BaseName, Head: in.HeadName, BaseErrors: in.BaseErrors,
		Risks: []Risk{}, Objects: []ObjectChange{}, ReviewOnly: []ObjectChange{}, Pools: []PoolChange{}}
	b.headByID = byID(b.head.Objects)
	b.baseByID = byID(b.base.Objects)
	return b
}

func byID(objs []*manifest.Object) map[string]*manifest.Object {
	m := make(map[string]*manifest.Object, len(objs))
	for _, o := range objs {
		m[o.ID()] = o
	}
	return m
}

// risk records a reason the change is risky.
func (b *builder) risk(level Level, rule, subject, reason string, pos manifest.Position) {
	b.r.Risks = append(b.r.Risks, Risk{Level: level, Rule: rule, Subject: subject, Reason: reason, Position: pos})
}

// locate places a field of an object of head, or of base when head does
// not have it.
func (b *builder) locate(id, field string) manifest.Position {
	if o := b.headByID[id]; o != nil {
		return b.head.Locate(o, field)
	}
	if o := b.baseByID[id]; o != nil {
		return b.base.Locate(o, field)
	}
	return manifest.Position{}
}

// inventories returns the Inventory objects among the cluster's and
// head's objects.
func (b *builder) inventories() []*v1alpha1.Inventory {
	var out []*v1alpha1.Inventory
	for _, objs := range [][]*manifest.Object{b.in.Cluster, b.head.Objects} {
		for _, o := range objs {
			if inv, ok := o.Object.(*v1alpha1.Inventory); ok {
				out = append(out, inv)
			}
		}
	}
	return out
}

// finish sorts the risks, most severe first, and sets the verdict.
func (b *builder) finish() {
	r := b.r
	sort.SliceStable(r.Risks, func(i, j int) bool {
		a, c := r.Risks[i], r.Risks[j]
		if a.Level.rank() != c.Level.rank() {
			return a.Level.rank() > c.Level.rank()
		}
		if a.Rule != c.Rule {
			return a.Rule < c.Rule
		}
		if a.Subject != c.Subject {
			return a.Subject < c.Subject
		}
		return a.Reason < c.Reason
	})
	r.Risk = LevelNone
	if len(r.Objects) > 0 {
		r.Risk = LevelLow
	}
	for _, k := range r.Risks {
		if k.Level.rank() > r.Risk.rank() {
			r.Risk = k.Level
		}
	}
	r.Blocking = r.Risk == LevelBlocking
}
