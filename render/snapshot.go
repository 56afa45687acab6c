package render

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// snapshot is the manifest files of a repository read into memory, keyed by
// clean slash-separated paths relative to the repository root. Rendering
// reads nothing else, which confines it to the repository.
//
// A file that cannot be read safely (over the size limit, or a symlink
// leaving the repository) is recorded in bad and reported only if rendering
// uses it, so that a problem elsewhere in the repository does not block the
// path being rendered. Limits on the repository as a whole are errs.
type snapshot struct {
	files map[string][]byte
	bad   map[string]*Error
	total int64
	full  bool // a repository-wide limit was reached
	opts  Options
	errs  ErrorList
}

func newSnapshot(opts Options) *snapshot {
	return &snapshot{files: make(map[string][]byte), bad: make(map[string]*Error), opts: opts}
}

// reject records a file that cannot be read safely.
func (s *snapshot) reject(name, msg string) {
	s.bad[name] = &Error{File: name, Msg: msg}
}

// badUnder returns the rejected files at or below dir, sorted.
func (s *snapshot) badUnder(dir string) ErrorList {
	var l ErrorList
	for name, e := range s.bad {
		if dir == "." || name == dir || strings.HasPrefix(name, dir+"/") {
			l = append(l, e)
		}
	}
	sort.Slice(l, func(i, j int) bool { return l[i].File < l[j].File })
	return l
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

// skipDir reports whether a directory is left out of the snapshot: hidden
// directories such as .git and .github hold no configuration.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." && name != ".."
}

// admit checks a file against the limits before it is read and records an
// error when it breaks one.
func (s *snapshot) admit(name string, size int64) bool {
	switch {
	case size > s.opts.MaxFileSize:
		s.reject(name, fmt.Sprintf("file is %s, over the limit of %s; split it into smaller files", byteSize(size), byteSize(s.opts.MaxFileSize)))
		return false
	case s.full:
		return false
	case len(s.files) >= s.opts.MaxFiles:
		s.full = true
		s.errs = append(s.errs, &Error{File: name, Msg: fmt.Sprintf(
			"repository has more than %d manifest files; split it or raise the limit", s.opts.MaxFiles)})
		return false
	case s.total+size > s.opts.MaxTotalSize:
		s.full = true
		s.errs = append(s.errs, &Error{File: name, Msg: fmt.Sprintf(
			"manifests exceed %s in total; split the repository or raise the limit", byteSize(s.opts.MaxTotalSize))})
		return false
	}
	return true
}

func (s *snapshot) add(name string, data []byte) {
	s.total += int64(len(data))
	s.files[name] = data
}

// inside reports whether the slash path p, relative to the repository root,
// stays inside it.
func inside(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !path.IsAbs(p)
}

// isDir reports whether dir holds any file of the snapshot.
func (s *snapshot) isDir(dir string) bool {
	if dir == "." {
		return len(s.files) > 0
	}
	prefix := dir + "/"
	for name := range s.files {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// under returns the files below dir, sorted.
func (s *snapshot) under(dir string) []string {
	var names []string
	for name := range s.files {
		if dir == "." || strings.HasPrefix(name, dir+"/") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// kustomizationNames are the file names kustomize recognises, in its order
// of preference.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomization returns the kustomization file of dir, if it has one.
func (s *snapshot) kustomization(dir string) (string, bool) {
	for _, n := range kustomizationNames {
		p := path.Join(dir, n)
		if _, ok := s.files[p]; ok {
			return p, true
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
