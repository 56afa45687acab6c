package plan

import (
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// findings validates both revisions and splits head's findings into new
// and existing ones. Every error of head blocks: the controller would
// refuse the revision.
func (b *builder) findings() {
	b.baseF = b.validate(b.base)
	b.headF = b.validate(b.head)
	inBase := counts(b.baseF)
	inHead := counts(b.headF)
	f := Findings{New: validate.Findings{}, Existing: validate.Findings{}, Fixed: validate.Findings{}}
	for _, x := range b.headF {
		k := findingKey(x)
		if inBase[k] > 0 {
			inBase[k]--
			f.Existing = append(f.Existing, x)
		} else {
			f.New = append(f.New, x)
		}
	}
	for _, x := range b.baseF {
		k := findingKey(x)
		if inHead[k] > 0 {
			inHead[k]--
			continue
		}
		f.Fixed = append(f.Fixed, x)
	}
	b.r.Findings = f
	for _, x := range f.New {
		if x.Severity == validate.SeverityError {
			b.risk(LevelBlocking, x.Code, x.Object, x.Message, x.Position)
		}
	}
	for _, x := range f.Existing {
		if x.Severity == validate.SeverityError {
			b.risk(LevelBlocking, x.Code, x.Object, x.Message+" (already in base)", x.Position)
		}
	}
}

func (b *builder) validate(bundle *render.Bundle) validate.Findings {
	return validate.Validate(validate.Input{
		Objects:      bundle.Objects,
		Locate:       bundle.Locate,
		Live:         b.in.Cluster,
		ServiceCIDRs: b.in.ServiceCIDRs,
		PodCIDRs:     b.in.PodCIDRs,
	})
}

// findingKey identifies a finding across revisions: lines move, messages
// may quote them, code, object and field do not.
func findingKey(f validate.Finding) string {
	return f.Code + "\x00" + f.Object + "\x00" + f.Field
}

func counts(fs validate.Findings) map[string]int {
	m := make(map[string]int, len(fs))
	for _, f := range fs {
		m[findingKey(f)]++
	}
	return m
}
