package render

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tabbynet/tabby/manifest"
)

// Dir renders the path p of the repository whose root is the directory
// root. p is relative to root and must stay inside it. The render stops,
// with an error, when ctx ends.
//
// When the repository's content has problems, Dir returns both a Bundle of
// every object that could be decoded and an ErrorList saying what is wrong:
// the Bundle is for reporting (checks across objects, locations), and must
// never be applied. A Bundle is complete only when the error is nil. Any
// other error (I/O, no manifests at p, ctx ended) comes with a nil Bundle.
func Dir(ctx context.Context, root, p string, opts Options) (*Bundle, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("read repository %s: %w", root, err)
	}
	st, err := openDirStore(realRoot)
	if err != nil {
		return nil, fmt.Errorf("read repository %s: %w", root, err)
	}
	defer st.close()
	return renderStore(ctx, st, p, opts)
}

// Tree renders the path p of a Git tree, reading objects straight from the
// repository's object store. The render stops, with an error, when ctx
// ends. It returns what Dir does: with an ErrorList, a partial Bundle that
// must never be applied; with any other error, none.
func Tree(ctx context.Context, tree *object.Tree, p string, opts Options) (*Bundle, error) {
	return renderStore(ctx, newTreeStore(tree), p, opts)
}

// renderer holds the state of one render.
type renderer struct {
	snap *snapshot
	dec  *decoder
	fsys *kustomizeFS
	docs map[string][]document

	// walked holds the real directories walked or built, and the files
	// rendered by walks, so that each is rendered once however many
	// symlinks lead to it.
	walked map[string]bool
	// found says the path held something to render.
	found bool
	// builtBy holds the kustomization file each object built with
	// kustomize came from, by object.
	builtBy map[*manifest.Object]string

	// alwaysKustomize turns off the plain-kustomization shortcut, for tests
	// that compare it with kustomize.
	alwaysKustomize bool
}

func newRenderer(ctx context.Context, st store, opts Options) (*renderer, error) {
	opts = opts.withDefaults()
	scheme, err := loadScheme()
	if err != nil {
		return nil, err
	}
	return &renderer{
		snap:    newSnapshot(st, newBudget(ctx, opts)),
		dec:     &decoder{scheme: scheme, opts: opts, errs: &findings{max: opts.MaxFindings}},
		docs:    make(map[string][]document),
		walked:  make(map[string]bool),
		builtBy: make(map[*manifest.Object]string),
	}, nil
}

func renderStore(ctx context.Context, st store, p string, opts Options) (*Bundle, error) {
	r, err := newRenderer(ctx, st, opts)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return r.render(p)
}

// render renders the path p, once.
func (r *renderer) render(p string) (*Bundle, error) {
	dir, err := cleanPath(p)
	if err != nil {
		return nil, err
	}
	objs := r.path(dir)
	switch s := r.snap; {
	case s.err != nil:
		return nil, fmt.Errorf("render %s: %w", p, s.err)
	case s.budget.done != nil:
		return nil, fmt.Errorf("render %s: %w", p, s.budget.done)
	case !r.found && r.dec.errs.count() == 0 && !s.stopped():
		return nil, fmt.Errorf("render %s: no manifests there", p)
	}
	// A render stopped by a budget has not seen every object: a duplicate
	// of one it saw may be among those it did not. Duplicates are
	// reported only when the render saw them all, and dropped always.
	objs = r.checkDuplicates(objs, !r.snap.stopped())
	sortObjects(objs)
	b := &Bundle{Objects: objs, files: r.snap.files}
	return b, r.dec.errs.result(dir, r.snap.budget.exhausted)
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

// report records problems of the repository's content.
func (r *renderer) report(errs ...*Error) { r.dec.errs.add(errs...) }

// path renders a file, or a directory: with kustomize if it holds a
// kustomization, otherwise file by file, building subdirectories that hold
// a kustomization as units.
func (r *renderer) path(p string) []*manifest.Object {
	n, err := r.snap.lookup(p)
	if err != nil {
		r.report(err)
		return nil
	}
	switch n.kind {
	case kindNone:
		if n.dangling != nil {
			r.report(dangling(n.path, n.dangling.target))
		}
	case kindFile:
		if !isManifest(path.Base(p)) {
			return nil
		}
		r.found = true
		return r.file(n.path)
	case kindDir:
		r.walked[n.path] = true
		if _, ok := r.snap.kustomization(n.path); ok {
			r.found = true
			return r.kustomizeBuild(n.path)
		}
		return r.walk(n.path)
	}
	return nil
}

// walk renders the real directory dir, file by file, following symlinks.
// A directory or file reached twice (through a link, or a link to "." or to
// an ancestor) is rendered once, under its real path.
func (r *renderer) walk(dir string) []*manifest.Object {
	entries, lerr := r.snap.list(dir)
	if lerr != nil {
		r.report(lerr)
		return nil
	}
	var objs []*manifest.Object
	for _, e := range entries {
		if r.snap.stopped() {
			break
		}
		if strings.HasPrefix(e.name, ".") {
			continue // hidden: .git, .github, .gitlab-ci.yml
		}
		full := path.Join(dir, e.name)
		if e.unusable != "" {
			if e.kind == kindDir || e.kind == kindSymlink || isManifest(e.name) {
				r.report(unusable(full, e))
			}
			continue
		}
		n := node{path: full, kind: e.kind, entry: e}
		if e.kind == kindSymlink {
			if !r.snap.budget.hop(full) {
				break
			}
			l := r.snap.follow(full, e)
			switch {
			case l.err != nil:
				r.report(l.err)
				continue
			case l.to.kind == kindNone && !r.snap.stopped():
				r.report(dangling(full, l.target))
				continue
			}
			n = l.to
		}
		if r.walked[n.path] {
			continue
		}
		switch {
		case n.kind == kindDir:
			r.walked[n.path] = true
			if _, ok := r.snap.kustomization(n.path); ok {
				r.found = true
				objs = append(objs, r.kustomizeBuild(n.path)...)
				continue
			}
			objs = append(objs, r.walk(n.path)...)
		case n.kind == kindFile && isManifest(e.name):
			r.walked[n.path] = true
			r.found = true
			objs = append(objs, r.file(n.path)...)
		}
	}
	return objs
}

// file decodes every document of a file, until the budget stops it.
func (r *renderer) file(name string) []*manifest.Object {
	n, err := r.snap.lookup(name)
	if err != nil {
		r.report(err)
		return nil
	}
	if n.kind != kindFile {
		return nil
	}
	data, err := r.snap.read(n)
	if err != nil {
		r.report(err)
		return nil
	}
	var objs []*manifest.Object
	perr := eachDocument(n.path, data, func(d document) bool {
		ok, cerr := chargeDocument(r.snap.budget, d)
		if cerr != nil {
			r.report(cerr)
			return true
		}
		if ok {
			objs = append(objs, r.dec.document(d)...)
		}
		return ok
	})
	if perr != nil {
		r.report(perr)
	}
	return objs
}

// checkDuplicates returns objs without the objects defined again, each
// kept where it is first defined; report says to report the others. Two
// kustomizations building the same objects from the same place (overlays
// of one base, rendered from the directory holding them) are reported
// once, as overlapping overlays.
func (r *renderer) checkDuplicates(objs []*manifest.Object, report bool) []*manifest.Object {
	seen := make(map[string]*manifest.Object, len(objs))
	overlaps := map[[2]string]*overlap{}
	var order [][2]string
	kept := objs[:0]
	for _, o := range objs {
		id := o.ID()
		first, dup := seen[id]
		if !dup {
			seen[id] = o
			kept = append(kept, o)
			continue
		}
		if !report {
			continue
		}
		a, b := r.builtBy[first], r.builtBy[o]
		if a != "" && b != "" && a != b && sameSource(first.Source, o.Source) {
			pair := [2]string{a, b}
			if overlaps[pair] == nil {
				overlaps[pair] = &overlap{first: first}
				order = append(order, pair)
			}
			overlaps[pair].add(o.Source.File)
			continue
		}
		r.report(&Error{Code: CodeDuplicateObject, File: o.Source.File, Line: o.Source.Line,
			Msg: fmt.Sprintf("duplicate object %s: also defined at %s; remove one", id, first.Source)})
	}
	for _, pair := range order {
		r.report(overlaps[pair].error(pair[0], pair[1]))
	}
	return kept
}
