package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Field is one difference between two objects.
type Field struct {
	// Path is the field's path, in the format manifest.ParseFieldPath reads
	// and render.Bundle.Locate finds: spec.ingress[1].action. An element
	// added to or removed from a list is at its index in the list that
	// holds it (After's for an addition, Before's for a removal); one of a
	// set is at the set's own path.
	Path string `json:"path"`
	// Before is the value before, as JSON decodes it (map[string]any,
	// []any, string, json.Number, bool), or nil when it was absent.
	Before any `json:"before,omitempty"`
	// After is the value after, or nil when it is absent.
	After any `json:"after,omitempty"`
}

// maxValue bounds, in bytes, each value String shows.
const maxValue = 80

// String renders the field on one line, values as short JSON:
// `spec.asNumber: 64513 → 64512`, `spec.nets: added "10.0.0.0/8"`.
func (f Field) String() string {
	switch {
	case f.Before == nil && f.After == nil:
		return f.Path
	case f.Before == nil:
		return f.Path + ": added " + Value(f.After)
	case f.After == nil:
		return f.Path + ": removed " + Value(f.Before)
	}
	return f.Path + ": " + Value(f.Before) + " → " + Value(f.After)
}

// Value renders a field value v as compact JSON, cut to 80 bytes with an
// ellipsis: how diffs, drift reports and plans show values.
func Value(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // selectors hold & and >
	s := ""
	if err := enc.Encode(v); err != nil {
		s = fmt.Sprint(v)
	} else {
		s = string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	if len(s) <= maxValue {
		return s
	}
	cut := maxValue - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
