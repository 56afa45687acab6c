// Package sarif writes SARIF 2.1.0 logs: the subset code-scanning tools,
// GitHub code scanning among them, read. tabby plan and tabby validate
// write their results with it, so that both produce the same log for the
// same finding.
//
// Every result is located: code scanning refuses results without a
// location, so a result given none is placed at the first line of the
// log's fallback file. Paths are relative to the repository root
// (%SRCROOT%).
package sarif

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"sort"
)

// Result is one result of a log.
type Result struct {
	// RuleID is the finding's code or plan rule, e.g. peer-asn-fabric-mismatch.
	RuleID string
	// Level is error, warning or note.
	Level   string
	Message string
	// File, Line and Column locate the result; File is relative to the
	// repository root. An empty File places it at the log's fallback.
	File         string
	Line, Column int
	// BaselineState is new, unchanged or empty.
	BaselineState string
	// Identity are the parts that identify the result across revisions
	// (lines move): its partial fingerprint is computed from them.
	Identity []string
}

// Rule describes a RuleID.
type Rule struct {
	ID, Title, HelpURI string
}

// Log collects the results of one run.
type Log struct {
	version  string
	fallback string
	rules    map[string]Rule
	results  []Result
}

// New returns an empty log of tabby at version. fallback is the file, relative
// to the repository root, where results without a location are placed:
// the kustomization of the path checked.
func New(version, fallback string) *Log {
	return &Log{version: version, fallback: fallback, rules: map[string]Rule{}}
}

// Add adds a result, and its rule unless the log has it already.
func (l *Log) Add(rule Rule, r Result) {
	if _, ok := l.rules[rule.ID]; !ok {
		l.rules[rule.ID] = rule
	}
	l.results = append(l.results, r)
}

// Write writes the log as indented JSON.
func (l *Log) Write(w io.Writer) error {
	ids := make([]string, 0, len(l.rules))
	for id := range l.rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	driver := driver{Name: "tabby", Version: l.version, InformationURI: "https://github.com/tabbynet/tabby", Rules: []rule{}}
	for _, id := range ids {
		r := l.rules[id]
		driver.Rules = append(driver.Rules, rule{ID: r.ID, ShortDescription: message{Text: r.Title}, HelpURI: r.HelpURI})
	}
	results := make([]result, 0, len(l.results))
	for _, r := range l.results {
		results = append(results, result{
			RuleID: r.RuleID, Level: r.Level, Message: message{Text: r.Message},
			Locations: l.locations(r), BaselineState: r.BaselineState,
			PartialFingerprints: fingerprint(r.Identity),
		})
	}
	out := log{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []run{{Tool: tool{Driver: driver}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// locations places r where it says, or at the first line of the fallback.
func (l *Log) locations(r Result) []location {
	file, at := r.File, &region{StartLine: r.Line, StartColumn: r.Column}
	if file == "" {
		file, at = l.fallback, &region{StartLine: 1}
	}
	if at.StartLine < 1 {
		at = &region{StartLine: 1}
	}
	return []location{{PhysicalLocation: physical{
		ArtifactLocation: artifact{URI: file, URIBaseID: "%SRCROOT%"}, Region: at}}}
}

// fingerprint identifies a result across revisions, so that code scanning
// tracks one alert rather than opening a new one per push.
func fingerprint(parts []string) map[string]string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return map[string]string{"tabby/v1": hex.EncodeToString(h.Sum(nil))[:32]}
}

// Document is a SARIF log as Write writes it, for reading one back.
type Document = log

// The SARIF 2.1.0 objects written.
type (
	log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []run  `json:"runs"`
	}
	run struct {
		Tool    tool     `json:"tool"`
		Results []result `json:"results"`
	}
	tool struct {
		Driver driver `json:"driver"`
	}
	driver struct {
		Name           string `json:"name"`
		Version        string `json:"version,omitempty"`
		InformationURI string `json:"informationUri"`
		Rules          []rule `json:"rules"`
	}
	rule struct {
		ID               string  `json:"id"`
		ShortDescription message `json:"shortDescription"`
		HelpURI          string  `json:"helpUri,omitempty"`
	}
	result struct {
		RuleID              string            `json:"ruleId"`
		Level               string            `json:"level"`
		Message             message           `json:"message"`
		Locations           []location        `json:"locations"`
		BaselineState       string            `json:"baselineState,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	message struct {
		Text string `json:"text"`
	}
	location struct {
		PhysicalLocation physical `json:"physicalLocation"`
	}
	physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           *region  `json:"region,omitempty"`
	}
	artifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)
