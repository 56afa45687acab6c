package validate

import (
	"fmt"
	"sort"

	"github.com/tabbynet/tabby/manifest"
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
	Position manifest.Position `json:"position"`
	// Related lists other places that explain the finding: the pool a pool
	// overlaps, the Fabric router a peer contradicts.
	Related []Related `json:"related,omitempty"`
	// Trace explains a finding that comes from evaluating policy: every
	// tier, policy and rule consulted, one per line.
	Trace []string `json:"trace,omitempty"`
	// Truncated is set on a findings-truncated finding only: it stands for
	// findings of one code left out of the result, and is the first of
	// them, with their severity.
	Truncated *Truncation `json:"truncated,omitempty"`
}

// Truncation counts the findings of one code a result leaves out, beyond
// Input.MaxFindingsPerCode.
type Truncation struct {
	// Code is the code of the findings left out.
	Code string `json:"code"`
	// Count is how many were left out, the one carrying the Truncation
	// included.
	Count int `json:"count"`
}

// Related is another place a finding refers to: a field of an object of
// the repository, located by Position, or an object of the cluster, named by
// Object and without a Position.
type Related struct {
	Message  string            `json:"message"`
	Object   string            `json:"object,omitempty"`
	Position manifest.Position `json:"position,omitzero"`
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

// Findings is the result of a validation, sorted by file, line, object,
// field, code and message. It lists at most Input.MaxFindingsPerCode
// findings of each code; a findings-truncated finding stands for the rest,
// so that Errors and Warnings count every finding, listed or not.
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
		if f.Severity != s {
			continue
		}
		if f.Truncated != nil {
			n += f.Truncated.Count
		} else {
			n++
		}
	}
	return n
}

func (fs Findings) sort() {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].before(&fs[j]) })
}

// before is the order of Findings: by file, line, object, field, code and
// message, so that findings of one field and code, which checks may make in
// any order, are listed and truncated alike on every run.
func (f *Finding) before(g *Finding) bool {
	if f.Position.File != g.Position.File {
		return f.Position.File < g.Position.File
	}
	if f.Position.Line != g.Position.Line {
		return f.Position.Line < g.Position.Line
	}
	if f.Object != g.Object {
		return f.Object < g.Object
	}
	if f.Field != g.Field {
		return f.Field < g.Field
	}
	if f.Code != g.Code {
		return f.Code < g.Code
	}
	return f.Message < g.Message
}
