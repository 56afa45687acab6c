package render

import (
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// maxSymlinkHops bounds chains of symlinks within a Git tree.
const maxSymlinkHops = 8

// readTree reads the manifest files of a Git tree, straight from the object
// store: nothing is checked out to disk. Symlinks are followed only while
// they stay inside the tree.
func readTree(tree *object.Tree, opts Options) (*snapshot, error) {
	s := newSnapshot(opts)
	r := treeReader{tree: tree, snap: s}
	if err := r.walk(tree, ".", 0); err != nil {
		return nil, err
	}
	return s, nil
}

type treeReader struct {
	tree *object.Tree
	snap *snapshot
}

// walk reads the entries of t, which the repository sees at slash path rel.
func (r *treeReader) walk(t *object.Tree, rel string, hops int) error {
	for _, e := range t.Entries {
		name := path.Join(rel, e.Name)
		switch e.Mode {
		case filemode.Dir:
			if skipDir(e.Name) {
				continue
			}
			sub, err := t.Tree(e.Name)
			if err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
			if err := r.walk(sub, name, hops); err != nil {
				return err
			}
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			if !isManifest(e.Name) {
				continue
			}
			f, err := t.TreeEntryFile(&e)
			if err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
			if err := r.file(f, name); err != nil {
				return err
			}
		case filemode.Symlink:
			if err := r.symlink(t, e, name, name, hops); err != nil {
				return err
			}
		}
		// Submodules are not part of the repository's content.
	}
	return nil
}

func (r *treeReader) file(f *object.File, name string) error {
	if !r.snap.admit(name, f.Size) {
		return nil
	}
	rd, err := f.Reader()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, r.snap.opts.MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !r.snap.admit(name, int64(len(data))) {
		return nil
	}
	r.snap.add(name, data)
	return nil
}

// symlink follows the link entry e of t, which lives at linkPath and which
// the repository sees as name.
func (r *treeReader) symlink(t *object.Tree, e object.TreeEntry, linkPath, name string, hops int) error {
	if hops >= maxSymlinkHops {
		r.snap.reject(name, "too many levels of symlinks")
		return nil
	}
	link, err := t.TreeEntryFile(&e)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	target, err := link.Contents()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	resolved := path.Clean(path.Join(path.Dir(linkPath), target))
	if path.IsAbs(target) || !inside(resolved) {
		r.snap.reject(name, fmt.Sprintf("symlink to %s leaves the repository; copy the file into the repository instead", target))
		return nil
	}
	entry, err := r.tree.FindEntry(resolved)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		r.snap.reject(name, fmt.Sprintf("symlink to %s points to nothing in the repository", target))
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	switch entry.Mode {
	case filemode.Dir:
		sub, err := r.tree.Tree(resolved)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		return r.walk(sub, name, hops+1)
	case filemode.Symlink:
		parent := r.tree
		if dir := path.Dir(resolved); dir != "." {
			if parent, err = r.tree.Tree(dir); err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
		}
		return r.symlink(parent, *entry, resolved, name, hops+1)
	default:
		if !isManifest(path.Base(name)) {
			return nil
		}
		f, err := r.tree.File(resolved)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		return r.file(f, name)
	}
}
