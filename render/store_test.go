package render

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
)

// memStore is a repository held in memory, for tests: files by slash path,
// and symlinks by slash path to their targets.
type memStore struct {
	files map[string]string
	links map[string]string
}

func (m memStore) list(dir string, _ int) ([]entry, error) {
	seen := map[string]entryKind{}
	add := func(p string, kind entryKind) {
		rel := p
		if dir != "." {
			var ok bool
			if rel, ok = strings.CutPrefix(p, dir+"/"); !ok {
				return
			}
		}
		name, rest, nested := strings.Cut(rel, "/")
		if nested && rest != "" {
			kind = kindDir
		}
		seen[name] = kind
	}
	for p := range m.files {
		add(p, kindFile)
	}
	for p := range m.links {
		add(p, kindSymlink)
	}
	if len(seen) == 0 && dir != "." {
		return nil, fs.ErrNotExist
	}
	var out []entry
	for name, kind := range seen {
		out = append(out, entry{name: name, kind: kind})
	}
	return out, nil
}

func (m memStore) open(p string, _ entry) (int64, io.ReadCloser, error) {
	data, ok := m.files[p]
	if !ok {
		return 0, nil, errors.New("no such file: " + path.Clean(p))
	}
	return int64(len(data)), io.NopCloser(bytes.NewReader([]byte(data))), nil
}

func (m memStore) readLink(p string, _ entry) (string, error) { return m.links[p], nil }

func (m memStore) close() error { return nil }

// memSnapshot is a snapshot of files held in memory, with the default
// budgets.
func memSnapshot(files map[string]string) *snapshot {
	return newSnapshot(memStore{files: files}, newBudget(context.Background(), Options{}.withDefaults()))
}
