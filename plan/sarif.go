package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"path"
	"sort"

	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// SARIF 2.1.0, the subset code-scanning tools (GitHub code scanning among
// them) read.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
		HelpURI          string       `json:"helpUri,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		BaselineState       string            `json:"baselineState,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

const docsURI = "https://github.com/tabbynet/tabby/blob/main/docs/"

// WriteSARIF writes the report as SARIF 2.1.0: every finding of head (new
// ones with baselineState "new", those base has too "unchanged") and every
// risk that is not a finding, located in the repository (paths relative to
// its root, %SRCROOT%): where it is written, else at the first line of the
// planned path's kustomization. version is the tool version to record.
func (r *Report) WriteSARIF(w io.Writer, version string) error {
	var results []sarifResult
	rules := map[string]sarifRule{}
	addRule := func(id, doc string) {
		if _, ok := rules[id]; !ok {
			rules[id] = sarifRule{ID: id, ShortDescription: sarifMessage{Text: ruleTitle(id)}, HelpURI: docsURI + doc + "#" + id}
		}
	}
	for _, set := range []struct {
		fs    validate.Findings
		state string
	}{{r.Findings.New, "new"}, {r.Findings.Existing, "unchanged"}} {
		for _, f := range set.fs {
			addRule(f.Code, "findings.md")
			results = append(results, sarifResult{
				RuleID: f.Code, Level: string(f.Severity), Message: sarifMessage{Text: f.Message},
				Locations: locations(f.Position, r.kustomization()), BaselineState: set.state,
				PartialFingerprints: fingerprint(f.Code, f.Object, f.Field),
			})
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
		addRule(k.Rule, "plan.md")
		results = append(results, sarifResult{
			RuleID: k.Rule, Level: sarifLevel(k.Level), Message: sarifMessage{Text: k.Subject + ": " + k.Reason},
			Locations: locations(k.Position, r.kustomization()), BaselineState: "new",
			PartialFingerprints: fingerprint(k.Rule, k.Subject, k.Reason),
		})
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	driver := sarifDriver{Name: "tabby", Version: version, InformationURI: "https://github.com/tabbynet/tabby", Rules: []sarifRule{}}
	for _, id := range ids {
		driver.Rules = append(driver.Rules, rules[id])
	}
	if results == nil {
		results = []sarifResult{}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
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

// locations places a result at p, or, when p names no file, at the first
// line of fallback: code scanning refuses results without a location.
func locations(p render.Position, fallback string) []sarifLocation {
	if p.File == "" {
		p = render.Position{File: fallback, Line: 1}
	}
	region := &sarifRegion{StartLine: p.Line, StartColumn: p.Column}
	if p.Line < 1 {
		region = &sarifRegion{StartLine: 1}
	}
	return []sarifLocation{{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: p.File, URIBaseID: "%SRCROOT%"}, Region: region}}}
}

// kustomization is where a result about the planned path as a whole is
// placed: its kustomization.
func (r *Report) kustomization() string {
	return path.Join(r.Path, "kustomization.yaml")
}

// fingerprint identifies a result across revisions (lines move), so that
// code scanning tracks one alert rather than opening a new one per push.
func fingerprint(parts ...string) map[string]string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return map[string]string{"tabby/v1": hex.EncodeToString(h.Sum(nil))[:32]}
}
