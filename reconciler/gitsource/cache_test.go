package gitsource_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// cacheRepo returns the one repository directory under cache.
func cacheRepo(t *testing.T, cache string) string {
	t.Helper()
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries, want 1", len(entries))
	}
	return filepath.Join(cache, entries[0].Name())
}

func glob1(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		t.Fatalf("nothing matches %s", pattern)
	}
	return m[0]
}

func TestCorruptCache(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	corruptions := map[string]func(t *testing.T, dir string){
		"not a directory": func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir, []byte("junk"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"empty directory": func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		},
		"config garbage": func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "config"), []byte("[core\nbare = ="), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"packs removed": func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "objects", "pack")); err != nil {
				t.Fatal(err)
			}
		},
		"pack truncated": func(t *testing.T, dir string) {
			if err := os.Truncate(glob1(t, filepath.Join(dir, "objects", "pack", "*.pack")), 40); err != nil {
				t.Fatal(err)
			}
		},
		"index zeroed": func(t *testing.T, dir string) {
			idx := glob1(t, filepath.Join(dir, "objects", "pack", "*.idx"))
			fi, err := os.Stat(idx)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(idx, make([]byte, fi.Size()), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"shallow garbage": func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "shallow"), []byte("not a hash\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"ref points nowhere": func(t *testing.T, dir string) {
			ref := filepath.Join(dir, "refs", "heads", "main")
			if err := os.WriteFile(ref, []byte("0123456789abcdef0123456789abcdef01234567\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(filepath.Join(dir, "objects", "pack")); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, corrupt := range corruptions {
		t.Run(name, func(t *testing.T) {
			cache := t.TempDir()
			s := &gitsource.Source{URL: h.url(), CacheDir: cache}
			if _, err := s.Fetch(t.Context()); err != nil {
				t.Fatal(err)
			}
			corrupt(t, cacheRepo(t, cache))
			co, err := s.Fetch(t.Context())
			if err != nil {
				t.Fatalf("Fetch from a corrupt cache: %v", err)
			}
			if co.Revision.Commit != h.c3 || contents(t, co, "a.yaml") != "v3" {
				t.Errorf("Fetch = %v, want %s", co.Revision, h.c3)
			}
			// And the repaired cache serves the next Fetch without a download.
			fetches := h.server.Fetches()
			if _, err := s.Fetch(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := h.server.Fetches() - fetches; n != 0 {
				t.Errorf("Fetch after repair made %d upload-pack requests, want 0", n)
			}
		})
	}
}

func TestMaxBytes(t *testing.T) {
	root := t.TempDir()
	repo := gitserver.NewRepo(t, root, "big.git")
	noise := make([]byte, 256<<10) // incompressible
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	repo.Commit("main", map[string]string{"noise": hex.EncodeToString(noise)})
	server := gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{})
	cache := t.TempDir()

	s := &gitsource.Source{URL: server.RepoURL("big.git"), CacheDir: cache, MaxBytes: 64 << 10}
	_, err := s.Fetch(t.Context())
	wantErr(t, err, gitsource.ErrTooLarge)
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("the cache keeps %d entries after a refused pack, want none", len(entries))
	}

	s.MaxBytes = 0 // the default, 512 MiB
	if _, err := s.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// A remote that accepts the connection and then says nothing is given up on
// at the Source's timeout, over HTTP and over SSH (where go-git itself has
// no timeout for the handshake).
func TestTimeout(t *testing.T) {
	stall := gitserver.NewStallServer(t)
	key := gitserver.NewSSHKey(t, "tabby@test")
	for name, s := range map[string]*gitsource.Source{
		"http": {URL: "http://" + stall.Addr() + "/config.git"},
		"ssh": {URL: "ssh://git@" + stall.Addr() + "/config.git", Auth: gitsource.Auth{
			SSHPrivateKey: key.Private,
			KnownHosts:    []byte(stall.Addr() + " " + string(key.AuthorizedKey)),
		}},
	} {
		t.Run(name, func(t *testing.T) {
			s.CacheDir = t.TempDir()
			s.Timeout = 200 * time.Millisecond
			_, err := s.Resolve(t.Context())
			wantErr(t, err, context.DeadlineExceeded)
			_, err = s.Fetch(t.Context())
			wantErr(t, err, context.DeadlineExceeded)
		})
	}
}

func TestCancel(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s := &gitsource.Source{URL: h.url(), CacheDir: t.TempDir()}
	_, err := s.Fetch(ctx)
	wantErr(t, err, context.Canceled)
}
