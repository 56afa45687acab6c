package policies

import (
	"fmt"
	"strings"

	"github.com/tabbynet/tabby/manifest"
)

// Locator returns where a field of a rendered object is written; a
// Bundle's Locate method is one.
type Locator func(o *manifest.Object, field string) manifest.Position

// TraceLines formats a result as indented lines, one per tier, policy, rule
// consulted and profile, ending each direction with its decision. The rule
// that decided is marked with "=>". locate places policies and rules in
// their files; it may be nil.
func TraceLines(res Result, locate Locator) []string {
	var lines []string
	for _, d := range []*DirectionResult{res.Egress, res.Ingress} {
		if d == nil {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s of %s: %s", d.Direction, d.Endpoint, d.Verdict))
		for _, t := range d.Tiers {
			lines = append(lines, fmt.Sprintf("  tier %s (order %s, default %s): %s", t.Name, orderString(t.Order), t.DefaultAction, t.Outcome))
			for _, p := range t.Policies {
				lines = append(lines, fmt.Sprintf("    policy %s (order %s) at %s: %s", policyName(p.PolicyRef), orderString(p.Order), where(locate, p.Object, "", p.Source), p.Outcome))
				for _, r := range p.Rules {
					mark, what := "  ", "no match"
					if r.Matched {
						what = "matched"
					}
					if decided(d.Decision, p.PolicyRef, r) {
						mark = "=>"
					}
					line := fmt.Sprintf("    %s rule %d %s at %s: %s", mark, r.Index, r.Action, where(locate, p.Object, r.Field, p.Source), what)
					if r.Reason != "" {
						line += ": " + r.Reason
					}
					lines = append(lines, line)
				}
			}
		}
		for _, p := range d.Profiles {
			verdict := "no"
			if p.Allowed {
				verdict = "allows"
			}
			lines = append(lines, fmt.Sprintf("  profile %s: %s (%s)", p.Name, verdict, p.Reason))
		}
		lines = append(lines, "  decision: "+d.Decision.Summary)
	}
	for _, n := range res.Notes {
		lines = append(lines, "note: "+n)
	}
	return lines
}

func decided(d Decision, p PolicyRef, r RuleTrace) bool {
	return d.Kind == DecisionRule && d.Policy != nil && d.Rule != nil && *d.Rule == r.Index &&
		d.Policy.Kind == p.Kind && d.Policy.Namespace == p.Namespace && d.Policy.Name == p.Name
}

func policyName(p PolicyRef) string {
	if p.Namespace != "" {
		return p.Namespace + "/" + p.Name
	}
	return p.Name
}

func orderString(o *float64) string {
	if o == nil {
		return "none"
	}
	return strings.TrimSuffix(fmt.Sprintf("%g", *o), ".0")
}

// where places a field of a policy: in its file when it can, at the
// object's source otherwise.
func where(locate Locator, o *manifest.Object, field string, src manifest.Source) string {
	if locate != nil && o != nil && o.Source.File != "" {
		return locate(o, field).String()
	}
	if src.File != "" {
		return src.String()
	}
	return "(cluster)"
}
