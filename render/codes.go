package render

import "sort"

// Codes of render Errors. Each names one kind of problem and is stable:
// tools and documentation refer to it.
const (
	CodeYAMLSyntax           = "yaml-syntax"
	CodeYAMLAlias            = "yaml-alias"
	CodeManifestInvalid      = "manifest-invalid"
	CodeUnknownKind          = "unknown-kind"
	CodeUnknownField         = "unknown-field"
	CodeFieldType            = "field-type"
	CodeASNumberLiteral      = "as-number-literal"
	CodeNameMissing          = "name-missing"
	CodeDuplicateObject      = "duplicate-object"
	CodeOverlaysOverlap      = "overlays-overlap"
	CodeKustomizationInvalid = "kustomization-invalid"
	CodeKustomizeBuild       = "kustomize-build"
	CodeKustomizeRemote      = "kustomize-remote"
	CodeKustomizePlugin      = "kustomize-plugin"
	CodePathInvalid          = "path-invalid"
	CodeSymlinkInvalid       = "symlink-invalid"
	CodeBudgetExceeded       = "budget-exceeded"
	CodePathOutside          = "path-outside"
	CodeErrorsTruncated      = "errors-truncated"
)

// CodeInfo describes an Error code.
type CodeInfo struct {
	Code    string
	Summary string
}

var codeSummaries = map[string]string{
	CodeYAMLSyntax:           "a file is not valid YAML, or a mapping repeats a key",
	CodeYAMLAlias:            "a YAML alias refers to a value that contains it",
	CodeManifestInvalid:      "a document is not an object, or its apiVersion or kind is missing or malformed",
	CodeUnknownKind:          "an object's kind is not one tabby syncs or was allowed",
	CodeUnknownField:         "an object has a field its kind does not know; the object is kept without it",
	CodeFieldType:            "a field's value has the wrong type, or cannot be parsed (a port, a CIDR, an AS number)",
	CodeASNumberLiteral:      "an AS number is written unquoted as a float or in hexadecimal",
	CodeNameMissing:          "an object has no metadata.name",
	CodeDuplicateObject:      "two places in the repository define the same object",
	CodeOverlaysOverlap:      "two kustomizations of a directory of overlays build the same objects from a shared base",
	CodeKustomizationInvalid: "a kustomization cannot be read, or one of its entries names nothing usable",
	CodeKustomizeBuild:       "kustomize refused to build a kustomization",
	CodeKustomizeRemote:      "a kustomization refers to a remote base or URL, which is disabled",
	CodeKustomizePlugin:      "a kustomization uses a plugin or generator that is not supported (Helm charts)",
	CodePathInvalid:          "a name cannot be checked out, or a path cannot be read",
	CodePathOutside:          "a path or a kustomization's reference leaves the repository root (--root)",
	CodeSymlinkInvalid:       "a symlink leaves the repository, points to nothing, or does not resolve",
	CodeBudgetExceeded:       "the render exhausted one of its budgets or limits",
	CodeErrorsTruncated:      "more errors were found than a render lists (--render-max-findings)",
}

// Codes returns every code a render Error can carry, sorted by code.
func Codes() []CodeInfo {
	out := make([]CodeInfo, 0, len(codeSummaries))
	for c, s := range codeSummaries {
		out = append(out, CodeInfo{Code: c, Summary: s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
