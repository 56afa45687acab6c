package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// readDir reads the manifest files of the repository rooted at root.
// Symlinks are followed only while they stay inside the repository.
func readDir(root string, opts Options) (*snapshot, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("read repository %s: %w", root, err)
	}
	if info, err := os.Stat(realRoot); err != nil {
		return nil, fmt.Errorf("read repository %s: %w", root, err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("read repository %s: not a directory", root)
	}
	s := newSnapshot(opts)
	r := dirReader{root: realRoot, snap: s, visited: map[string]bool{}}
	if err := r.walk(realRoot, "."); err != nil {
		return nil, err
	}
	return s, nil
}

type dirReader struct {
	root    string
	snap    *snapshot
	visited map[string]bool // real directories walked, against symlink cycles
}

// walk reads the directory at real path dir, which the repository sees as
// the slash path rel.
func (r *dirReader) walk(dir, rel string) error {
	if r.visited[dir] {
		return nil
	}
	r.visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", rel, err)
	}
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		full := filepath.Join(dir, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			if err := r.symlink(full, name); err != nil {
				return err
			}
			continue
		}
		if e.IsDir() {
			if skipDir(e.Name()) {
				continue
			}
			if err := r.walk(full, name); err != nil {
				return err
			}
			continue
		}
		if e.Type().IsRegular() && isManifest(e.Name()) {
			if err := r.file(full, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// symlink follows the link at real path full, seen as name, if its target
// stays inside the repository.
func (r *dirReader) symlink(full, name string) error {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			r.snap.reject(name, "symlink points to a file that does not exist")
			return nil
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	relTarget, err := filepath.Rel(r.root, target)
	if err != nil || !inside(filepath.ToSlash(relTarget)) {
		link, _ := os.Readlink(full)
		r.snap.reject(name, fmt.Sprintf("symlink to %s leaves the repository; copy the file into the repository instead", link))
		return nil
	}
	info, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	switch {
	case info.IsDir():
		if skipDir(path.Base(name)) {
			return nil
		}
		return r.walk(target, name)
	case info.Mode().IsRegular() && isManifest(path.Base(name)):
		return r.file(target, name)
	}
	return nil
}

func (r *dirReader) file(full, name string) error {
	f, err := os.Open(full)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !r.snap.admit(name, info.Size()) {
		return nil
	}
	// Read at most one byte past the limit, in case the file grew.
	data, err := io.ReadAll(io.LimitReader(f, r.snap.opts.MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !r.snap.admit(name, int64(len(data))) {
		return nil
	}
	r.snap.add(strings.TrimPrefix(name, "./"), data)
	return nil
}
