package plan

import (
	"reflect"
	"testing"

	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
	"github.com/tabbynet/tabby/validate"
)

// fromRepo stands, in sampleReport, for every string that comes from the
// repository; inject replaces it.
const fromRepo = "\x00from-repo\x00"

// sampleReport is a report with every section and every list populated:
// each string a repository can put there is fromRepo. The strings it does
// not hold are the ones the writers branch on (a finding's code, a test's
// result), which plan sets itself.
func sampleReport() *Report {
	s := fromRepo
	pos := manifest.Position{File: s, Line: 12, Column: 3}
	finding := func(code string) validate.Finding {
		return validate.Finding{
			Code: code, Severity: validate.SeverityError, Object: s, Field: s, Message: s, Position: pos,
			Related: []validate.Related{{Message: s, Object: s, Position: pos}},
			Trace:   []string{s, s},
		}
	}
	ref := SessionRef{Peer: s, PeerAS: s, PeerNode: s, Type: s, Source: s}
	r := &Report{
		Path: s, Base: s, Head: s,
		Blocking: true, Risk: Level(s),
		Risks:      []Risk{{Level: Level(s), Rule: s, Subject: s, Reason: s, Position: pos}},
		BaseErrors: []string{s},
		HeadErrors: []string{s},
		Summary:    Summary{Added: 1, Removed: 1, Changed: 1, FlowsChanged: 2},
		Findings: Findings{
			New:      validate.Findings{finding(s), finding("pool-overlap")},
			Existing: validate.Findings{finding(s)},
			Fixed:    validate.Findings{finding(s)},
		},
		Objects: []ObjectChange{{ID: s, Kind: s, Namespace: s, Name: s, Op: diff.Op(s), Position: pos,
			Fields: []FieldChange{{Field: diff.Field{Path: s, Before: s, After: s}, Position: pos}}}},
		ReviewOnly: []ObjectChange{{ID: s, Kind: s, Namespace: s, Name: s, Op: diff.Op(s), Position: pos,
			Fields: []FieldChange{{Field: diff.Field{Path: s, Before: s, After: s}, Position: pos}}}},
		BGP: BGPImpact{
			Nodes: 2, FullMeshPairs: 1,
			Changed: []NodeImpact{{
				Node: s, Before: 1, After: 2, Role: s,
				Added:   []SessionRef{ref},
				Removed: []SessionRef{ref},
				Changed: []SessionChange{{SessionRef: ref, Changes: []string{s, s}, PeerASChanged: true}},
			}},
			Isolated:        []string{s, s},
			FabricConflicts: []FabricConflict{{Node: s, Peer: s, PeerAS: s, Router: s, RouterAS: s, Fabric: s, Source: s}},
			Problems:        []string{s},
		},
		Pools: []PoolChange{{Name: s, Op: diff.Op(s), CIDR: s, Changes: []string{s}, Position: pos}},
		Policy: PolicyImpact{
			Tests: []TestCase{
				{Test: s, Case: s, Expect: s, Before: "pass", After: "fail", Message: s, Trace: []string{s}, Position: pos},
				{Test: s, Case: s, Expect: s, Before: "absent", After: "pass", Message: s, Trace: []string{s}, Position: pos},
			},
			Evaluated: 4,
			Flows: []FlowChange{{From: s, To: s, Protocol: s, Port: 53, Before: policies.Verdict(s), After: policies.Verdict(s),
				Decision: s, Position: pos, BeforeDecision: s}},
			Problems: []string{s},
		},
	}
	r.Summary.Sessions.Added, r.Summary.Sessions.Changed = 1, 1
	return r
}

// inject replaces fromRepo with s in every string of r.
func inject(r *Report, s string) {
	injectValue(reflect.ValueOf(r).Elem(), s)
}

func injectValue(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		if v.String() == fromRepo {
			v.SetString(s)
		}
	case reflect.Interface:
		if e := v.Elem(); e.Kind() == reflect.String && e.String() == fromRepo {
			v.Set(reflect.ValueOf(s))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			injectValue(v.Field(i), s)
		}
	case reflect.Slice:
		for i := range v.Len() {
			injectValue(v.Index(i), s)
		}
	}
}

// TestSampleReportComplete checks sampleReport fills every string field of
// a Report, and every list, so that a field added later is covered by the
// tests that inject hostile strings.
func TestSampleReportComplete(t *testing.T) {
	// Set by plan itself, and branched on by the writers.
	own := map[string]bool{"Finding.Code": true, "TestCase.Before": true, "TestCase.After": true}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String, reflect.Interface:
			if !v.IsZero() || own[path] {
				return
			}
			t.Errorf("%s is empty in sampleReport", path)
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), v.Type().Name()+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			if v.Len() == 0 {
				t.Errorf("%s is empty in sampleReport", path)
			}
			for i := range v.Len() {
				walk(v.Index(i), path)
			}
		}
	}
	walk(reflect.ValueOf(*sampleReport()), "Report")
}
