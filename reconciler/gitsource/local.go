package gitsource

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// checkLocal refuses a repository on this machine's own filesystem unless
// the Source allows file:// URLs. Where several tenants share a controller,
// such a URL reads whatever the controller can read, among it the clones of
// other tenants' private repositories in the cache. Even when file:// URLs
// are allowed, one inside CacheDir is refused: a cached clone is served only
// after its remote accepted the caller's credentials, and reading it
// directly would skip that check.
func (s *Source) checkLocal(ep endpoint) error {
	if ep.scheme != "file" {
		return nil
	}
	if !s.AllowFileURLs {
		return fmt.Errorf("%w: url is a file:// URL, a repository on the controller's own filesystem, "+
			"which is refused; use the repository's https:// or ssh:// URL (file:// URLs are for tests and demos, "+
			"and the controller allows them only when started with --allow-local-git-urls)", ErrInvalid)
	}
	if s.CacheDir == "" {
		return nil
	}
	// The path go-git hands to git-upload-pack.
	e, err := transport.NewEndpoint(ep.url)
	if err != nil {
		return fmt.Errorf("%w: url does not parse", ErrInvalid)
	}
	if within(realPath(e.Path), realPath(s.CacheDir)) {
		return fmt.Errorf("%w: url names a repository inside the cache directory, where other syncs' clones are; "+
			"use the URL of the repository itself", ErrInvalid)
	}
	return nil
}

// realPath returns p absolute and clean, with symbolic links resolved when
// it exists.
func realPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		return real
	}
	return filepath.Clean(p)
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
