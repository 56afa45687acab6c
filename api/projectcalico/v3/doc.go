// Package v3 holds the projectcalico.org/v3 kinds tabby manages: their Go
// types, written to decode real Calico manifests unchanged (field names, JSON
// tags and enum spellings as Calico's own API has them), their defaults as
// Calico writes them back into stored objects, and their canonical forms.
//
// Decoding is lenient where Calico's is (an unknown enum value or a malformed
// selector still decodes) so that validation can report every problem of a
// manifest in one pass, with its location. Defaulting (Default methods) is
// idempotent and never changes the meaning of an object: a manifest and the
// object Calico stores for it are equal after both are defaulted.
//
// +kubebuilder:object:generate=true
// +groupName=projectcalico.org
package v3
