package diff

import "github.com/tabbynet/tabby/manifest"

// path is where a value lies within an object: map keys (string) and list
// indexes (int). The walkers enter and leave segments of one path, and
// format it only when they report a field.
type path []any

// String formats p as render formats field paths (manifest.ParseFieldPath
// reads it back): spec.ingress[0].action, with keys that are not plain
// identifiers quoted, metadata.labels["app.kubernetes.io/name"].
func (p path) String() string { return manifest.FieldPath(p).String() }
