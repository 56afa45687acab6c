package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// dirStore reads a directory on disk. Every access goes through an os.Root,
// so that nothing outside the directory is read even if the tree changes
// while it is read.
type dirStore struct {
	root *os.Root
}

func openDirStore(dir string) (*dirStore, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &dirStore{root: root}, nil
}

func (s *dirStore) list(dir string, max int) ([]entry, error) {
	f, err := s.root.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []entry
	for len(entries) <= max {
		batch, err := f.ReadDir(256)
		for _, d := range batch {
			entries = append(entries, entry{name: d.Name(), kind: dirEntryKind(d.Type())})
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return entries, nil
}

func dirEntryKind(m fs.FileMode) entryKind {
	switch {
	case m.IsDir():
		return kindDir
	case m&fs.ModeSymlink != 0:
		return kindSymlink
	case m.IsRegular():
		return kindFile
	default:
		return kindOther
	}
}

func (s *dirStore) open(p string, _ entry) (int64, io.ReadCloser, error) {
	f, err := s.root.Open(p)
	if err != nil {
		return 0, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return 0, nil, fmt.Errorf("not a regular file")
	}
	return info.Size(), f, nil
}

func (s *dirStore) readLink(p string, _ entry) (string, error) {
	target, err := s.root.Readlink(p)
	if err != nil {
		return "", err
	}
	if len(target) > maxLinkTarget {
		return "", fmt.Errorf("symlink target is %d bytes long", len(target))
	}
	return target, nil
}

func (s *dirStore) close() error { return s.root.Close() }
