// Package render turns a repository path into a Bundle: every object typed,
// defaulted and canonical, sorted deterministically, each with the file and
// line it came from.
//
// A path holding a kustomization is built with kustomize (krusty) on an
// in-memory copy of the repository: plugins, exec functions and remote bases
// are off, and every path a kustomization names must stay inside the
// repository. Whether a reference is remote is kustomize's own decision (its
// Git URL parser, and any URL), made on each kustomization as kustomize
// decodes it; kustomize then builds from those decoded kustomizations, every
// path in them written "./path", a form it never takes for a remote one, so
// that it never runs git nor downloads. A path without one is read as every *.yaml, *.yml and *.json
// file under it (multi-document files and List objects included), with
// subdirectories that hold a kustomization built as units.
//
// Repository content is untrusted. Decoding is strict: an unknown field, a
// value of the wrong type, a duplicate object or an unknown kind is an error
// naming the file, the line and the field path. Symlinks leaving the
// repository, files over the size limit, YAML syntax errors and path
// traversal each get such an error too, never a panic. All problems found
// are returned together, as an ErrorList.
//
// render is pure: the same repository content gives the same Bundle on any
// machine. It reads files, and nothing else: no network, clock or logger.
package render
