package validate

import (
	"fmt"
	"sort"

	"github.com/tabbynet/tabby/render"
)

// Severity says whether a finding blocks a revision.
type Severity string

// Severities.
const (
	// SeverityError blocks the revision: nothing of it is applied.
	SeverityError Severity = "error"
	// SeverityWarning is reported and does not block.
	SeverityWarning Severity = "warning"
)

// Finding is one problem found.
type Finding struct {
	// Code identifies the rule, e.g. "peer-asn-fabric-mismatch".
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	// Object is the ID of the object concerned, e.g.
	// "projectcalico.org/BGPPeer tor-rack7".
	Object string `json:"object"`
	// Field is the path of the field concerned, e.g. spec.asNumber, or ""
	// for the object as a whole.
	Field string `json:"field,omitempty"`
	// Message says what is wrong and what to do. The message of a rule
	// Calico does not enforce ends with "[stricter than Calico]".
	Message string `json:"message"`
	// StricterThanCalico is true for a rule Calico does not enforce:
	// Calico accepts what it reports.
	StricterThanCalico bool `json:"stricterThanCalico,omitempty"`
	// Position is where the field is written; empty for live objects.
	Position render.Position `json:"position"`
	// Related lists other places that explain the finding: the pool a pool
	// overlaps, the Fabric router a peer contradicts.
	Related []Related `json:"related,omitempty"`
	// Trace explains a finding that comes from evaluating policy: every
	// tier, policy and rule consulted, one per line.
	Trace []string `json:"trace,omitempty"`
}

// Related is another place a finding refers to: a field of an object of
// the repository, located by Position, or an object of the cluster, named by
// Object and without a Position.
type Related struct {
	Message  string          `json:"message"`
	Object   string          `json:"object,omitempty"`
	Position render.Position `json:"position,omitzero"`
}

// String formats the finding compiler-style, one line that editors' and CI
// systems' problem matchers read:
// file:line:col: severity CODE: field: message. The column and the field
// are left out when unknown.
func (f Finding) String() string {
	pos := f.Position.String()
	if pos == "" {
		pos = f.Object
	} else if f.Position.Line > 0 && f.Position.Column > 0 {
		pos = fmt.Sprintf("%s:%d", pos, f.Position.Column)
	}
	if f.Field != "" {
		return fmt.Sprintf("%s: %s %s: %s: %s", pos, f.Severity, f.Code, f.Field, f.Message)
	}
	return fmt.Sprintf("%s: %s %s: %s", pos, f.Severity, f.Code, f.Message)
}

// Findings is the result of a validation, sorted by file, line, code.
type Findings []Finding

// Errors counts the findings of severity error.
func (fs Findings) Errors() int { return fs.count(SeverityError) }

// Warnings counts the findings of severity warning.
func (fs Findings) Warnings() int { return fs.count(SeverityWarning) }

// HasErrors reports whether any finding blocks the revision.
func (fs Findings) HasErrors() bool { return fs.Errors() > 0 }

func (fs Findings) count(s Severity) int {
	n := 0
	for _, f := range fs {
		if f.Severity == s {
			n++
		}
	}
	return n
}

func (fs Findings) sort() {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Position.File != b.Position.File {
			return a.Position.File < b.Position.File
		}
		if a.Position.Line != b.Position.Line {
			return a.Position.Line < b.Position.Line
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return a.Code < b.Code
	})
}
