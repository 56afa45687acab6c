package gitsource_test

import (
	"os"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"

	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// TestRepositoryPath checks a path given relative to a directory below the
// top of the work tree is turned into one from the top, as tabby drift
// --repo DIR --ref REF --path P needs it.
func TestRepositoryPath(t *testing.T) {
	top := t.TempDir()
	if _, err := git.PlainInit(top, false); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(top, "network")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	repo, err := gitsource.OpenRepository(sub)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, p, want string }{
		{top, "clusters/prod", "clusters/prod"},
		{sub, "clusters/prod", "network/clusters/prod"},
		{sub, ".", "network"},
	} {
		if got := repo.Path(tc.dir, tc.p); got != tc.want {
			t.Errorf("Path(%s, %s) = %s, want %s", tc.dir, tc.p, got, tc.want)
		}
	}
}
