package gitsource

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Checkout is a fetched revision: the commit and its root tree, read from
// the cache's object store (there is no work tree). They stay readable while
// the cache exists: until a later Fetch of the same URL finds the cache
// corrupt, or too fragmented, and re-clones it.
type Checkout struct {
	Revision Revision
	Commit   *object.Commit
	Tree     *object.Tree
}

// Fetch makes the revision available in CacheDir and returns it. It always
// asks the remote first (one ls-remote, with the Source's credentials, so a
// cache shared by URL never serves a caller the remote would refuse), and
// downloads only if the commit is not cached yet: the first time it clones,
// depth 1 for a branch, tag or semver ref and the full history for a commit;
// later it fetches into the cache with a forced refspec, so force-pushes are
// followed. A cache found corrupt is removed and cloned again.
func (s *Source) Fetch(ctx context.Context) (*Checkout, error) {
	o, end, err := s.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", s.display(), err)
	}
	defer end()
	co, err := s.fetch(o)
	if err != nil {
		return nil, fmt.Errorf("fetch %s %s: %w", o.remote.ep.display, o.plan.describe(), err)
	}
	return co, nil
}

func (s *Source) fetch(o *op) (*Checkout, error) {
	if s.CacheDir == "" {
		return nil, fmt.Errorf("%w: no cache directory", ErrInvalid)
	}
	root, err := filepath.Abs(s.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("%w: cache directory: %w", ErrInvalid, err)
	}
	dir := cacheDir(root, o.remote.ep.display, o.plan.full())
	unlock, err := lockDir(o.ctx, dir)
	if err != nil {
		return nil, err
	}
	defer unlock()

	adv, err := o.list()
	if err != nil {
		return nil, err
	}
	rev, err := o.plan.pick(adv)
	if err != nil {
		return nil, err
	}
	short := ""
	if o.plan.kind == kindCommit && len(rev.Commit) < 40 {
		short = dir + "\x00" + rev.Commit
		if full, ok := expanded.Load(short); ok {
			rev.Commit = full.(string)
		}
	}
	co, created, err := s.fetchInto(o, dir, rev)
	if err != nil && !created && !isRemoteFailure(err) {
		// The cache may be at fault: start again from an empty one.
		if werr := wipe(dir); werr != nil {
			return nil, errors.Join(err, werr)
		}
		co, _, err = s.fetchInto(o, dir, rev)
	}
	if errors.Is(err, ErrTooLarge) {
		_ = wipe(dir) // holds a partial pack
	}
	if err == nil && short != "" {
		expanded.Store(short, co.Revision.Commit)
	}
	return co, err
}

// fetchInto fetches rev into the cache at dir, unless it is there already.
// created reports whether the cache was created by this call.
func (s *Source) fetchInto(o *op, dir string, rev Revision) (co *Checkout, created bool, err error) {
	st, created, err := openCache(dir)
	if errors.Is(err, errCorrupt) {
		if err := wipe(dir); err != nil {
			return nil, false, err
		}
		st, created, err = openCache(dir)
	}
	if err != nil {
		return nil, created, err
	}
	switch c, t, err := readCommit(st, rev.Commit); {
	case err == nil:
		return &Checkout{Revision: rev, Commit: c, Tree: t}, created, nil
	case !errors.Is(err, plumbing.ErrObjectNotFound):
		return nil, created, fmt.Errorf("%w: %w", errCorrupt, err)
	}
	if !created && packCount(dir) >= maxPacks {
		if err := wipe(dir); err != nil {
			return nil, false, err
		}
		if st, created, err = openCache(dir); err != nil {
			return nil, created, err
		}
	}

	specs, depth := o.plan.refSpecs(rev)
	r := git.NewRemote(limitedStorage{Storage: st, max: s.maxBytes()}, &config.RemoteConfig{
		Name: git.DefaultRemoteName,
		URLs: []string{o.remote.ep.url},
	})
	err = r.FetchContext(o.ctx, &git.FetchOptions{
		RefSpecs:     specs,
		Depth:        depth,
		Auth:         o.remote.auth,
		Force:        true,
		Tags:         git.NoTags,
		ProxyOptions: o.remote.proxy,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, created, o.remote.red.wrap(o.ctx, err)
	}

	rev, err = o.plan.settle(st, rev)
	if err != nil {
		return nil, created, err
	}
	c, t, err := readCommit(st, rev.Commit)
	if err != nil {
		return nil, created, err
	}
	return &Checkout{Revision: rev, Commit: c, Tree: t}, created, nil
}

// refSpecs says what to fetch for rev, and how deep (0: full history).
func (p plan) refSpecs(rev Revision) ([]config.RefSpec, int) {
	switch p.kind {
	case kindTag, kindSemVer:
		n := plumbing.NewTagReferenceName(rev.Ref)
		return []config.RefSpec{config.RefSpec("+" + n + ":" + n)}, 1
	case kindCommit:
		if p.branch != "" {
			n := plumbing.NewBranchReferenceName(p.branch)
			return []config.RefSpec{config.RefSpec("+" + n + ":" + n)}, 0
		}
		return []config.RefSpec{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}, 0
	default:
		n := plumbing.NewBranchReferenceName(p.name)
		return []config.RefSpec{config.RefSpec("+" + n + ":" + n)}, 1
	}
}

// settle fixes the commit after a fetch. A branch may have moved between the
// ls-remote and the fetch: then the fetched tip is the revision. An
// abbreviated commit is expanded from the objects.
func (p plan) settle(st *filesystem.Storage, rev Revision) (Revision, error) {
	switch p.kind {
	case kindCommit:
		if len(rev.Commit) == 40 {
			if _, err := object.GetCommit(st, plumbing.NewHash(rev.Commit)); err != nil {
				return rev, fmt.Errorf("commit %s: %w", rev.Commit, ErrNotFound)
			}
			return rev, nil
		}
		full, err := expandCommit(st, rev.Commit)
		if err != nil {
			return rev, err
		}
		rev.Commit = full
		return rev, nil
	default:
		if _, err := object.GetCommit(st, plumbing.NewHash(rev.Commit)); err == nil {
			return rev, nil
		}
		n := plumbing.NewBranchReferenceName(rev.Ref)
		if p.kind != kindBranch {
			n = plumbing.NewTagReferenceName(rev.Ref)
		}
		ref, err := st.Reference(n)
		if err != nil {
			return rev, fmt.Errorf("%s was fetched but is missing from the cache: %w", n, err)
		}
		h, err := peel(st, ref.Hash())
		if err != nil {
			return rev, err
		}
		rev.Commit = h.String()
		return rev, nil
	}
}

// peel follows annotated tags to the commit.
func peel(st *filesystem.Storage, h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 {
		t, err := object.GetTag(st, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) || errors.Is(err, plumbing.ErrInvalidType) {
			return h, nil
		}
		if err != nil {
			return h, fmt.Errorf("tag %s: %w", h, err)
		}
		if t.TargetType != plumbing.CommitObject && t.TargetType != plumbing.TagObject {
			return h, fmt.Errorf("tag %s points to a %s, not a commit", h, t.TargetType)
		}
		h = t.Target
	}
	return h, fmt.Errorf("tag %s: too many levels of tags", h)
}

// expanded remembers abbreviated commits already expanded, per cache: a
// commit's name never changes, and expanding means scanning every commit.
var expanded sync.Map // dir + "\x00" + prefix → full hash

func expandCommit(st *filesystem.Storage, prefix string) (string, error) {
	iter, err := st.IterEncodedObjects(plumbing.CommitObject)
	if err != nil {
		return "", err
	}
	defer iter.Close()
	var found []string
	err = iter.ForEach(func(obj plumbing.EncodedObject) error {
		if h := obj.Hash().String(); strings.HasPrefix(h, prefix) {
			found = append(found, h)
		}
		return nil
	})
	switch {
	case err != nil:
		return "", err
	case len(found) == 0:
		return "", fmt.Errorf("commit %s: %w", prefix, ErrNotFound)
	case len(found) > 1:
		return "", fmt.Errorf("%w: commit %s is ambiguous: use more digits", ErrInvalid, prefix)
	}
	return found[0], nil
}

// readCommit reads the commit and its root tree.
func readCommit(st *filesystem.Storage, commit string) (*object.Commit, *object.Tree, error) {
	if len(commit) != 40 {
		return nil, nil, plumbing.ErrObjectNotFound
	}
	c, err := object.GetCommit(st, plumbing.NewHash(commit))
	if err != nil {
		return nil, nil, fmt.Errorf("read commit %s: %w", commit, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, nil, fmt.Errorf("read tree of commit %s: %w", commit, err)
	}
	return c, t, nil
}
