package render

import (
	"fmt"
	"io"
	"path"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// treeStore reads a Git tree straight from the repository's object store:
// nothing is checked out to disk.
type treeStore struct {
	trees map[string]*object.Tree // by real directory, as listed
}

func newTreeStore(root *object.Tree) *treeStore {
	return &treeStore{trees: map[string]*object.Tree{".": root}}
}

func (s *treeStore) list(dir string, _ int) ([]entry, error) {
	t, err := s.tree(dir)
	if err != nil {
		return nil, err
	}
	entries := make([]entry, 0, len(t.Entries))
	for i, e := range t.Entries {
		if i > 0 && gitSortName(t.Entries[i-1]) >= gitSortName(e) {
			// go-git finds entries assuming Git's order: an entry out of it
			// could be listed yet not found.
			return nil, invalidTree("the tree's entries are not in Git's order, or repeat a name")
		}
		entries = append(entries, entry{name: e.Name, kind: treeEntryKind(e.Mode), hash: e.Hash})
	}
	return entries, nil
}

// gitSortName is the name Git orders a tree entry by.
func gitSortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

func treeEntryKind(m filemode.FileMode) entryKind {
	switch m {
	case filemode.Dir:
		return kindDir
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		return kindFile
	case filemode.Symlink:
		return kindSymlink
	default:
		return kindOther // a submodule is not part of the repository's content
	}
}

// tree returns the tree of the directory dir, whose parent has been listed.
func (s *treeStore) tree(dir string) (*object.Tree, error) {
	if t, ok := s.trees[dir]; ok {
		return t, nil
	}
	parent, err := s.tree(path.Dir(dir))
	if err != nil {
		return nil, err
	}
	t, err := parent.Tree(path.Base(dir))
	if err != nil {
		return nil, err
	}
	s.trees[dir] = t
	return t, nil
}

func (s *treeStore) open(p string, e entry) (int64, io.ReadCloser, error) {
	f, err := s.file(p, e)
	if err != nil {
		return 0, nil, err
	}
	rd, err := f.Reader()
	if err != nil {
		return 0, nil, err
	}
	return f.Size, rd, nil
}

func (s *treeStore) readLink(p string, e entry) (string, error) {
	f, err := s.file(p, e)
	if err != nil {
		return "", err
	}
	if f.Size > maxLinkTarget {
		return "", fmt.Errorf("symlink target is %d bytes long", f.Size)
	}
	return f.Contents()
}

func (s *treeStore) file(p string, e entry) (*object.File, error) {
	t, err := s.tree(path.Dir(p))
	if err != nil {
		return nil, err
	}
	mode := filemode.Regular
	if e.kind == kindSymlink {
		mode = filemode.Symlink
	}
	return t.TreeEntryFile(&object.TreeEntry{Name: e.name, Mode: mode, Hash: e.hash})
}

func (s *treeStore) close() error { return nil }
