package manifest

import (
	"bytes"
	"encoding/json"

	"sigs.k8s.io/yaml"
)

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
