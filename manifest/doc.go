// Package manifest holds what tabby knows of one object of a repository:
// the typed object and its kind (Object), its identity (ID, ObjectID),
// where it is written (Source, Position), how its fields are named
// (FieldPath) and its canonical encoding (CanonicalMap, CanonicalYAML).
//
// It imports nothing of tabby's but api, so that every package that works
// on objects (render, which produces them, and validate, policies,
// topology, diff, drift, plan, the reconciler and the node agent, which use
// them) can share it without pulling in how objects are read: kustomize,
// go-git or a YAML parser.
package manifest
