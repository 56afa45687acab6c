package render

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// linkSlots are where FuzzSymlinks puts its symlinks, beside fixed files.
var linkSlots = []string{"l1", "l2.yaml", "d/l3", "d/e/l4.yaml", "d/e/l5"}

var linkFiles = map[string]string{
	"t.yaml":     tiers("t", 1),
	"d/u.yaml":   tiers("u", 1),
	"d/e/v.yaml": tiers("v", 1),
}

// FuzzSymlinks gives symlinks arbitrary targets and renders the repository
// from a Git tree and from a directory on disk holding the same links: the
// results must be the same, within the budgets. The input is the targets,
// one a line, of the links in linkSlots.
func FuzzSymlinks(f *testing.F) {
	f.Add("t.yaml\n../t.yaml\n..\n../../d\n.")
	f.Add("l2.yaml\nl1\nl3\n../l3\ne/l5")
	f.Add("d/e\n/etc/passwd\n../../..\nl4.yaml\nv.yaml")
	f.Add("d\nd/e/../../t.yaml\n./e/./v.yaml\n../l3/e\n../../l1/e")
	f.Fuzz(func(t *testing.T, input string) {
		targets := strings.Split(input, "\n")
		if len(targets) > len(linkSlots) {
			targets = targets[:len(linkSlots)]
		}
		links := map[string]string{}
		for i, target := range targets {
			if target == "" || len(target) > 200 || strings.ContainsRune(target, 0) {
				return // no file system holds such a link
			}
			links[linkSlots[i]] = target
		}
		root := t.TempDir()
		for name, content := range linkFiles {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for name, target := range links {
			if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
		}
		dir, err := openDirStore(root)
		if err != nil {
			t.Fatal(err)
		}
		defer dir.close()
		tree := linkTree(t, links)
		for _, p := range append([]string{".", "d", "d/e"}, linkSlots...) {
			fromDir, dirErr := renderWithin(t, dir, p)
			fromTree, treeErr := renderWithin(t, newTreeStore(tree), p)
			if got, want := outcome(t, fromTree, treeErr), outcome(t, fromDir, dirErr); got != want {
				t.Fatalf("%s: from a Git tree:\n%s\nfrom a directory:\n%s", p, got, want)
			}
		}
	})
}

// linkTree is linkFiles and links as a Git tree.
func linkTree(t *testing.T, links map[string]string) *object.Tree {
	t.Helper()
	st := memory.NewStorage()
	root := &treeNode{}
	add := func(name string, mode filemode.FileMode, content string) {
		dir := root
		if d := path.Dir(name); d != "." {
			for _, part := range strings.Split(d, "/") {
				dir = dir.subtree(part)
			}
		}
		dir.names = append(dir.names, path.Base(name))
		dir.children = append(dir.children, nil)
		dir.leaves = append(dir.leaves, object.TreeEntry{Name: path.Base(name), Mode: mode, Hash: storeBlob(t, st, []byte(content))})
	}
	for name, content := range linkFiles {
		add(name, filemode.Regular, content)
	}
	for name, target := range links {
		add(name, filemode.Symlink, target)
	}
	root.sort()
	tree, err := object.GetTree(st, root.store(t, st))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
