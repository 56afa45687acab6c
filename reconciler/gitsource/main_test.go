package gitsource_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// TestMain fails the run if Git transports, the test servers or their
// processes outlive the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := gitserver.Leaks(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// history is the repository most tests use.
type history struct {
	root   string
	repo   *gitserver.Repo
	c1     string // v1.2.0 (lightweight tag)
	c2     string // v1.4.0 (annotated tag)
	c3     string // v2.0.0, tip of main
	dev    string // tip of dev
	server *gitserver.HTTPServer
}

// newHistory builds main: c1 ← c2 ← c3 with tags v1.2.0, v1.4.0, v2.0.0 and
// a tag that is no version, and a branch dev, served over HTTP with auth.
func newHistory(t *testing.T, auth gitserver.HTTPAuth) *history {
	t.Helper()
	h := &history{root: t.TempDir()}
	h.repo = gitserver.NewRepo(t, h.root, "config.git")
	h.c1 = h.repo.Commit("main", map[string]string{"a.yaml": "v1", "dir/b.yaml": "b"})
	h.repo.Tag("v1.2.0", h.c1, false)
	h.c2 = h.repo.Commit("main", map[string]string{"a.yaml": "v2", "dir/b.yaml": "b"})
	h.repo.Tag("v1.4.0", h.c2, true)
	h.repo.Tag("v1.5.0-rc.1", h.c2, false)
	h.c3 = h.repo.Commit("main", map[string]string{"a.yaml": "v3"})
	h.repo.Tag("v2.0.0", h.c3, true)
	h.repo.Tag("latest", h.c3, false)
	h.dev = h.repo.Commit("dev", map[string]string{"a.yaml": "dev"})
	h.server = gitserver.NewHTTPServer(t, h.root, auth)
	return h
}

func (h *history) url() string { return h.server.RepoURL("config.git") }

// contents reads a file of a checkout's tree.
func contents(t *testing.T, co *gitsource.Checkout, name string) string {
	t.Helper()
	f, err := co.Tree.File(name)
	if err != nil {
		t.Fatalf("file %s at %s: %v", name, co.Revision, err)
	}
	s, err := f.Contents()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantErr checks that err wraps want and holds none of the secrets.
func wantErr(t *testing.T, err, want error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	t.Logf("error: %v", err)
	if !errors.Is(err, want) {
		t.Fatalf("error %q does not wrap %v", err, want)
	}
	msg := fmt.Sprintf("%v %+v %#v", err, err, err)
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Fatalf("error leaks a secret: %s", msg)
		}
	}
	if m := err.Error(); m != "" && m[:1] != strings.ToLower(m[:1]) {
		t.Errorf("error is not lower-case: %s", m)
	}
}
