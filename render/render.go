package render

import (
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Dir renders the path p of the repository whose root is the directory
// root. p is relative to root and must stay inside it.
func Dir(root, p string, opts Options) (*Bundle, error) {
	opts = opts.withDefaults()
	snap, err := readDir(root, opts)
	if err != nil {
		return nil, err
	}
	return renderSnapshot(snap, p, opts)
}

// Tree renders the path p of a Git tree, reading objects straight from the
// repository's object store.
func Tree(tree *object.Tree, p string, opts Options) (*Bundle, error) {
	opts = opts.withDefaults()
	snap, err := readTree(tree, opts)
	if err != nil {
		return nil, err
	}
	return renderSnapshot(snap, p, opts)
}

// renderer holds the state of one render.
type renderer struct {
	snap *snapshot
	dec  *decoder
	fsys filesys.FileSystem
	docs map[string][]document

	// alwaysKustomize turns off the plain-kustomization shortcut, for tests
	// that compare it with kustomize.
	alwaysKustomize bool
}

func renderSnapshot(snap *snapshot, p string, opts Options) (*Bundle, error) {
	dir, err := cleanPath(p)
	if err != nil {
		return nil, err
	}
	scheme, err := loadScheme()
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	r := &renderer{
		snap: snap,
		dec:  &decoder{scheme: scheme, opts: opts, errs: snap.errs},
		docs: make(map[string][]document),
	}
	if _, isFile := snap.files[dir]; !isFile && !snap.isDir(dir) && len(snap.badUnder(dir)) == 0 {
		return nil, fmt.Errorf("render %s: no manifests there", p)
	}
	r.dec.errs = append(r.dec.errs, snap.badUnder(dir)...)
	objs := r.path(dir)
	r.checkDuplicates(objs)
	if err := r.dec.errs.sorted(); err != nil {
		return nil, err
	}
	sortObjects(objs)
	return &Bundle{Objects: objs, files: snap.files}, nil
}

// cleanPath turns a user's path into a clean slash path relative to the
// repository root.
func cleanPath(p string) (string, error) {
	clean := path.Clean(strings.ReplaceAll(p, "\\", "/"))
	clean = strings.TrimPrefix(clean, "./")
	if clean == "" {
		clean = "."
	}
	if !inside(clean) {
		return "", fmt.Errorf("render %s: the path leaves the repository", p)
	}
	return clean, nil
}

// path renders a file, or a directory: with kustomize if it holds a
// kustomization, otherwise file by file, building subdirectories that hold
// a kustomization as units.
func (r *renderer) path(dir string) []*Object {
	if _, isFile := r.snap.files[dir]; isFile {
		return r.file(dir)
	}
	if _, ok := r.snap.kustomization(dir); ok {
		return r.kustomizeBuild(dir)
	}
	var objs []*Object
	built := map[string]bool{}
	for _, name := range r.snap.under(dir) {
		if unit := r.unitOf(dir, name); unit != "" {
			if !built[unit] {
				built[unit] = true
				objs = append(objs, r.kustomizeBuild(unit)...)
			}
			continue
		}
		objs = append(objs, r.file(name)...)
	}
	return objs
}

// unitOf returns the outermost directory between dir (excluded) and name
// that holds a kustomization, or "".
func (r *renderer) unitOf(dir, name string) string {
	rel := strings.TrimPrefix(name, dir+"/")
	if dir == "." {
		rel = name
	}
	parts := strings.Split(rel, "/")
	cur := dir
	for _, part := range parts[:len(parts)-1] {
		cur = path.Join(cur, part)
		if _, ok := r.snap.kustomization(cur); ok {
			return cur
		}
	}
	return ""
}

// file decodes every document of a file.
func (r *renderer) file(name string) []*Object {
	docs, perr := parseDocuments(name, r.snap.files[name])
	if perr != nil {
		r.dec.errs = append(r.dec.errs, perr)
	}
	var objs []*Object
	for _, d := range docs {
		objs = append(objs, r.dec.document(d)...)
	}
	return objs
}

// checkDuplicates reports objects defined more than once.
func (r *renderer) checkDuplicates(objs []*Object) {
	seen := make(map[string]*Object, len(objs))
	for _, o := range objs {
		id := o.ID()
		if first, dup := seen[id]; dup {
			r.dec.errs = append(r.dec.errs, &Error{File: o.Source.File, Line: o.Source.Line,
				Msg: fmt.Sprintf("duplicate object %s: also defined at %s; remove one", id, first.Source)})
			continue
		}
		seen[id] = o
	}
}
