package validate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tabbynet/tabby/manifest"
)

// stricterNote ends the message of every rule Calico does not enforce.
const stricterNote = " [stricter than Calico]"

// reporter reports findings on one object.
type reporter struct {
	v   *validation
	obj *manifest.Object
}

func (v *validation) reporter(o *manifest.Object) *reporter {
	return &reporter{v: v, obj: o}
}

// report adds a finding of rule c on field, with a message built like
// fmt.Sprintf.
func (r *reporter) report(c *Code, field, format string, args ...any) {
	r.v.add(c, r.obj, field, fmt.Sprintf(format, args...), nil)
}

// addTrace records a finding that carries a trace: the lines of an
// evaluation that explain it.
func (v *validation) addTrace(c *Code, o *manifest.Object, field, msg string, related []Related, trace []string) {
	f := v.finding(c, o, field, msg, related)
	f.Trace = trace
	v.out.add(f)
}

// add records a finding of rule c on field of o.
func (v *validation) add(c *Code, o *manifest.Object, field, msg string, related []Related) {
	v.out.add(v.finding(c, o, field, msg, related))
}

// finding makes a finding of rule c on field of o.
func (v *validation) finding(c *Code, o *manifest.Object, field, msg string, related []Related) Finding {
	if c.Stricter {
		msg += stricterNote
	}
	return Finding{
		Code:               c.ID,
		Severity:           c.Severity,
		Object:             o.ID(),
		Field:              field,
		Message:            msg,
		StricterThanCalico: c.Stricter,
		Position:           v.position(o, field),
		Related:            related,
	}
}

// position locates a field of o, or o itself when it has no source file.
func (v *validation) position(o *manifest.Object, field string) manifest.Position {
	if o.Source.File == "" {
		return manifest.Position{}
	}
	if v.in.Locate != nil {
		return v.in.Locate(o, field)
	}
	return manifest.Position{File: o.Source.File, Line: o.Source.Line}
}

// related returns a Related entry pointing at a field of another object.
// An object of the cluster has no file to point at: the entry names it, and
// its message says where it is.
func (v *validation) related(o *manifest.Object, field, format string, args ...any) Related {
	msg := fmt.Sprintf(format, args...)
	if o.Source.File == "" && !v.world.isMine(o) {
		msg += " (in the cluster)"
	}
	return Related{Message: msg, Object: o.ID(), Position: v.position(o, field)}
}

// fieldPath builds field paths: fieldPath("spec.ingress", 0, "action")
// gives spec.ingress[0].action.
func fieldPath(parts ...any) string {
	var b strings.Builder
	b.Grow(32)
	for _, p := range parts {
		switch p := p.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p))
			b.WriteByte(']')
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		}
	}
	return b.String()
}
