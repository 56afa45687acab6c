package render

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tabbynet/tabby/internal/gitserver"
)

// writeRepoWithLinks writes files as writeRepo does, a content starting
// with "symlink:" making a symlink to the rest.
func writeRepoWithLinks(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "symlink:"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// gitCommit commits files to a new repository with the git command, clones
// it, and returns the commit's tree and the clone's work tree: the same
// content as Git stores it and as a checkout lays it out on disk.
func gitCommit(t *testing.T, files map[string]string) (*object.Tree, string) {
	t.Helper()
	gitserver.RequireGit(t)
	src := writeRepoWithLinks(t, files)
	checkout := filepath.Join(t.TempDir(), "checkout")
	home := t.TempDir()
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@tabby.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@tabby.invalid"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(src, "init", "-q", "-b", "main")
	run(src, "add", "-A")
	run(src, "commit", "-q", "-m", "links")
	run(src, "clone", "-q", src, checkout)
	repo, err := git.PlainOpen(src)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	commit, err := repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := commit.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree, checkout
}

const pool = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: pool}\nspec: {cidr: %s}\n"

// symlinkRepos are repositories holding every kind of symlink, each with
// the paths rendered from it.
var symlinkRepos = []struct {
	name  string
	files map[string]string
	paths []string
}{
	{
		name:  "file link",
		files: map[string]string{"real/t.yaml": tiers("t", 1), "t.yaml": "symlink:real/t.yaml"},
		paths: []string{".", "t.yaml", "real"},
	},
	{
		name:  "directory link",
		files: map[string]string{"real/t.yaml": tiers("t", 1), "dir": "symlink:real", "other/dir": "symlink:../real"},
		paths: []string{".", "dir", "other", "other/dir", "dir/t.yaml"},
	},
	{
		// Resolved against the directory holding it, the link is the
		// checkout's pool; resolved against the path it is reached by, it
		// would be the root's.
		name: "link in a linked directory",
		files: map[string]string{
			"pool.yaml":          strings.ReplaceAll(pool, "%s", "10.0.0.0/16"),
			"env/pool.yaml":      strings.ReplaceAll(pool, "%s", "10.1.0.0/16"),
			"env/prod/pool.yaml": "symlink:../pool.yaml",
			"current":            "symlink:env/prod",
		},
		paths: []string{"current", "current/pool.yaml", "env/prod"},
	},
	{
		name:  "link to the directory holding it",
		files: map[string]string{"real/t.yaml": tiers("t", 1), "real/self": "symlink:.", "top": "symlink:."},
		paths: []string{".", "real", "real/self", "real/self/self/t.yaml", "top"},
	},
	{
		name:  "link to an ancestor",
		files: map[string]string{"a/t.yaml": tiers("a", 1), "b/u.yaml": tiers("b", 1), "a/up": "symlink:..", "a/b/root": "symlink:../.."},
		paths: []string{".", "a", "a/up/b", "a/b"},
	},
	{
		name: "chain",
		files: map[string]string{
			"real/t.yaml": tiers("t", 1), "c1.yaml": "symlink:c2.yaml", "c2.yaml": "symlink:sub/c3.yaml",
			"sub/c3.yaml": "symlink:../real/t.yaml",
		},
		paths: []string{".", "c1.yaml", "sub"},
	},
	{
		name:  "cycle",
		files: map[string]string{"t.yaml": tiers("t", 1), "x.yaml": "symlink:y.yaml", "y.yaml": "symlink:x.yaml", "d/loop": "symlink:loop"},
		paths: []string{".", "x.yaml", "t.yaml", "d"},
	},
	{
		name:  "chain longer than the system allows",
		files: longChain(45),
		paths: []string{".", "l0.yaml", "l10.yaml"},
	},
	{
		name:  "dangling",
		files: map[string]string{"t.yaml": tiers("t", 1), "gone.yaml": "symlink:nothing.yaml", "d/gone": "symlink:../nowhere"},
		paths: []string{".", "gone.yaml", "t.yaml"},
	},
	{
		name: "leaving the repository",
		files: map[string]string{
			"t.yaml": tiers("t", 1), "up.yaml": "symlink:../outside.yaml", "abs.yaml": "symlink:/etc/hosts",
			"sub/deep.yaml": "symlink:../../x.yaml", "sub/ok.yaml": "symlink:../t.yaml",
		},
		paths: []string{".", "up.yaml", "abs.yaml", "sub", "t.yaml"},
	},
	{
		name:  "fan-out",
		files: fanOut(4, 4),
		paths: []string{".", "d0", "d2"},
	},
	{
		name: "kustomization through links",
		files: map[string]string{
			"base/kustomization.yaml":  "resources: [t.yaml]\n",
			"base/t.yaml":              tiers("t", 1),
			"app/kustomization.yaml":   "resources: [../linked, own.yaml]\nnamePrefix: app-\n",
			"app/own.yaml":             tiers("own", 1),
			"linked":                   "symlink:base",
			"app/outside.yaml":         "symlink:../base/t.yaml",
			"bad/kustomization.yaml":   "resources: [outside.yaml]\nnamePrefix: bad-\n",
			"bad/outside.yaml":         "symlink:../base/t.yaml",
			"plain/kustomization.yaml": "resources: [outside.yaml]\n",
			"plain/outside.yaml":       "symlink:../base/t.yaml",
		},
		paths: []string{"app", "linked", "bad", "plain"},
	},
	{
		name:  "hidden names",
		files: map[string]string{"real/t.yaml": tiers("t", 1), ".hidden": "symlink:real", "visible": "symlink:.git-like", ".git-like/u.yaml": tiers("u", 1)},
		paths: []string{".", "visible"},
	},
}

func longChain(n int) map[string]string {
	files := map[string]string{"t.yaml": tiers("t", 1)}
	for i := 0; i < n; i++ {
		files["l"+strconv.Itoa(i)+".yaml"] = "symlink:l" + strconv.Itoa(i+1) + ".yaml"
	}
	files["l"+strconv.Itoa(n)+".yaml"] = "symlink:t.yaml"
	return files
}

// fanOut returns k symlinks in each of depth directories to the next: k^depth
// paths to one file.
func fanOut(k, depth int) map[string]string {
	files := map[string]string{"d" + strconv.Itoa(depth) + "/t.yaml": tiers("t", 1)}
	for i := 0; i < depth; i++ {
		for j := 0; j < k; j++ {
			files["d"+strconv.Itoa(i)+"/l"+strconv.Itoa(j)] = "symlink:../d" + strconv.Itoa(i+1)
		}
	}
	return files
}

// TestSymlinksResolveAlike renders every kind of symlink from a Git commit
// and from its checkout on disk, and expects the same result: the same
// objects from the same files, or the same errors.
func TestSymlinksResolveAlike(t *testing.T) {
	for _, repo := range symlinkRepos {
		t.Run(repo.name, func(t *testing.T) {
			tree, checkout := gitCommit(t, repo.files)
			for _, p := range repo.paths {
				fromTree, treeErr := Tree(t.Context(), tree, p, Options{})
				fromDir, dirErr := Dir(t.Context(), checkout, p, Options{})
				checkCodes(t, treeErr)
				checkCodes(t, dirErr)
				got, want := outcome(t, fromTree, treeErr), outcome(t, fromDir, dirErr)
				if got != want {
					t.Errorf("%s: from the Git tree:\n%s\nfrom the checkout:\n%s", p, got, want)
				}
			}
		})
	}
}

// TestSymlinkInLinkedDirectory is the case where the two used to differ:
// the pool rendered is the one the checkout holds.
func TestSymlinkInLinkedDirectory(t *testing.T) {
	tree, _ := gitCommit(t, symlinkRepos[2].files)
	b, err := Tree(t.Context(), tree, "current", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(renderYAML(t, b)); !strings.Contains(got, "cidr: 10.1.0.0/16") || !strings.Contains(got, "# Source: env/pool.yaml:1") {
		t.Errorf("rendered\n%s\nwant env/pool.yaml's 10.1.0.0/16", got)
	}
}

// outcome is a render's canonical YAML, sources included, or its error.
func outcome(t *testing.T, b *Bundle, err error) string {
	t.Helper()
	if err != nil {
		return "error: " + err.Error()
	}
	var buf bytes.Buffer
	if err := b.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestTooManySymlinksOnAPath renders a path through five chains of nine
// links: each resolves, but a path may go through at most 40 links, on disk
// as from Git.
func TestTooManySymlinksOnAPath(t *testing.T) {
	files := map[string]string{"D5/t.yaml": tiers("t", 1)}
	var p []string
	for i := 0; i < 5; i++ {
		dir, up := "", ""
		if i > 0 {
			dir, up = "D"+strconv.Itoa(i)+"/", "../"
		}
		for j := 0; j < 9; j++ {
			next := "a" + strconv.Itoa(i) + "_" + strconv.Itoa(j+1)
			if j == 8 {
				next = up + "D" + strconv.Itoa(i+1)
			}
			files[dir+"a"+strconv.Itoa(i)+"_"+strconv.Itoa(j)] = "symlink:" + next
		}
		p = append(p, "a"+strconv.Itoa(i)+"_0")
	}
	tree, checkout := gitCommit(t, files)
	long := strings.Join(p, "/") + "/t.yaml"
	if _, err := os.ReadFile(filepath.Join(checkout, long)); !errors.Is(err, syscall.ELOOP) {
		t.Fatalf("reading %s from disk: %v, want ELOOP", long, err)
	}
	for _, render := range []func() (*Bundle, error){
		func() (*Bundle, error) { return Tree(t.Context(), tree, long, Options{}) },
		func() (*Bundle, error) { return Dir(t.Context(), checkout, long, Options{}) },
	} {
		_, err := render()
		if err == nil || !strings.Contains(err.Error(), long+": the path goes through more than 40 symlinks") {
			t.Errorf("err = %v, want too many symlinks", err)
		}
	}
	// Four chains are within the limit: D4, whose links lead to D5.
	short := strings.Join(p[:4], "/")
	if b, err := Tree(t.Context(), tree, short, Options{}); err != nil || len(b.Objects) != 1 {
		t.Errorf("%s: err = %v, want D5's Tier", short, err)
	}
}
