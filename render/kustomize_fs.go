package render

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizeFS is the repository as kustomize sees it: a read-only
// filesys.FileSystem over the render's snapshot. Nothing is copied: a file
// is read when kustomize reads it, and charged to the render's budget then,
// its documents and values included, so that kustomize only ever parses
// what the budget allows. A name kustomize's in-memory filesystem would
// refuse (x@y/a.yaml) is read as any other.
//
// Paths are absolute, "/" being the repository root. CleanedAbs resolves
// symlinks, as kustomize's on-disk filesystem does: a kustomization's root,
// and the files it may load, are real paths, so that a link leading out of
// a kustomization's root is refused by kustomize's load restrictor, as on
// disk.
type kustomizeFS struct {
	r *renderer
	// written holds the files rendering substitutes for the repository's,
	// by real path: a kustomization with origin annotations added.
	written map[string][]byte
	// errs are the problems found in files kustomize read, located.
	errs ErrorList
	// resources are the files of the build listed as resources, by real
	// path: kustomize reads them tagged with their documents.
	resources map[string]bool
}

var _ filesys.FileSystem = (*kustomizeFS)(nil)

var errReadOnly = errors.New("the repository is read-only")

// repoPath turns one of kustomize's paths into a clean slash path relative
// to the repository root.
func repoPath(p string) string {
	p = strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(p)), "/")
	if p == "" {
		return "."
	}
	return p
}

// lookup resolves one of kustomize's paths, or returns the error kustomize
// gets for it.
func (f *kustomizeFS) lookup(p string) (node, error) {
	rp := repoPath(p)
	if !f.r.snap.budget.alive(rp) || f.r.snap.stopped() {
		return node{}, f.stopErr()
	}
	n, lerr := f.r.snap.lookup(rp)
	if lerr != nil {
		return node{}, lerr
	}
	if f.r.snap.stopped() {
		return node{}, f.stopErr()
	}
	if n.kind == kindNone || n.kind == kindOther {
		return node{}, notExist(p)
	}
	return n, nil
}

// notExist is the error of a path naming nothing, as kustomize's own
// filesystems word it.
type notExist string

func (e notExist) Error() string { return fmt.Sprintf("'%s' doesn't exist", string(e)) }
func (e notExist) Unwrap() error { return fs.ErrNotExist }

func (f *kustomizeFS) stopErr() error {
	switch s := f.r.snap; {
	case s.err != nil:
		return s.err
	case s.budget.done != nil:
		return s.budget.done
	case s.budget.exhausted != nil:
		return s.budget.exhausted
	}
	return errors.New("render stopped")
}

func abs(p string) string { return "/" + strings.TrimPrefix(p, ".") }

func (f *kustomizeFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	n, err := f.lookup(p)
	if err != nil {
		return "", "", err
	}
	if n.kind == kindDir {
		return filesys.ConfirmedDir(abs(n.path)), "", nil
	}
	return filesys.ConfirmedDir(abs(path.Dir(n.path))), path.Base(n.path), nil
}

func (f *kustomizeFS) Exists(p string) bool {
	_, err := f.lookup(p)
	return err == nil
}

func (f *kustomizeFS) IsDir(p string) bool {
	n, err := f.lookup(p)
	return err == nil && n.kind == kindDir
}

func (f *kustomizeFS) ReadDir(p string) ([]string, error) {
	n, err := f.lookup(p)
	if err != nil {
		return nil, err
	}
	if n.kind != kindDir {
		return nil, fmt.Errorf("%s is not a directory", p)
	}
	entries, lerr := f.r.snap.list(n.path)
	if lerr != nil {
		return nil, lerr
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.name
	}
	return names, nil
}

// ReadFile returns a file's content once its documents are charged to the
// render's budget.
func (f *kustomizeFS) ReadFile(p string) ([]byte, error) {
	n, err := f.lookup(p)
	var located *Error
	if errors.As(err, &located) {
		f.errs = append(f.errs, located)
	}
	if err != nil {
		return nil, err
	}
	if n.kind != kindFile {
		return nil, fmt.Errorf("cannot read content from non-file '%s'", p)
	}
	data, ok := f.written[n.path]
	if !ok {
		var rerr *Error
		if data, rerr = f.r.snap.read(n); rerr != nil {
			f.errs = append(f.errs, rerr)
			return nil, rerr
		}
		if data == nil {
			return nil, f.stopErr()
		}
	}
	if cerr := f.charge(n.path, data); cerr != nil {
		return nil, cerr
	}
	if _, substituted := f.written[n.path]; !substituted && f.resources[n.path] {
		return tagDocuments(n.path, data), nil
	}
	// kustomize may keep or change what it reads: give it its own copy.
	return append([]byte(nil), data...), nil
}

// charge charges the documents of a file kustomize reads. A file that is
// not YAML (a configMapGenerator's source) has none.
func (f *kustomizeFS) charge(file string, data []byte) error {
	var failed error
	_ = eachDocument(file, data, func(d document) bool {
		ok, cerr := chargeDocument(f.r.snap.budget, d)
		switch {
		case cerr != nil:
			f.errs = append(f.errs, cerr)
			failed = cerr
		case !ok:
			failed = f.stopErr()
		}
		return failed == nil
	})
	return failed
}

func (f *kustomizeFS) Glob(pattern string) ([]string, error) {
	return nil, fmt.Errorf("glob %s: not supported", pattern)
}

func (f *kustomizeFS) Walk(p string, _ filepath.WalkFunc) error {
	return fmt.Errorf("walk %s: not supported", p)
}

func (f *kustomizeFS) Open(p string) (filesys.File, error) {
	return nil, fmt.Errorf("open %s: not supported; read the file whole", p)
}

func (f *kustomizeFS) Create(p string) (filesys.File, error) {
	return nil, fmt.Errorf("create %s: %w", p, errReadOnly)
}

func (f *kustomizeFS) Mkdir(p string) error    { return fmt.Errorf("mkdir %s: %w", p, errReadOnly) }
func (f *kustomizeFS) MkdirAll(p string) error { return fmt.Errorf("mkdir %s: %w", p, errReadOnly) }
func (f *kustomizeFS) RemoveAll(p string) error {
	return fmt.Errorf("remove %s: %w", p, errReadOnly)
}

func (f *kustomizeFS) WriteFile(p string, _ []byte) error {
	return fmt.Errorf("write %s: %w", p, errReadOnly)
}
