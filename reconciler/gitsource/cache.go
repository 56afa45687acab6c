package gitsource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// maxPacks bounds how many pack files a cache may gather (one per fetch that
// brought something) before it is re-cloned from scratch, which keeps a
// long-lived shallow cache small and lookups fast.
const maxPacks = 64

// cacheDir is the directory of the bare repository caching url under root:
// the SHA-256 of the URL without credentials, with "-full" for full-history
// clones, which are kept apart from the shallow ones.
func cacheDir(root, url string, full bool) string {
	sum := sha256.Sum256([]byte(url))
	name := hex.EncodeToString(sum[:16])
	if full {
		name += "-full"
	}
	return filepath.Join(root, name)
}

// dirLocks serialises the operations on one cache directory within the
// process. Each value is a channel of capacity one, so that waiting for the
// lock honours the context.
var dirLocks sync.Map // dir → chan struct{}

func lockDir(ctx context.Context, dir string) (unlock func(), err error) {
	v, _ := dirLocks.LoadOrStore(dir, make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for cache: %w", ctx.Err())
	}
}

// errCorrupt marks a cache that cannot be used as it is.
var errCorrupt = errors.New("cache is corrupt")

// openCache opens the bare repository in dir, creating it if absent. It
// returns errCorrupt if dir exists but is not a usable repository.
func openCache(dir string) (st *filesystem.Storage, created bool, err error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := initCache(dir); err != nil {
			return nil, false, err
		}
		created = true
	} else if err != nil {
		return nil, false, fmt.Errorf("open cache: %w", err)
	}
	for _, f := range []string{"HEAD", "config", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, false, fmt.Errorf("%w: %s is missing", errCorrupt, f)
		}
	}
	st = newStorage(dir)
	if _, err := st.Config(); err != nil {
		return nil, false, fmt.Errorf("%w: config: %w", errCorrupt, err)
	}
	if _, err := st.Shallow(); err != nil {
		return nil, false, fmt.Errorf("%w: shallow: %w", errCorrupt, err)
	}
	return st, created, nil
}

// objectCache bounds the decoded objects each storage keeps: a Checkout's
// tree is read about once per sync, so go-git's 96 MiB default would only
// hold memory.
const objectCache = 8 * cache.MiByte

func newStorage(dir string) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(osfs.New(dir, osfs.WithBoundOS()), cache.NewObjectLRU(objectCache), filesystem.Options{})
}

// initCache creates an empty bare repository at dir, atomically: it is built
// beside dir and renamed into place, so a crash leaves no half repository.
func initCache(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return fmt.Errorf("create cache: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".init-")
	if err != nil {
		return fmt.Errorf("create cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	if _, err := git.Init(newStorage(tmp), nil); err != nil {
		return fmt.Errorf("create cache: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("create cache: %w", err)
	}
	return nil
}

// packCount counts the pack files in the cache.
func packCount(dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "pack-*.pack"))
	return len(m)
}

// wipe removes the cache directory.
func wipe(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove cache: %w", err)
	}
	return nil
}
