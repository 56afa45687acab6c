package gitsource_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// TestLocalURLsRefused checks that a repository on the machine's own
// filesystem is refused, by Resolve and by Fetch, with ErrInvalid and a
// message saying what to do: every file:// URL unless the Source allows
// them, and, even then, one naming a clone in the cache. The cache holds a
// clone of a private repository, fetched with the right credentials, which
// is what another tenant would try to read.
func TestLocalURLsRefused(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{Username: "u", Password: "p"})
	cache := t.TempDir()
	owner := &gitsource.Source{URL: h.url(), Auth: gitsource.Auth{Username: "u", Password: "p"}, CacheDir: cache}
	if _, err := owner.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	clones, err := filepath.Glob(filepath.Join(cache, "*"))
	if err != nil || len(clones) != 1 {
		t.Fatalf("cache holds %v (%v), want one clone", clones, err)
	}
	clone := clones[0]
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(cache, link); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		url   string
		allow bool
		want  string
	}{
		{"file URL", "file://" + h.repo.Bare, false, "url is a file:// URL"},
		{"file URL of a cached clone", "file://" + clone, false, "url is a file:// URL"},
		{"upper-case scheme", "FILE://" + h.repo.Bare, false, "url is a file:// URL"},
		{"local path", h.repo.Bare, false, "url is neither"},
		{"cached clone, file URLs allowed", "file://" + clone, true, "inside the cache directory"},
		{"cached clone through dot-dot", "file://" + filepath.Join(cache, "x", "..", filepath.Base(clone)), true, "inside the cache directory"},
		{"cached clone through a host", "file://cache" + clone, true, "inside the cache directory"},
		{"cached clone through a symlink", "file://" + filepath.Join(link, filepath.Base(clone)), true, "inside the cache directory"},
		{"the cache itself", "file://" + cache, true, "inside the cache directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &gitsource.Source{URL: tc.url, CacheDir: cache, AllowFileURLs: tc.allow}
			if _, err := s.Resolve(t.Context()); !errors.Is(err, gitsource.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Resolve: %v, want ErrInvalid saying %q", err, tc.want)
			}
			if co, err := s.Fetch(t.Context()); !errors.Is(err, gitsource.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Fetch = %v, %v, want ErrInvalid saying %q", co, err, tc.want)
			}
		})
	}
	allowed := &gitsource.Source{URL: "file://" + h.repo.Bare, CacheDir: cache, AllowFileURLs: true}
	if _, err := allowed.Fetch(t.Context()); err != nil {
		t.Errorf("Fetch of an allowed file:// URL outside the cache: %v", err)
	}
}
