package gitserver

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a bare repository under a server root, written through a private
// work clone.
type Repo struct {
	t testing.TB
	// Name is the repository's path under the root, e.g. "config.git".
	Name string
	// Bare is the bare repository's directory.
	Bare string
	work string
	home string
	// clock is the commit time, advanced one second per commit.
	clock int64
}

// NewRepo creates the empty bare repository root/name, with "main" as its
// default branch.
func NewRepo(t testing.TB, root, name string) *Repo {
	t.Helper()
	RequireGit(t)
	r := &Repo{
		t:     t,
		Name:  name,
		Bare:  filepath.Join(root, filepath.FromSlash(name)),
		work:  t.TempDir(),
		home:  t.TempDir(),
		clock: 1_700_000_000,
	}
	if err := os.MkdirAll(r.Bare, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, r.Bare, r.env(), "init", "-q", "--bare", "-b", "main")
	git(t, r.work, r.env(), "init", "-q", "-b", "main")
	git(t, r.work, r.env(), "remote", "add", "origin", r.Bare)
	return r
}

func (r *Repo) env(extra ...string) []string {
	date := fmt.Sprintf("%d +0000", r.clock)
	return gitEnv(r.home, append([]string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, extra...)...)
}

// CommitOption changes how Commit commits.
type CommitOption func(*commitOptions)

type commitOptions struct {
	message string
	amend   bool
	gitArgs []string // before "commit": -c settings for git's own signing
	signArg bool     // pass -S to git commit
	env     []string // for git commit: GNUPGHOME
	resign  func(payload []byte) (string, error)
}

// Message sets the commit message (default "update").
func Message(m string) CommitOption { return func(o *commitOptions) { o.message = m } }

// Amend replaces the branch's tip instead of adding to it, and force-pushes:
// the old tip disappears from the branch's history.
func Amend() CommitOption { return func(o *commitOptions) { o.amend = true } }

// Commit makes the tree of branch exactly files (path → content), commits
// it on top of the branch (creating the branch from the current one, or as
// the first commit), pushes it and returns the commit hash.
func (r *Repo) Commit(branch string, files map[string]string, opts ...CommitOption) string {
	r.t.Helper()
	o := commitOptions{message: "update"}
	for _, opt := range opts {
		opt(&o)
	}
	r.clock++
	r.checkout(branch)
	r.writeTree(files)
	args := append(append([]string{}, o.gitArgs...), "commit", "-q", "--allow-empty", "-m", o.message)
	if o.amend {
		args = append(args, "--amend")
	}
	if o.signArg {
		args = append(args, "-S")
	}
	git(r.t, r.work, r.env(o.env...), args...)
	if o.resign != nil {
		r.resign(o.resign)
	}
	push := []string{"push", "-q", "origin", "refs/heads/" + branch}
	if o.amend {
		push = append(push, "--force")
	}
	git(r.t, r.work, r.env(), push...)
	return git(r.t, r.work, r.env(), "rev-parse", "HEAD")
}

// checkout switches the work clone to branch, creating it if needed.
func (r *Repo) checkout(branch string) {
	r.t.Helper()
	if git(r.t, r.work, r.env(), "branch", "--list", branch) != "" {
		git(r.t, r.work, r.env(), "checkout", "-q", branch)
		return
	}
	if git(r.t, r.work, r.env(), "branch", "--list") == "" {
		git(r.t, r.work, r.env(), "checkout", "-q", "--orphan", branch)
		return
	}
	git(r.t, r.work, r.env(), "checkout", "-q", "-b", branch)
}

// writeTree replaces the work tree's files with files and stages them.
func (r *Repo) writeTree(files map[string]string) {
	r.t.Helper()
	entries, err := os.ReadDir(r.work)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			if err := os.RemoveAll(filepath.Join(r.work, e.Name())); err != nil {
				r.t.Fatal(err)
			}
		}
	}
	for name, content := range files {
		p := filepath.Join(r.work, filepath.FromSlash(name))
		if !strings.HasPrefix(p, r.work+string(filepath.Separator)) {
			r.t.Fatalf("file %q is outside the repository", name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	git(r.t, r.work, r.env(), "add", "-A")
}

// Tag tags rev (a commit hash or branch) as name, annotated with a message
// if annotated, and pushes the tag.
func (r *Repo) Tag(name, rev string, annotated bool) {
	r.t.Helper()
	r.clock++
	args := []string{"tag", name, rev}
	if annotated {
		args = []string{"tag", "-a", "-m", "release " + name, name, rev}
	}
	git(r.t, r.work, r.env(), args...)
	git(r.t, r.work, r.env(), "push", "-q", "origin", "refs/tags/"+name)
}

// DeleteBranch deletes branch from the bare repository.
func (r *Repo) DeleteBranch(branch string) {
	r.t.Helper()
	git(r.t, r.work, r.env(), "push", "-q", "origin", "--delete", branch)
}
