// Package render turns a repository path into a Bundle: every object typed,
// defaulted and canonical, sorted deterministically, each with the file and
// line it came from.
//
// A path holding a kustomization is built with kustomize (krusty): plugins,
// exec functions and remote bases are off, and every path a kustomization
// names must stay inside the repository. Whether a reference is remote is
// kustomize's own decision (its Git URL parser, and any URL), made on each
// kustomization as kustomize decodes it; kustomize then builds from those
// decoded kustomizations, every path in them written "./path", a form it
// never takes for a remote one, so that it never runs git nor downloads. A
// path without one is read as every
// *.yaml, *.yml and *.json file under it (multi-document files and List
// objects included), with subdirectories that hold a kustomization built as
// units.
//
// A render reads what the path uses and nothing else: directories are
// listed, and files read, the first time the render needs them, from a Git
// tree's object store (Tree) or a directory (Dir). kustomize reads through
// the same view, so a file it does not use is never read, whatever its name
// or content.
//
// Symlinks resolve as in a checkout on disk, the same way from a Git tree as
// from a directory: a link's target is relative to the directory holding the
// link; a target that is absolute or climbs above the repository root is
// refused; a cycle, or a chain of more than 40 links, does not resolve. What
// a link leads to is rendered under its real path, once: a directory or
// file reached twice (through links, a link to "." or to an ancestor) is
// rendered once.
//
// Repository content is untrusted. Decoding is strict: an unknown field, a
// value of the wrong type, a duplicate object or an unknown kind is an error
// naming the file, the line and the field path. Two kustomizations of a
// directory of overlays building the same objects from one base are one
// error for the pair, not a duplicate per object. An object kustomize
// builds is located at its own document, whatever transformed its name. Every render is bounded by
// the budgets of its Options (bytes read, directory entries listed, YAML
// documents, YAML values with aliases counted at each use, errors listed,
// symlinks followed) and by its context: exhausting a budget stops the
// render with an Error naming the file, the budget and how to raise it; a
// context that ends stops it with the context's error. Problems are never a
// panic. All problems found are returned together, as an ErrorList, each
// Error with a Code of Codes.
//
// A render whose only problems are the content's returns both the
// ErrorList and a Bundle of every object that could be decoded: an object
// whose only problems are unknown fields is kept without them, one with a
// value that does not decode, no name or an unknown kind is dropped, and of
// two definitions of one object the first is kept. A render stopped by a
// budget returns the objects decoded until then, its duplicates dropped but
// not reported, as the rest is unread. Such a Bundle is for reports, never
// for applying. Any other error (I/O, no manifests, the context's) comes
// with a nil Bundle.
//
// render is pure: the same repository content gives the same Bundle on any
// machine. It reads files, and nothing else: no network, clock or logger.
package render
