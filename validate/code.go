package validate

import (
	"sort"
)

// Code describes a rule: its identifier, its severity, and an example that
// triggers it (the documentation in docs/findings.md is generated from the
// examples, each of which a test validates).
type Code struct {
	ID       string
	Severity Severity
	// Stricter marks rules Calico does not enforce: their messages end
	// with "[stricter than Calico]" and their findings carry
	// StricterThanCalico.
	Stricter bool
	// Title is a one-line description.
	Title string
	// Example is a set of manifests that triggers the rule.
	Example string

	// exampleInput adds to the Input that validates Example what the
	// manifests alone cannot say, such as the cluster's service CIDRs.
	exampleInput func(*Input)
}

var registry = map[string]*Code{}

// define registers a rule's code. Codes are defined once, at package
// initialisation, next to the checks that use them.
func define(c Code) *Code {
	if _, dup := registry[c.ID]; dup {
		panic("validate: code " + c.ID + " defined twice") // a programming error caught by every test run
	}
	registry[c.ID] = &c
	return &c
}

// Codes returns every rule's code, sorted by ID.
func Codes() []Code {
	out := make([]Code, 0, len(registry))
	for _, c := range registry {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
