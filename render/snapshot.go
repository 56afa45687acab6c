package render

import (
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// snapshot is a repository as one render sees it: a store, read lazily.
// Directories are listed, files read and symlinks resolved the first time
// the render needs them, each once, and charged to the render's budget
// then; nothing else is read, which confines the render to the closure of
// the path it renders. Everything is keyed by real path: a clean slash path
// relative to the repository root in which no component is a symlink.
//
// A file that cannot be read safely (over the size limit, or a symlink that
// leaves the repository or does not resolve) is an Error where the render
// uses it, so that a problem elsewhere in the repository does not block the
// path being rendered.
type snapshot struct {
	src    store
	opts   Options
	budget *budget

	dirs    map[string][]entry // listed, sorted by name
	badDirs map[string]*Error  // that cannot be listed
	files   map[string][]byte  // read
	links   map[string]*link   // resolved, by the symlink's real path
	lookups map[string]lookupResult

	// err is the store's own failure (an unreadable object store, an I/O
	// error): not a problem of the content, and the end of the render.
	err error
}

func newSnapshot(src store, b *budget) *snapshot {
	return &snapshot{
		src:     src,
		opts:    b.opts,
		budget:  b,
		dirs:    make(map[string][]entry),
		badDirs: make(map[string]*Error),
		files:   make(map[string][]byte),
		links:   make(map[string]*link),
		lookups: make(map[string]lookupResult),
	}
}

// stopped reports whether the render must stop: a budget is exhausted, the
// context ended, or the store failed.
func (s *snapshot) stopped() bool { return s.err != nil || s.budget.stopped() }

func (s *snapshot) fail(p string, err error) {
	if s.err == nil {
		s.err = fmt.Errorf("read %s: %w", p, err)
	}
}

// maxDepth bounds how deep directories nest, as YAML nesting is bounded:
// paths, and the work of walking them, stay small.
const maxDepth = 256

// list returns the entries of the real directory dir, sorted by name, or
// nil once the render has stopped.
func (s *snapshot) list(dir string) ([]entry, *Error) {
	if entries, ok := s.dirs[dir]; ok {
		return entries, nil
	}
	if bad, ok := s.badDirs[dir]; ok {
		return nil, bad
	}
	if s.stopped() || !s.budget.alive(dir) {
		return nil, nil
	}
	if strings.Count(dir, "/") >= maxDepth {
		return nil, s.badDir(dir, CodeBudgetExceeded, fmt.Sprintf("directories are nested more than %d deep here; flatten the repository", maxDepth))
	}
	entries, err := s.src.list(dir, s.opts.MaxFiles-s.budget.entries)
	var invalid invalidTree
	if errors.As(err, &invalid) {
		return nil, s.badDir(dir, CodePathInvalid, string(invalid)+"; Git refuses to check it out, and so does rendering")
	}
	if err != nil {
		s.fail(dir, err)
		return nil, nil
	}
	if !s.budget.list(dir, len(entries)) {
		return nil, nil
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for i, e := range entries {
		// A Git tree can hold what no directory can; Git refuses to check
		// such a tree out, and so does rendering.
		if e.name == "" || e.name == "." || e.name == ".." || strings.ContainsAny(e.name, "/\x00") ||
			i > 0 && entries[i-1].name == e.name {
			return nil, s.badDir(dir, CodePathInvalid, fmt.Sprintf("directory holds an entry named %q, which Git refuses to check out; remove it", e.name))
		}
		entries[i].unusable = unusableName(e.name)
	}
	s.dirs[dir] = entries
	return entries, nil
}

// unusableName says why a name that a directory and a Git tree may both
// hold cannot be rendered the same from both, or "". go-git refuses to
// read such names from a tree, so a checkout's are refused too.
func unusableName(name string) string {
	switch {
	case strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return "its name holds a control character"
	case strings.Contains(name, `\`):
		return "its name holds a backslash"
	case strings.EqualFold(strings.TrimRight(name, ". "), ".git") || strings.EqualFold(name, "git~1"):
		return "it is named as Git's own directory"
	}
	return ""
}

func (s *snapshot) badDir(dir, code, msg string) *Error {
	e := &Error{Code: code, File: dir, Msg: msg}
	s.badDirs[dir] = e
	return e
}

// find returns the entry name of the real directory dir.
func (s *snapshot) find(dir, name string) (entry, bool, *Error) {
	entries, lerr := s.list(dir)
	if lerr != nil {
		return entry{}, false, lerr
	}
	i := sort.Search(len(entries), func(i int) bool { return entries[i].name >= name })
	if i < len(entries) && entries[i].name == name {
		return entries[i], true, nil
	}
	return entry{}, false, nil
}

// read returns the content of the file n resolves to, reading it the first
// time. It returns a nil slice once the render has stopped.
func (s *snapshot) read(n node) ([]byte, *Error) {
	if data, ok := s.files[n.path]; ok {
		return data, nil
	}
	if s.stopped() || !s.budget.alive(n.path) {
		return nil, nil
	}
	size, rd, err := s.src.open(n.path, n.entry)
	if err != nil {
		s.fail(n.path, err)
		return nil, nil
	}
	defer rd.Close()
	if size > s.opts.MaxFileSize {
		return nil, s.tooLarge(n.path, size)
	}
	if !s.budget.read(n.path, size) {
		return nil, nil
	}
	// Read at most one byte past the limit, in case the file grew.
	data, err := io.ReadAll(io.LimitReader(rd, s.opts.MaxFileSize+1))
	if err != nil {
		s.fail(n.path, err)
		return nil, nil
	}
	if int64(len(data)) > s.opts.MaxFileSize {
		return nil, s.tooLarge(n.path, int64(len(data)))
	}
	s.files[n.path] = data
	return data, nil
}

func (s *snapshot) tooLarge(p string, size int64) *Error {
	return &Error{Code: CodeBudgetExceeded, File: p, Msg: fmt.Sprintf("file is %s, over the limit of %s; split it into smaller files, or raise --render-max-file-size",
		byteSize(size), byteSize(s.opts.MaxFileSize))}
}

// file returns the content of the file at p, resolved, or nil when p is not
// a readable file.
func (s *snapshot) file(p string) ([]byte, *Error) {
	n, err := s.lookup(p)
	if err != nil || n.kind != kindFile {
		return nil, err
	}
	return s.read(n)
}

// usable reports whether p resolves to a file that can be read, reading
// it, or else the problem with it, if there is one.
func (s *snapshot) usable(p string) (bool, *Error) {
	n, err := s.lookup(p)
	if err != nil || n.kind != kindFile {
		return false, err
	}
	data, err := s.read(n)
	return data != nil, err
}

// isFile reports whether p resolves to a file.
func (s *snapshot) isFile(p string) bool {
	n, err := s.lookup(p)
	return err == nil && n.kind == kindFile
}

// isDir reports whether p resolves to a directory.
func (s *snapshot) isDir(p string) bool {
	n, err := s.lookup(p)
	return err == nil && n.kind == kindDir
}

// isManifest reports whether a file name is one rendering reads: YAML and
// JSON files and kustomizations. Hidden files (.pre-commit-config.yaml,
// .gitlab-ci.yml) configure tools, not clusters, and are left out, as
// hidden directories are.
func isManifest(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch path.Ext(name) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return name == "Kustomization"
}

// inside reports whether the slash path p, relative to the repository root,
// stays inside it.
func inside(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !path.IsAbs(p)
}

// kustomizationNames are the file names kustomize recognises, in its order
// of preference.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomization returns the kustomization file of dir, if it has one, as a
// real path.
func (s *snapshot) kustomization(dir string) (string, bool) {
	d, err := s.lookup(dir)
	if err != nil || d.kind != kindDir {
		return "", false
	}
	for _, name := range kustomizationNames {
		if n, err := s.lookup(path.Join(d.path, name)); err == nil && n.kind == kindFile {
			// Read it now, so that files holds it for those who parse it;
			// a problem reading it is reported where it is built.
			_, _ = s.read(n)
			return n.path, true
		}
	}
	return "", false
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
