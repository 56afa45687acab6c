package plan

import (
	"encoding/json"
	"io"
	"path"

	"github.com/tabbynet/tabby/internal/sarif"
	"github.com/tabbynet/tabby/validate"
)

const docsURI = "https://github.com/tabbynet/tabby/blob/main/docs/"

// WriteSARIF writes the report as SARIF 2.1.0: every finding of head (new
// ones with baselineState "new", those base has too "unchanged") and every
// risk that is not a finding, located in the repository (paths relative to
// its root, %SRCROOT%): where it is written, else at the first line of the
// planned path's kustomization. version is the tool version to record.
func (r *Report) WriteSARIF(w io.Writer, version string) error {
	log := sarif.New(version, r.kustomization())
	for _, set := range []struct {
		fs    validate.Findings
		state string
	}{{r.Findings.New, "new"}, {r.Findings.Existing, "unchanged"}} {
		for _, f := range set.fs {
			log.Add(FindingRule(f.Code), FindingResult(f, set.state))
		}
	}
	findingRule := map[string]bool{}
	for _, c := range validate.Codes() {
		findingRule[c.ID] = true
	}
	for _, k := range r.Risks {
		if findingRule[k.Rule] {
			continue // reported above as a finding
		}
		log.Add(sarif.Rule{ID: k.Rule, Title: ruleTitle(k.Rule), HelpURI: docsURI + "plan.md#" + k.Rule}, sarif.Result{
			RuleID: k.Rule, Level: sarifLevel(k.Level), Message: k.Subject + ": " + k.Reason,
			File: k.Position.File, Line: k.Position.Line, Column: k.Position.Column, BaselineState: "new",
			Identity: []string{k.Rule, k.Subject, k.Reason},
		})
	}
	return log.Write(w)
}

// FindingRule is the SARIF rule of a finding's code, documented in
// docs/findings.md.
func FindingRule(code string) sarif.Rule {
	return sarif.Rule{ID: code, Title: ruleTitle(code), HelpURI: docsURI + "findings.md#" + code}
}

// FindingResult is the SARIF result of a finding: tabby validate's SARIF
// and plan's write a finding alike.
func FindingResult(f validate.Finding, baseline string) sarif.Result {
	return sarif.Result{
		RuleID: f.Code, Level: string(f.Severity), Message: f.Message,
		File: f.Position.File, Line: f.Position.Line, Column: f.Position.Column, BaselineState: baseline,
		Identity: []string{f.Code, f.Object, f.Field},
	}
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func sarifLevel(l Level) string {
	switch l {
	case LevelBlocking:
		return "error"
	case LevelHigh:
		return "warning"
	}
	return "note"
}

// kustomization is where a result about the planned path as a whole is
// placed: its kustomization.
func (r *Report) kustomization() string {
	return path.Join(r.Path, "kustomization.yaml")
}
