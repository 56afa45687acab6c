package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tabbynet/tabby/render"
)

// source is a repository path as the user named it on the command line:
// the repository root, the path inside it, and how to show a file of the
// repository so that the user can open it from where they ran tabby.
type source struct {
	// root is the absolute repository root; path is the slash path of the
	// rendered path relative to it.
	root, path string
	// how says how root was found, for messages: "--root", "the Git work
	// tree" or "the directory holding every base".
	how string
	// cwd is the working directory, or "" when unknown.
	cwd string
}

// display returns the repository file f (slash, relative to the root) as a
// path the user can open from the working directory: relative to it, or
// absolute when that is shorter, as the Go toolchain prints them. JSON and
// SARIF keep repository-relative paths.
func (s source) display(f string) string {
	if f == "" || s.root == "" || s.cwd == "" {
		return f
	}
	abs := filepath.Join(s.root, filepath.FromSlash(f))
	if rel, err := filepath.Rel(s.cwd, abs); err == nil && len(rel) < len(abs) {
		return rel
	}
	return abs
}

// maxRootWidening bounds how many directories above PATH tabby looks for
// the bases of a path outside any Git work tree.
const maxRootWidening = 8

// render renders path. The repository root is --root when given, else the
// Git work tree holding path; outside one, it is the nearest directory above
// path that holds every base path's kustomizations reference (the copy of a
// repository a user unpacked), never the file system root.
func (o *renderOptions) render(ctx context.Context, path string) (*render.Bundle, source, error) {
	src, err := o.source(path)
	if err != nil {
		return nil, src, err
	}
	opts, err := renderOptionsFor(o.allowKinds)
	if err != nil {
		return nil, src, err
	}
	opts = o.budget.options(opts)
	ctx, cancel := o.budget.deadline(ctx)
	defer cancel()
	b, err := render.Dir(ctx, src.root, src.path, opts)
	for i := 0; src.how != rootFlag && src.how != rootGit && i < maxRootWidening && outside(err); i++ {
		wider, ok := src.widen()
		if !ok {
			break
		}
		wb, werr := render.Dir(ctx, wider.root, wider.path, opts)
		if !errors.As(werr, new(render.ErrorList)) && werr != nil {
			break // a runtime error: report the narrower root's problems
		}
		src, b, err = wider, wb, werr
	}
	if outside(err) {
		hintRoot(err, src)
	}
	return b, src, err
}

// How a repository root was found.
const (
	rootFlag   = "--root"
	rootGit    = "the enclosing Git work tree"
	rootOfPath = "PATH"
	rootBases  = "the nearest directory holding every base"
)

// source resolves path against the flags.
func (o *renderOptions) source(path string) (source, error) {
	var src source
	if cwd, err := os.Getwd(); err == nil {
		src.cwd = cwd
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return src, err
	}
	switch {
	case o.root != "":
		src.root, src.how = o.root, rootFlag
	default:
		src.root, src.how = repositoryRoot(absPath)
	}
	if src.root, err = filepath.Abs(src.root); err != nil {
		return src, err
	}
	rel, err := filepath.Rel(src.root, absPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return src, fmt.Errorf("%s is not inside the repository root %s (%s)", path, src.root, src.how)
	}
	src.path = filepath.ToSlash(rel)
	return src, nil
}

// widen returns the source rooted one directory higher, unless that is the
// file system root.
func (s source) widen() (source, bool) {
	parent := filepath.Dir(s.root)
	if parent == s.root || filepath.Dir(parent) == parent {
		return s, false
	}
	s.path = filepath.ToSlash(filepath.Join(filepath.Base(s.root), filepath.FromSlash(s.path)))
	s.root, s.how = parent, rootBases
	return s, true
}

// repositoryRoot returns the top of the Git work tree holding the absolute
// path abs, or, outside one, abs itself (its directory, for a file).
func repositoryRoot(abs string) (string, string) {
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir, rootGit
		}
		if filepath.Dir(dir) == dir {
			return abs, rootOfPath
		}
	}
}

// outside reports whether err holds a reference leaving the repository.
func outside(err error) bool {
	var list render.ErrorList
	if !errors.As(err, &list) {
		return false
	}
	for _, e := range list {
		if pointsOutside(e) {
			return true
		}
	}
	return false
}

func pointsOutside(e *render.Error) bool { return e.Code == render.CodePathOutside }

// hintRoot says, in each error about a reference leaving the repository,
// which root was used and how to give another.
func hintRoot(err error, src source) {
	var list render.ErrorList
	errors.As(err, &list)
	for _, e := range list {
		if pointsOutside(e) {
			e.Msg += fmt.Sprintf(" (the repository root is %s, %s; pass --root with the directory that holds the whole repository)", src.root, src.how)
		}
	}
}
