package validate

import (
	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

// world is every object validation knows of: the objects being validated
// and the live objects they do not replace, by kind.
type world struct {
	byKind map[string][]*manifest.Object // "Kind.group" → objects
	mine   map[*manifest.Object]bool     // objects being validated
}

func newWorld(in Input) *world {
	w := &world{byKind: map[string][]*manifest.Object{}, mine: map[*manifest.Object]bool{}}
	ids := make(map[string]bool, len(in.Objects))
	for _, o := range in.Objects {
		ids[o.ID()] = true
		w.mine[o] = true
		w.add(o)
	}
	if in.PerObject {
		return w
	}
	for _, o := range in.Live {
		if !ids[o.ID()] {
			w.add(o)
		}
	}
	for _, n := range in.Nodes {
		o := &manifest.Object{Kind: nodeKind, Object: n}
		if !ids[o.ID()] {
			ids[o.ID()] = true
			w.add(o)
		}
	}
	return w
}

var nodeKind, _ = api.LookupKind(v3.GroupVersion.WithKind("Node"))

func (w *world) add(o *manifest.Object) {
	key := o.Kind.Kind + "." + o.Kind.Group
	w.byKind[key] = append(w.byKind[key], o)
}

// of returns the objects of a projectcalico.org kind.
func (w *world) of(kind string) []*manifest.Object {
	return w.byKind[kind+"."+v3.GroupName]
}

// isMine reports whether o is being validated (rather than live context).
func (w *world) isMine(o *manifest.Object) bool { return w.mine[o] }
