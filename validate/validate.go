package validate

import (
	"net/netip"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// Input is what Validate checks.
type Input struct {
	// Objects are validated, each by itself and against each other.
	Objects []*manifest.Object

	// Locate returns the position of a field of an object. When nil,
	// findings carry the position of the object itself.
	Locate func(o *manifest.Object, field string) manifest.Position

	// Live are objects already in the cluster. They are not validated
	// themselves, but Objects are checked against them: a pool overlapping
	// a live pool, a peer of a router of a live Fabric, a policy in a live
	// tier. A live object with the ID of one of Objects is replaced by it.
	Live []*manifest.Object

	// ServiceCIDRs and PodCIDRs are the cluster's, when known; pools must
	// not overlap them.
	ServiceCIDRs []netip.Prefix
	PodCIDRs     []netip.Prefix

	// Nodes is an inventory of the cluster's nodes, when known, in addition
	// to the Node objects among Objects and Live.
	Nodes []*v3.Node

	// PerObject, when true, runs only the rules that look at each object by
	// itself: no cross-object check, and Live is not consulted. It is for
	// objects that belong to a revision already validated as a whole and
	// reach the API server one at a time, in an order in which the
	// half-applied cluster fails cross-object checks (a policy's dry-run
	// before its tier exists): the webhook uses it for the controller's
	// own writes.
	PerObject bool

	// RenderErrors are the problems the render of Objects found (YAML
	// syntax, unknown fields, duplicates): Objects are then the objects that
	// could be decoded. They are reported with the findings of the rest, so
	// that one run shows every problem.
	RenderErrors render.ErrorList

	// MaxFindingsPerCode bounds the findings of each code the result
	// lists: past it, one findings-truncated finding, at the first of those
	// left out, stands for them all, so that the result's size, and the
	// memory a validation holds, stay bounded whatever the repository, while
	// Findings.Errors and Warnings still count every finding. 0 means
	// DefaultMaxFindingsPerCode; a negative value lists every finding.
	MaxFindingsPerCode int
}

// ForBundle returns the Input that validates a rendered Bundle by itself.
func ForBundle(b *render.Bundle) Input {
	return Input{Objects: b.Objects, Locate: b.Locate}
}

// Validate checks in and returns every finding, sorted by position.
func Validate(in Input) Findings {
	v := &validation{in: &in, world: newWorld(in), out: newLimitedFindings(in.MaxFindingsPerCode)}
	for _, o := range in.Objects {
		v.object(o)
	}
	if !in.PerObject {
		for _, check := range crossChecks {
			check(v)
		}
	}
	for _, f := range renderFindings(in.RenderErrors) {
		v.out.add(f)
	}
	return v.out.result()
}

// validation is the state of one Validate call.
type validation struct {
	in    *Input
	world *world
	out   *limitedFindings

	bgpCache *bgpView // computed on first use by bgp()
}

// crossChecks run once per validation, over every object.
var crossChecks []func(*validation)

// object runs the rules of one object.
func (v *validation) object(o *manifest.Object) {
	r := v.reporter(o)
	checkMetadata(r, o)
	if check, ok := objectChecks[o.Kind.Kind+"."+o.Kind.Group]; ok {
		check(r, o.Object)
	}
}

// objectChecks maps "Kind.group" to the rules of that kind.
var objectChecks = map[string]func(*reporter, any){}

// registerObjectCheck adds the rules of a kind; check receives the typed
// object.
func registerObjectCheck(kind, group string, check func(*reporter, any)) {
	objectChecks[kind+"."+group] = check
}
