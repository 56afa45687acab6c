package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// commitTree commits files (slash path to content; a content starting with
// "symlink:" makes a symlink) to an in-memory repository and returns the
// commit's tree.
func commitTree(t *testing.T, files map[string]string) *object.Tree {
	t.Helper()
	wt := memfs.New()
	repo, err := git.Init(memory.NewStorage(), wt)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if target, ok := strings.CutPrefix(content, "symlink:"); ok {
			if err := wt.Symlink(target, name); err != nil {
				t.Fatal(err)
			}
			continue
		}
		f, err := wt.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	w, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "test", Email: "test@example.com", When: time.Unix(0, 0)}
	hash, err := w.Commit("test", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	commit, err := repo.CommitObject(hash)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := commit.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// repoFiles reads a directory into a map of slash paths to contents.
func repoFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTreeMatchesDir renders the example repository from a Git tree, with
// no checkout, and expects the same bytes as rendering it from disk.
func TestTreeMatchesDir(t *testing.T) {
	tree := commitTree(t, repoFiles(t, "../repos-example"))
	for _, cluster := range []string{"clusters/prod", "clusters/staging"} {
		fromTree, err := Tree(t.Context(), tree, cluster, Options{})
		if err != nil {
			t.Fatalf("%s from tree: %v", cluster, err)
		}
		fromDir, err := Dir(t.Context(), "../repos-example", cluster, Options{})
		if err != nil {
			t.Fatalf("%s from dir: %v", cluster, err)
		}
		if !bytes.Equal(renderYAML(t, fromTree), renderYAML(t, fromDir)) {
			t.Errorf("%s: tree and directory renders differ", cluster)
		}
	}
}

func TestTreeSymlinks(t *testing.T) {
	tree := commitTree(t, map[string]string{
		"real/t.yaml":   strings.ReplaceAll(tier, "%s", "t"),
		"inside.yaml":   "symlink:real/t.yaml",
		"dir":           "symlink:real",
		"chain.yaml":    "symlink:inside.yaml",
		"escape.yaml":   "symlink:../../etc/passwd.yaml",
		"absolute.yaml": "symlink:/etc/passwd.yaml",
	})
	for _, p := range []string{"inside.yaml", "dir", "chain.yaml"} {
		b, err := Tree(t.Context(), tree, p, Options{})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if len(b.Objects) != 1 || b.Objects[0].Object.GetName() != "t" {
			t.Errorf("%s: got %d objects", p, len(b.Objects))
		}
	}
	for _, p := range []string{"escape.yaml", "absolute.yaml"} {
		_, err := Tree(t.Context(), tree, p, Options{})
		if err == nil || !strings.Contains(err.Error(), p+": symlink to") || !strings.Contains(err.Error(), "leaves the repository") {
			t.Errorf("%s: err = %v", p, err)
		}
	}
}
