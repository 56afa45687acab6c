package gitsource_test

import (
	"os"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// Fetches, with or without a download, leave no file descriptors open.
func TestNoDescriptorLeak(t *testing.T) {
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd to count descriptors")
	}
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: h.url(), CacheDir: t.TempDir()}
	fetch := func() {
		co, err := s.Fetch(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := co.Tree.File("a.yaml"); err != nil {
			t.Fatal(err)
		}
	}
	fetch()
	before := openFDs(t)
	for i := range 20 {
		if i%5 == 0 {
			h.repo.Commit("main", map[string]string{"a.yaml": string(rune('a' + i))})
		}
		fetch()
	}
	if after := openFDs(t); after > before+2 {
		t.Errorf("open descriptors grew from %d to %d over 20 fetches", before, after)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	e, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(e)
}
