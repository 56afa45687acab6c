package render

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// FuzzTree renders Git trees built entry by entry from arbitrary input, as
// a hostile repository can hold them and no checkout can: any name ("",
// "..", "a/b", duplicates), any mode, symlinks to anything, one blob under
// many names, trees nested in any way. The render must not panic, and must
// stay within its budgets.
//
// The input is records separated by "\n--\n", each a first line
// "KIND PATH" (KIND f file, x executable, l symlink, m submodule), then the
// content: the file's, or the symlink's target.
func FuzzTree(f *testing.F) {
	f.Add([]byte("f a.yaml\n" + tiers("a", 2)))
	f.Add([]byte("f real/t.yaml\n" + tiers("t", 1) + "\n--\nl link\nreal\n--\nl real/up\n..\n--\nl loop\nloop"))
	f.Add([]byte("f a.yaml\n" + tiers("a", 1) + "\n--\nf a.yaml\n" + tiers("b", 1) + "\n--\nf ../x.yaml\n" + tiers("x", 1)))
	f.Add([]byte("f d/kustomization.yaml\nresources: [t.yaml]\nnamePrefix: p-\n--\nf d/t.yaml\n" + tiers("t", 1) + "\n--\nm d/sub\nx"))
	f.Add([]byte("l d0/l0\n../d1\n--\nl d0/l1\n../d1\n--\nl d1/l0\n../d2\n--\nl d1/l1\n../d2\n--\nf d2/t.yaml\n" + tiers("t", 1)))
	f.Add([]byte("f a//b.yaml\n" + tiers("a", 1) + "\n--\nl abs.yaml\n/etc/passwd\n--\nl .hidden\n.\n--\nf x/./y.yaml\nz: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree := fuzzTree(t, data)
		if tree == nil {
			return // go-git refuses the root tree: there is nothing to render
		}
		renderWithin(t, newTreeStore(tree), ".")
		for _, p := range []string{"a.yaml", "d", "link", "d0"} {
			renderWithin(t, newTreeStore(tree), p)
		}
	})
}

// treeNode is a tree being built: its entries in the order given.
type treeNode struct {
	names    []string
	children []*treeNode // nil for a leaf
	leaves   []object.TreeEntry
}

// fuzzTree builds the tree the input describes in an in-memory object
// store, or returns nil when go-git cannot decode its root.
func fuzzTree(t *testing.T, data []byte) *object.Tree {
	t.Helper()
	st := memory.NewStorage()
	root := &treeNode{}
	for _, rec := range bytes.Split(data, []byte("\n--\n")) {
		head, content, _ := bytes.Cut(rec, []byte("\n"))
		kind, p, ok := strings.Cut(string(head), " ")
		if !ok {
			continue
		}
		mode := map[string]filemode.FileMode{"f": filemode.Regular, "x": filemode.Executable, "l": filemode.Symlink, "m": filemode.Submodule}[kind]
		if mode == filemode.Empty {
			continue
		}
		hash := storeBlob(t, st, content)
		parts := strings.Split(p, "/")
		dir := root
		for _, part := range parts[:len(parts)-1] {
			dir = dir.subtree(part)
		}
		dir.names = append(dir.names, parts[len(parts)-1])
		dir.children = append(dir.children, nil)
		dir.leaves = append(dir.leaves, object.TreeEntry{Name: parts[len(parts)-1], Mode: mode, Hash: hash})
	}
	tree, err := object.GetTree(st, root.store(t, st))
	if err != nil {
		return nil
	}
	return tree
}

// subtree returns the subtree name of n, adding it if it has none.
func (n *treeNode) subtree(name string) *treeNode {
	for i, c := range n.children {
		if c != nil && n.names[i] == name {
			return c
		}
	}
	c := &treeNode{}
	n.names = append(n.names, name)
	n.children = append(n.children, c)
	n.leaves = append(n.leaves, object.TreeEntry{})
	return c
}

// sort puts the entries of n and its subtrees in Git's order, as a commit
// has them.
func (n *treeNode) sort() {
	sortName := func(i int) string {
		if n.children[i] != nil {
			n.children[i].sort()
			return n.names[i] + "/"
		}
		return n.names[i]
	}
	idx := make([]int, len(n.names))
	keys := make([]string, len(n.names))
	for i := range idx {
		idx[i], keys[i] = i, sortName(i)
	}
	sort.Slice(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	names, children, leaves := n.names, n.children, n.leaves
	n.names, n.children, n.leaves = nil, nil, nil
	for _, i := range idx {
		n.names = append(n.names, names[i])
		n.children = append(n.children, children[i])
		n.leaves = append(n.leaves, leaves[i])
	}
}

// store writes n and its subtrees as tree objects, entries in the order
// given (go-git's encoder insists on Git's), and returns its hash.
func (n *treeNode) store(t *testing.T, st *memory.Storage) plumbing.Hash {
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.TreeObject)
	w, err := obj.Writer()
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range n.names {
		e := n.leaves[i]
		if c := n.children[i]; c != nil {
			e = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: c.store(t, st)}
		}
		fmt.Fprintf(w, "%o %s\x00", uint32(e.Mode), e.Name)
		w.Write(e.Hash[:])
	}
	w.Close()
	hash, err := st.SetEncodedObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

func storeBlob(t *testing.T, st *memory.Storage, content []byte) plumbing.Hash {
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	w.Close()
	hash, err := st.SetEncodedObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}
