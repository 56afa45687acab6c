package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"sigs.k8s.io/yaml"
)

// WriteYAML writes the objects of the Bundle that are applied as canonical
// YAML: one document per object in Bundle order, keys sorted, defaults spelt
// out, each document preceded by a comment naming its source. Objects of
// review-only kinds (ConnectivityTest, Inventory), which are checked but
// never applied, are left out, so that the output can be applied as it is.
// The output depends only on the Bundle, so the same repository content
// always gives the same bytes. It is written as it is encoded, object by
// object, rather than held whole.
func (b *Bundle) WriteYAML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for i, o := range b.Applied() {
		if i > 0 {
			bw.WriteString("---\n")
		}
		fmt.Fprintf(bw, "# Source: %s\n", o.Source)
		data, err := CanonicalYAML(o.Object)
		if err != nil {
			return fmt.Errorf("encode %s: %w", o.ID(), err)
		}
		if _, err := bw.Write(data); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// CanonicalYAML encodes an object as canonical YAML: keys sorted, empty
// metadata fields left out.
func CanonicalYAML(obj any) ([]byte, error) {
	m, err := CanonicalMap(obj)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(data)
}

// CanonicalMap encodes an object as the generic map its JSON form decodes
// to, without the fields an empty ObjectMeta spells out
// (creationTimestamp: null).
func CanonicalMap(obj any) (map[string]any, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if meta, ok := m["metadata"].(map[string]any); ok {
		if meta["creationTimestamp"] == nil {
			delete(meta, "creationTimestamp")
		}
	}
	return m, nil
}
