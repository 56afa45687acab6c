package gitsource

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repository is a Git repository on this machine, read by the command line
// (tabby plan, drift --ref, completion): the one whose work tree holds a
// directory, or a bare repository. It reads objects straight from the
// repository's object store and never writes.
type Repository struct {
	repo *git.Repository
}

// ErrPathAbsent is the error of a path a revision does not hold.
var ErrPathAbsent = errors.New("no such path in this revision")

// ErrUnknownRevision is the error of a revision the repository does not
// hold: a branch or tag not fetched, a mistyped commit.
var ErrUnknownRevision = errors.New("unknown revision")

// OpenRepository opens the repository whose work tree holds dir, or the bare
// repository dir.
func OpenRepository(dir string) (*Repository, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		if bare, bareErr := git.PlainOpen(dir); bareErr == nil {
			return &Repository{repo: bare}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return &Repository{repo: repo}, nil
}

// Revision resolves rev (a branch, tag, commit or expression such as
// origin/main or HEAD~1) and returns its checkout, and its name for
// reports: "REV (abbreviated hash)". When p is not ".", a revision that
// does not hold p is an ErrPathAbsent.
func (r *Repository) Revision(rev, p string) (*Checkout, string, error) {
	hash, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, rev, fmt.Errorf("resolve %s: %w: %w", rev, ErrUnknownRevision, err)
	}
	if err != nil {
		return nil, rev, fmt.Errorf("resolve %s: %w", rev, err)
	}
	name := fmt.Sprintf("%s (%s)", rev, hash.String()[:7])
	commit, err := r.repo.CommitObject(*hash)
	if err != nil {
		return nil, name, err
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, name, err
	}
	if p != "." {
		if _, err := tree.FindEntry(p); errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
			return nil, name, fmt.Errorf("%s: %w %s", p, ErrPathAbsent, name)
		}
	}
	return &Checkout{Revision: Revision{Commit: hash.String()}, Commit: commit, Tree: tree}, name, nil
}

// WorkTree returns the root directory of the repository's work tree.
func (r *Repository) WorkTree() (string, error) {
	wt, err := r.repo.Worktree()
	if err != nil {
		return "", err
	}
	return wt.Filesystem.Root(), nil
}

// Path turns p, relative to dir, into a path from the top of the work tree,
// which holds dir. A bare repository has no work tree: p is relative to its
// root.
func (r *Repository) Path(dir, p string) string {
	root, err := r.WorkTree()
	if err != nil {
		return p
	}
	top, err1 := filepath.EvalSymlinks(root)
	abs, err2 := filepath.EvalSymlinks(dir)
	if err1 != nil || err2 != nil {
		return p
	}
	top, _ = filepath.Abs(top)
	abs, _ = filepath.Abs(abs)
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return p
	}
	return path.Join(filepath.ToSlash(rel), p)
}

// Refs returns HEAD and the short names of the repository's branches,
// remote branches and tags, sorted.
func (r *Repository) Refs() []string {
	names := []string{"HEAD"}
	refs, err := r.repo.References()
	if err != nil {
		return names
	}
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if n := ref.Name(); (n.IsBranch() || n.IsRemote() || n.IsTag()) && !strings.HasSuffix(n.Short(), "/HEAD") {
			names = append(names, n.Short())
		}
		return nil
	})
	sort.Strings(names)
	return names
}
